import { s, where } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

/** Terminates an instance, after cancelling the spot request that launched it. Irreversible. */
export const terminateInstance: ActionDefinition = {
  manual: false,
  reversible: false,
  destructive: true,
  targets: ['ec2.instance'],
  phase: 'destroy',
  describe: (t, p) => `Terminate instance ${t.id} (${s(p, 'instanceType')})${where(t)}`,
  keep: ['instanceType', 'launchTime'],
  waitsFor: (self, o) => o.action === 'cancelSpotRequest' && o.target.region === self.target.region && (o.target.id === self.props.spotRequestId || o.props.instanceId === self.target.id),
  permissions: ['ec2:DescribeInstances', 'ec2:TerminateInstances'],
  executor: () => import('../apply/executors/terminateInstance.js').then((m) => m.executor),
};
