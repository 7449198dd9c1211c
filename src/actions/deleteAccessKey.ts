import type { ActionDefinition } from './definition.js';

/** Deletes an access key; an exposed or rotated key only once its grace period has passed, a replacement rollcall made never before it is declared. Irreversible. */
export const deleteAccessKey: ActionDefinition = {
  manual: false,
  reversible: false,
  destructive: true,
  targets: ['iam.accessKey'],
  phase: 'destroy',
  describe: (t) => `Delete access key ${t.id} of user ${t.ref.user}`,
  keep: ['user'],
  plan: (p, v, r) => p.keyDeletion(v, r),
  permissions: ['iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:ListUserTags', 'iam:DeleteAccessKey', 'iam:UntagUser'],
  executor: () => import('../apply/executors/deleteAccessKey.js').then((m) => m.executor),
};
