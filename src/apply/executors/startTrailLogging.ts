/**
 * startTrailLogging: StartLogging in the trail's home region. A trail already
 * logging is `already`. Run journals `wasLogging: false` as its intent; undo
 * then stops logging (StopLogging), and a trail deleted meanwhile is `gone`.
 */
import { StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { isTrailNotFound, readTrail } from '../../answers/cloudtrail.js';
import type { PlanStep } from '../../model/plan.js';
import type { ExecContext, ReversibleExecutor } from '../executor.js';
import { observed } from './aws-errors.js';

/** The key run records the trail's state before the step under. */
const WAS_LOGGING = 'wasLogging';

/** The trail's ARN as the plan saw it; its name in its home region for a plan without one. */
const trailName = (step: PlanStep): string => step.target.arn ?? step.target.id;

const cloudtrailOf = (step: PlanStep, ctx: ExecContext) => ctx.clients.cloudtrail(step.target.region);

const read = (step: PlanStep, ctx: ExecContext) =>
  step.target.arn ? readTrail(cloudtrailOf(step, ctx), ctx.accountId, step.target.arn) : Promise.reject(new Error(`step ${step.id} names no trail ARN`));

export const executor: ReversibleExecutor = {
  async observe(step, ctx) {
    return observed((await read(step, ctx))?.props ?? null);
  },

  async run(step, ctx) {
    const trail = await read(step, ctx);
    if (!trail || trail.props.logging === true) return { result: 'already' };
    const undo = { [WAS_LOGGING]: false };
    ctx.intend(undo);
    try {
      await cloudtrailOf(step, ctx).send(new StartLoggingCommand({ Name: trailName(step) }));
    } catch (err) {
      if (isTrailNotFound(err)) return { result: 'already' };
      throw err;
    }
    return { result: 'done', undo };
  },

  async undo(step, recorded, ctx) {
    if (recorded[WAS_LOGGING] !== false) throw new Error(`the journal's undo record has no '${WAS_LOGGING}: false'`);
    try {
      await cloudtrailOf(step, ctx).send(new StopLoggingCommand({ Name: trailName(step) }));
      return 'undone';
    } catch (err) {
      if (isTrailNotFound(err)) {
        ctx.log(`trail ${step.target.id} no longer exists: its logging cannot be stopped again`);
        return 'gone';
      }
      throw err;
    }
  },
};
