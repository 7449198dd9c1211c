import { heldBy } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

/** Deletes a role, after the steps on its policies (its instance profiles are kept). Irreversible. */
export const deleteRole: ActionDefinition = {
  manual: false,
  reversible: false,
  destructive: true,
  targets: ['iam.role'],
  phase: 'destroy',
  describe: (t) => `Delete role ${t.id} (its instance profiles and policies first)`,
  keep: ['roleId', 'trustedPrincipals'],
  waitsFor: (self, o) => heldBy(o, 'role', self.target.id),
  permissions: ['iam:GetRole', 'iam:ListInstanceProfilesForRole', 'iam:RemoveRoleFromInstanceProfile', 'iam:ListRolePolicies', 'iam:DeleteRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:DetachRolePolicy', 'iam:DeleteRolePermissionsBoundary', 'iam:DeleteRole'],
  executor: () => import('../apply/executors/deleteRole.js').then((m) => m.executor),
};
