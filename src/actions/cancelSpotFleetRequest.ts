import { where } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

/** Cancels a spot fleet request so it launches no more instances. Irreversible. */
export const cancelSpotFleetRequest: ActionDefinition = {
  manual: false,
  reversible: false,
  destructive: false,
  targets: ['ec2.spotFleetRequest'],
  phase: 'contain',
  describe: (t) => `Cancel spot fleet request ${t.id}${where(t)}, so it launches no more instances`,
  keep: ['type', 'createTime'],
  permissions: ['ec2:DescribeSpotFleetRequests', 'ec2:CancelSpotFleetRequests'],
  executor: () => import('../apply/executors/cancelSpotFleetRequest.js').then((m) => m.executor),
};
