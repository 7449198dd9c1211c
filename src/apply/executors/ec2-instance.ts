/** How the instance executors find and change their instance. */
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { instance } from '../../answers/ec2.js';
import type { PlanStep } from '../../model/plan.js';
import { TERMINAL_STATES } from '../../model/resource.js';
import type { ExecContext } from '../executor.js';
import { change, reader } from './regional-target.js';

/** shutting-down and terminated: the instance is gone or going. */
export const GONE_STATES = TERMINAL_STATES['ec2.instance'] ?? [];

const NOT_FOUND = 'InvalidInstanceID.NotFound';

export const readInstance = reader({
  notFound: NOT_FOUND,
  describe: (ec2, id) => ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })),
  items: (answer) => (answer.Reservations ?? []).flatMap((r) => r.Instances ?? []),
  idOf: (i) => i.InstanceId,
  map: instance,
});

export const changeInstance = (step: PlanStep, ctx: ExecContext, send: (ec2: EC2Client, id: string) => Promise<unknown>): Promise<'done' | 'already'> =>
  change(step, ctx, NOT_FOUND, send);
