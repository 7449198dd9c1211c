import type { InlinePolicyProps } from '../iam-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';
import { PER_PRINCIPAL_FIELDS } from './per-principal.js';

/** A user's, group's or role's inline policy. id: `${principalType}/${principalName}/${policyName}`. */
export const iamInlinePolicy = {
  prefix: 'inlinePolicy',
  service: 'iam',
  global: true,
  collector: 'iam',
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
