import type { UserProps } from '../iam-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';
import { IAM } from './iam.js';

/** An IAM user. id: the user name. */
export const iamUser = {
  prefix: 'user',
  ...IAM,
  props: {
    name: 'value',
    userId: 'value',
    path: 'value',
    createDate: 'value',
    passwordEnabled: 'value',
    passwordLastUsed: 'value',
    mfaActive: 'value',
    accessKeyCount: 'value',
    activeAccessKeyCount: 'value',
    groups: 'list',
    attachedPolicies: 'list',
    inlinePolicies: 'list',
    permissionsBoundary: 'value',
  } satisfies Record<keyof UserProps, FieldKind>,
  baseline: 'iam.users',
  declared: { name: 'value', console: 'value', accessKeys: 'list', policies: 'list', inlinePolicies: 'list', groups: 'list' },
} as const satisfies ResourceDescriptor;
