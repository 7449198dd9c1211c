import type { ActionDefinition } from './definition.js';

/** Denies every token of a role issued before the run (moving an older cut-off forward). Undo removes the denial, or puts the older one back. */
export const revokeRoleSessions: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: false,
  targets: ['iam.role'],
  phase: 'contain',
  describe: (t) => `Revoke the active sessions of role ${t.id}: deny every token issued before now`,
  keep: ['roleId', 'trustedPrincipals'],
  permissions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
  // The plan's time goes with the step: a cut-off in place is done only if it is no older (the attacker may have assumed the role again since).
  plan: (p, v, r) => p.standard('revokeRoleSessions', v, r, { notBefore: p.createdAt }),
  executor: () => import('../apply/executors/revokeRoleSessions.js').then((m) => m.executor),
};
