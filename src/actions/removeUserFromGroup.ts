import type { ActionDefinition } from './definition.js';

/** Removes a user from a group. Undo adds it back. */
export const removeUserFromGroup: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: false,
  targets: ['iam.groupMembership'],
  phase: 'cut',
  describe: (t) => `Remove user ${t.ref.user} from group ${t.ref.group}`,
  keep: ['user', 'group'],
  permissions: ['iam:ListGroupsForUser', 'iam:RemoveUserFromGroup', 'iam:AddUserToGroup'],
  executor: () => import('../apply/executors/removeUserFromGroup.js').then((m) => m.executor),
};
