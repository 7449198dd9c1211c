import type { ActionDefinition } from './definition.js';

/** Attaches an explicit deny-all inline policy to a user. Undo removes it. */
export const quarantineUser: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: false,
  targets: ['iam.user'],
  phase: 'contain',
  describe: (t) => `Quarantine user ${t.id}: attach an explicit deny-all policy`,
  keep: ['userId'],
  permissions: ['iam:GetUser', 'iam:GetUserPolicy', 'iam:PutUserPolicy', 'iam:DeleteUserPolicy'],
  executor: () => import('../apply/executors/quarantineUser.js').then((m) => m.executor),
};
