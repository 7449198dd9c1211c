import type { RoleProps } from '../iam-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';
import { IAM } from './iam.js';

/** An IAM role. id: the role name. */
export const iamRole = {
  prefix: 'role',
  ...IAM,
  props: {
    name: 'value',
    roleId: 'value',
    path: 'value',
    createDate: 'value',
    trustPolicy: 'any',
    trustedPrincipals: 'list',
    attachedPolicies: 'list',
    inlinePolicies: 'list',
    permissionsBoundary: 'value',
    lastUsedDate: 'value',
    serviceLinked: 'value',
    instanceProfiles: 'list',
  } satisfies Record<keyof RoleProps, FieldKind>,
  baseline: 'iam.roles',
  declared: { name: 'value', trustedPrincipals: 'list', policies: 'list', inlinePolicies: 'list' },
} as const satisfies ResourceDescriptor;
