import { heldBy } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

/** Deletes a group, after the steps on its members and policies. Irreversible. */
export const deleteGroup: ActionDefinition = {
  manual: false,
  reversible: false,
  destructive: true,
  targets: ['iam.group'],
  phase: 'destroy',
  describe: (t) => `Delete group ${t.id} (its members and policies first)`,
  keep: ['groupId'],
  waitsFor: (self, o) => (o.target.type === 'iam.groupMembership' && o.target.ref.group === self.target.id) || heldBy(o, 'group', self.target.id),
  permissions: ['iam:GetGroup', 'iam:RemoveUserFromGroup', 'iam:ListGroupPolicies', 'iam:DeleteGroupPolicy', 'iam:ListAttachedGroupPolicies', 'iam:DetachGroupPolicy', 'iam:DeleteGroup'],
  executor: () => import('../apply/executors/deleteGroup.js').then((m) => m.executor),
};
