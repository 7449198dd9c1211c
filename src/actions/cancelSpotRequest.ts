import { where } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

/** Cancels a spot request so it launches no more instances. Irreversible: a cancelled request cannot be reopened. */
export const cancelSpotRequest: ActionDefinition = {
  manual: false,
  reversible: false,
  destructive: false,
  targets: ['ec2.spotRequest'],
  phase: 'contain',
  describe: (t) => `Cancel spot request ${t.id}${where(t)}, so it launches no more instances`,
  keep: ['type', 'createTime'],
  permissions: ['ec2:DescribeSpotInstanceRequests', 'ec2:CancelSpotInstanceRequests'],
  executor: () => import('../apply/executors/cancelSpotRequest.js').then((m) => m.executor),
};
