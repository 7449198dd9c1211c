import type { GroupMembershipProps } from '../iam-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';
import { IAM } from './iam.js';

/** A user's membership of a group. id: `${user}/${group}`. */
export const iamGroupMembership = {
  prefix: 'membership',
  ...IAM,
  props: { user: 'value', group: 'value' } satisfies Record<keyof GroupMembershipProps, FieldKind>,
  baseline: 'iam.users[].groups',
  declared: { name: 'value', user: 'value', group: 'value' },
} as const satisfies ResourceDescriptor;
