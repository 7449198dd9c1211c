import type { GroupProps } from '../iam-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';
import { IAM } from './iam.js';

/** An IAM group. id: the group name. */
export const iamGroup = {
  prefix: 'group',
  ...IAM,
  props: {
    name: 'value',
    groupId: 'value',
    path: 'value',
    createDate: 'value',
    attachedPolicies: 'list',
    inlinePolicies: 'list',
  } satisfies Record<keyof GroupProps, FieldKind>,
  baseline: 'iam.groups',
  declared: { name: 'value', policies: 'list', inlinePolicies: 'list' },
} as const satisfies ResourceDescriptor;
