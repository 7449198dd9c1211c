import { heldBy } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

/** Deletes a user and everything it holds, after the steps on its keys, password, memberships and policies. Irreversible. */
export const deleteUser: ActionDefinition = {
  manual: false,
  reversible: false,
  destructive: true,
  targets: ['iam.user'],
  phase: 'destroy',
  describe: (t) => `Delete user ${t.id} and everything it holds (console password, keys, certificates, MFA devices, group memberships, policies)`,
  keep: ['userId'],
  waitsFor: (self, o) => o.target.ref.user === self.target.id || heldBy(o, 'user', self.target.id),
  executor: () => import('../apply/executors/deleteUser.js').then((m) => m.executor),
};
