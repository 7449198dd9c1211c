import type { Plain } from '../model/resource.js';
import { s, where } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

/** Stops a running (or pending) instance. Undo starts it again. */
export const stopInstance: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: false,
  targets: ['ec2.instance'],
  phase: 'contain',
  describe: (t, p) => `Stop instance ${t.id} (${s(p, 'instanceType')})${where(t)}`,
  keep: ['instanceType', 'launchTime'],
  expect: (p): Record<string, Plain> => (p.state === 'running' ? { state: 'running' } : {}),
  endState: () => ({ state: ['stopping', 'stopped'] }),
  needed: (r) => r.props.state === 'running' || r.props.state === 'pending',
  permissions: ['ec2:DescribeInstances', 'ec2:StopInstances', 'ec2:StartInstances'],
  executor: () => import('../apply/executors/stopInstance.js').then((m) => m.executor),
};
