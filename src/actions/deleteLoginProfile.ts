import type { ActionDefinition } from './definition.js';

/** Deletes a user's console password. Irreversible (the password cannot be restored). */
export const deleteLoginProfile: ActionDefinition = {
  manual: false,
  reversible: false,
  destructive: true,
  targets: ['iam.loginProfile'],
  phase: 'cut',
  describe: (t) => `Delete the console password of user ${t.ref.user}`,
  keep: ['user'],
  permissions: ['iam:GetLoginProfile', 'iam:DeleteLoginProfile'],
  executor: () => import('../apply/executors/deleteLoginProfile.js').then((m) => m.executor),
};
