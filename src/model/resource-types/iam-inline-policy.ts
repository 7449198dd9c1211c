import type { InlinePolicyProps } from '../iam-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';
import { IAM, PER_PRINCIPAL_FIELDS } from './iam.js';

/** A user's, group's or role's inline policy. id: `${principalType}/${principalName}/${policyName}`. */
export const iamInlinePolicy = {
  prefix: 'inlinePolicy',
  ...IAM,
  props: {
    principalType: 'value',
    principalName: 'value',
    policyName: 'value',
    document: 'any',
    allowsAll: 'value',
    denyOnly: 'value',
  } satisfies Record<keyof InlinePolicyProps, FieldKind>,
  baseline: 'iam.{users,groups,roles}[].inlinePolicies',
  declared: PER_PRINCIPAL_FIELDS,
} as const satisfies ResourceDescriptor;
