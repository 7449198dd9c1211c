import type { ActionDefinition } from './definition.js';

/** Denies every token of a role issued before the run. Undo removes the denial. */
export const revokeRoleSessions: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: false,
  targets: ['iam.role'],
  phase: 'contain',
  describe: (t) => `Revoke the active sessions of role ${t.id}: deny every token issued before now`,
  keep: ['roleId', 'trustedPrincipals'],
  permissions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
  executor: () => import('../apply/executors/revokeRoleSessions.js').then((m) => m.executor),
};
