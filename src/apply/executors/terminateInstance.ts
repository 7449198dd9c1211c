/** terminateInstance: TerminateInstances. Irreversible; shutting-down or terminated counts as done. */
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { Executor } from '../executor.js';
import { changeInstance, GONE_STATES, readInstance } from './ec2-instance.js';
import { statefulExecutor } from './regional-target.js';

export const executor: Executor = statefulExecutor({
  read: readInstance,
  gone: GONE_STATES,
  done: GONE_STATES,
  act: (step, ctx) => changeInstance(step, ctx, (ec2, id) => ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))),
});
