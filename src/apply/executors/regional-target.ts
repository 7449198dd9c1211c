/**
 * What the EC2 executors share: re-read one target by id (mapped as the
 * collector maps it, so its props compare with the plan's), and act only when
 * its state says the step still has work to do. A target that is missing, or
 * in a state where the step's work is done, is `already`.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { RegionalContext } from '../../answers/regional.js';
import type { PlanStep } from '../../model/plan.js';
import type { Plain, Resource } from '../../model/resource.js';
import type { ExecContext, Executor, Observed } from '../executor.js';
import { unlessMissing } from './aws-errors.js';

/** The collector's context for the step's region: its mappings take one. */
export const regionalContext = (step: PlanStep, ctx: ExecContext): RegionalContext => ({ accountId: ctx.accountId, region: step.target.region, now: ctx.now });

type Read = (step: PlanStep, ctx: ExecContext) => Promise<Resource | undefined>;

/** How to find one EC2 target by id: a Describe call filtered to it, and the collector's mapping. */
export interface Lookup<Answer, Item> {
  /** The error code EC2 answers for an id it does not know. */
  notFound: string;
  describe(ec2: EC2Client, id: string): Promise<Answer>;
  items(answer: Answer): Item[];
  idOf(item: Item): string | undefined;
  map(ctx: RegionalContext, item: Item): Resource;
}

/** Reads the step's target; undefined when EC2 does not know it (an error, or an answer without it). */
export function reader<Answer, Item>(l: Lookup<Answer, Item>): Read {
  return async (step, ctx) => {
    const answer = await unlessMissing(l.describe(ctx.clients.ec2(step.target.region), step.target.id), l.notFound);
    const found = answer === undefined ? undefined : l.items(answer).find((item) => l.idOf(item) === step.target.id);
    return found === undefined ? undefined : l.map(regionalContext(step, ctx), found);
  };
}

/** Sends a change to the step's target: `already` when EC2 answers `notFound` (it vanished meanwhile). */
export async function change(step: PlanStep, ctx: ExecContext, notFound: string, send: (ec2: EC2Client, id: string) => Promise<unknown>): Promise<'done' | 'already'> {
  const sent = await unlessMissing(send(ctx.clients.ec2(step.target.region), step.target.id).then(() => true), notFound);
  return sent ? 'done' : 'already';
}

export interface StatefulTarget {
  read: Read;
  /** States in which the target counts as gone (observe says it does not exist). */
  gone: readonly string[];
  /** States in which the step has nothing left to do. */
  done: readonly string[];
  /** The change itself; answers `already` when AWS says the target vanished meanwhile. */
  act(step: PlanStep, ctx: ExecContext): Promise<'done' | 'already'>;
}

const stateOf = (r: Resource): string => (typeof r.props.state === 'string' ? r.props.state : '');

/** observe and run for a target with a lifecycle state; run records the state it changed. Undo comes from the step's own file. */
export function statefulExecutor(t: StatefulTarget): Executor {
  return {
    async observe(step, ctx): Promise<Observed> {
      const r = await t.read(step, ctx);
      if (!r) return { exists: false, props: {} };
      return { exists: !t.gone.includes(stateOf(r)), props: r.props };
    },
    async run(step, ctx) {
      const r = await t.read(step, ctx);
      if (!r || t.done.includes(stateOf(r))) return { result: 'already' };
      const undo: Record<string, Plain> = { previousState: stateOf(r) };
      ctx.intend(undo);
      const result = await t.act(step, ctx);
      return result === 'done' ? { result, undo } : { result };
    },
  };
}
