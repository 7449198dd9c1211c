/**
 * resetLoginProfilePassword: a new random console password for a user
 * (UpdateLoginProfile with PasswordResetRequired, so the user must choose
 * their own at the first sign-in), written to a new file in the secrets
 * folder, mode 0600, and nowhere else (apply/executors/resetLoginProfilePassword.ts).
 * The plan adds the manual step that hands it over out of band
 * (manualHandOverPassword), after it.
 *
 * Irreversible: IAM never reveals a password, so undo cannot put the old one
 * back. Not destructive: the user keeps its console access (with the new
 * password) and nothing is deleted, and the step contains, since whoever
 * knew the old password is locked out; so it is planned without
 * --destructive, in the first (reversible-first) plan, in the contain phase.
 */
import type { ActionDefinition } from './definition.js';
import { planPasswordReset } from './manualHandOverPassword.js';

export const resetLoginProfilePassword: ActionDefinition = {
  manual: false,
  reversible: false,
  destructive: false,
  targets: ['iam.loginProfile'],
  phase: 'contain',
  describe: (t) => `Reset the console password of user ${t.ref.user} to a new random one, to be changed at the first sign-in (it goes to a new file, mode 0600, never printed)`,
  keep: ['user'],
  plan: planPasswordReset,
  permissions: ['iam:GetLoginProfile', 'iam:GetAccountPasswordPolicy', 'iam:UpdateLoginProfile'],
  executor: () => import('../apply/executors/resetLoginProfilePassword.js').then((m) => m.executor),
};
