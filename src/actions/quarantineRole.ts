import type { ActionDefinition } from './definition.js';

/** Attaches an explicit deny-all inline policy to a role. Undo removes it. */
export const quarantineRole: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: false,
  targets: ['iam.role'],
  phase: 'contain',
  describe: (t) => `Quarantine role ${t.id}: attach an explicit deny-all policy`,
  keep: ['roleId', 'trustedPrincipals'],
  permissions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
  executor: () => import('../apply/executors/quarantineRole.js').then((m) => m.executor),
};
