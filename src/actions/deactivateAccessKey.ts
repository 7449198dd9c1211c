import type { ActionDefinition } from './definition.js';

/** Deactivates an access key (an inactive key needs no step). Undo reactivates it. */
export const deactivateAccessKey: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: false,
  targets: ['iam.accessKey'],
  phase: 'contain',
  describe: (t) => `Deactivate access key ${t.id} of user ${t.ref.user}`,
  keep: ['user'],
  expect: () => ({ status: 'Active' }),
  endState: () => ({ status: ['Inactive'] }),
  needed: (r) => r.props.status === 'Active',
  permissions: ['iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:UpdateAccessKey', 'iam:ListUserTags', 'iam:TagUser', 'iam:UntagUser'],
  executor: () => import('../apply/executors/deactivateAccessKey.js').then((m) => m.executor),
};
