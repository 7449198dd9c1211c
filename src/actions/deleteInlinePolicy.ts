import { principal } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

/** Deletes an inline policy, its document journaled first. Undo puts the same document back. */
export const deleteInlinePolicy: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: true,
  targets: ['iam.inlinePolicy'],
  phase: 'cut',
  describe: (t) => `Delete inline policy ${t.ref.policyName} of ${principal(t)}`,
  keep: ['principalType', 'principalName', 'policyName'],
  permissions: ['iam:GetUserPolicy', 'iam:GetRolePolicy', 'iam:GetGroupPolicy', 'iam:DeleteUserPolicy', 'iam:DeleteRolePolicy', 'iam:DeleteGroupPolicy', 'iam:PutUserPolicy', 'iam:PutRolePolicy', 'iam:PutGroupPolicy'],
  executor: () => import('../apply/executors/deleteInlinePolicy.js').then((m) => m.executor),
};
