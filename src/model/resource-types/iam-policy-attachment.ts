import type { PolicyAttachmentProps } from '../iam-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';
import { PER_PRINCIPAL_FIELDS } from './per-principal.js';

/** A managed policy attached to a user, group or role. id: `${principalType}/${principalName}/${policyArn}`. */
export const iamPolicyAttachment = {
  prefix: 'attachment',
  service: 'iam',
  global: true,
  collector: 'iam',
  props: {
    principalType: 'value',
    principalName: 'value',
    policyArn: 'value',
    policyName: 'value',
    awsManaged: 'value',
  } satisfies Record<keyof PolicyAttachmentProps, FieldKind>,
  baseline: 'iam.{users,groups,roles}[].policies',
  declared: PER_PRINCIPAL_FIELDS,
} as const satisfies ResourceDescriptor;
