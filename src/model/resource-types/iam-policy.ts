import type { PolicyProps } from '../iam-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';
import { IAM } from './iam.js';

/** A customer managed policy. id: the policy name. */
export const iamPolicy = {
  prefix: 'policy',
  ...IAM,
  props: {
    name: 'value',
    policyId: 'value',
    path: 'value',
    createDate: 'value',
    updateDate: 'value',
    defaultVersionId: 'value',
    attachmentCount: 'value',
    document: 'any',
    allowsAll: 'value',
    denyOnly: 'value',
  } satisfies Record<keyof PolicyProps, FieldKind>,
  baseline: 'iam.policies',
  declared: { name: 'value' },
} as const satisfies ResourceDescriptor;
