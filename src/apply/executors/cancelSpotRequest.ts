/**
 * cancelSpotRequest: CancelSpotInstanceRequests, so the request launches
 * nothing more (a persistent one would otherwise replace its instance).
 * Cancelling does NOT terminate the instance the request launched: the planner
 * plans a stop or terminate step for that instance separately, so each change
 * is its own reviewed, journaled step. Irreversible (a cancelled request cannot
 * be reopened); closed, cancelled or failed counts as done.
 */
import { CancelSpotInstanceRequestsCommand, DescribeSpotInstanceRequestsCommand } from '@aws-sdk/client-ec2';
import { spotRequest } from '../../answers/ec2.js';
import { TERMINAL_STATES } from '../../model/resource.js';
import type { Executor } from '../executor.js';
import { change, reader, statefulExecutor } from './regional-target.js';

const NOT_FOUND = 'InvalidSpotInstanceRequestID.NotFound';
const ENDED = TERMINAL_STATES['ec2.spotRequest'] ?? [];

export const executor: Executor = statefulExecutor({
  read: reader({
    notFound: NOT_FOUND,
    describe: (ec2, id) => ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [id] })),
    items: (answer) => answer.SpotInstanceRequests ?? [],
    idOf: (r) => r.SpotInstanceRequestId,
    map: spotRequest,
  }),
  gone: ENDED,
  done: ENDED,
  act: (step, ctx) => change(step, ctx, NOT_FOUND, (ec2, id) => ec2.send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [id] }))),
});
