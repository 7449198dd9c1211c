/**
 * cancelSpotFleetRequest: CancelSpotFleetRequests with TerminateInstances
 * false. The fleet stops launching and replacing instances; the instances it
 * runs are left to their own stop or terminate steps, as the planner plans
 * them, so each change is its own reviewed, journaled step. Irreversible;
 * a cancelled or failed fleet counts as done.
 */
import { CancelSpotFleetRequestsCommand, DescribeSpotFleetRequestsCommand } from '@aws-sdk/client-ec2';
import { spotFleet } from '../../answers/ec2.js';
import { TERMINAL_STATES } from '../../model/resource.js';
import type { Executor } from '../executor.js';
import { reader, statefulExecutor } from './regional-target.js';

const ENDED = TERMINAL_STATES['ec2.spotFleetRequest'] ?? [];

export const executor: Executor = statefulExecutor({
  read: reader({
    notFound: 'InvalidSpotFleetRequestId.NotFound',
    describe: (ec2, id) => ec2.send(new DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: [id] })),
    items: (answer) => answer.SpotFleetRequestConfigs ?? [],
    idOf: (f) => f.SpotFleetRequestId,
    map: spotFleet,
  }),
  gone: ENDED,
  done: ENDED,
  async act(step, ctx) {
    const ec2 = ctx.clients.ec2(step.target.region);
    const answer = await ec2.send(new CancelSpotFleetRequestsCommand({ SpotFleetRequestIds: [step.target.id], TerminateInstances: false }));
    // A refusal comes back in the answer, not as an error.
    const refused = (answer.UnsuccessfulFleetRequests ?? []).find((u) => u.SpotFleetRequestId === step.target.id);
    if (!refused) return 'done';
    const code = refused.Error?.Code ?? 'unknown';
    if (code === 'fleetRequestIdDoesNotExist') return 'already';
    throw new Error(`Cannot cancel spot fleet request ${step.target.id}: ${code}: ${refused.Error?.Message ?? ''}`);
  },
});
