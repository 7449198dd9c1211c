import type { PolicyAttachmentProps } from '../iam-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';
import { IAM, PER_PRINCIPAL_FIELDS } from './iam.js';

/** A managed policy attached to a user, group or role. id: `${principalType}/${principalName}/${policyArn}`. */
export const iamPolicyAttachment = {
  prefix: 'attachment',
  ...IAM,
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
