import type { ActionDefinition } from './definition.js';

/** A rotation's new access key for the exposed key's user (planned by the rotation workflow only). Undo deletes it. */
export const createReplacementKey: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: false,
  targets: ['iam.accessKey'],
  phase: 'contain',
  describe: (t) => `Create a replacement access key for user ${t.ref.user} (its secret goes to a new file, mode 0600, never printed)`,
  keep: [],
  plan: (p, v, r) => p.rotation('createReplacementKey', v, r),
  permissions: ['iam:ListAccessKeys', 'iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:GetUser', 'iam:ListUserTags', 'iam:TagUser', 'iam:UntagUser'],
  executor: () => import('../apply/executors/createReplacementKey.js').then((m) => m.executor),
};
