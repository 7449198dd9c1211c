/**
 * stopInstance: StopInstances (stopping, stopped, shutting-down or terminated
 * count as done). Undo starts the instance again, after waiting for a stop
 * still in progress; an instance that is running or pending needs nothing,
 * and one that was terminated meanwhile cannot be restored: undo says so.
 */
import { StartInstancesCommand, StopInstancesCommand, waitUntilInstanceStopped } from '@aws-sdk/client-ec2';
import type { Executor, ReversibleExecutor } from '../executor.js';
import { changeInstance, GONE_STATES, readInstance } from './ec2-instance.js';
import { statefulExecutor } from './regional-target.js';

/** How long undo waits for a stop in progress to finish before starting the instance. */
const STOP_WAIT_SECONDS = 600;

export const executor: ReversibleExecutor = {
  ...statefulExecutor({
    read: readInstance,
    gone: GONE_STATES,
    done: ['stopping', 'stopped', ...GONE_STATES],
    act: (step, ctx) => changeInstance(step, ctx, (ec2, id) => ec2.send(new StopInstancesCommand({ InstanceIds: [id] }))),
  }),

  async undo(step, _recorded, ctx) {
    const id = step.target.id;
    const ec2 = ctx.clients.ec2(step.target.region);
    const state = (await readInstance(step, ctx))?.props.state;
    if (state === undefined || GONE_STATES.includes(String(state))) {
      ctx.log(`instance ${id} cannot be started again: it is ${state ?? 'gone'}`);
      return 'gone';
    }
    if (state === 'running' || state === 'pending') {
      ctx.log(`instance ${id} is already ${state}`);
      return 'undone';
    }
    if (state === 'stopping') await waitUntilInstanceStopped({ client: ec2, maxWaitTime: STOP_WAIT_SECONDS }, { InstanceIds: [id] });
    await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    return 'undone';
  },
};
