/**
 * throttleFunction: reserved concurrency 0, so the function cannot run at all
 * (invocations are throttled) while its code, configuration and triggers stay
 * as they were. Reversible: run records the reserved concurrency it replaced
 * (`null` for none), and undo puts it back, or removes the reservation when
 * there was none. A function already at 0 is `already`.
 */
import { DeleteFunctionConcurrencyCommand, GetFunctionConcurrencyCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import type { Executor, ReversibleExecutor } from '../executor.js';
import { hasCode } from '../../answers/error-info.js';
import { unlessMissing } from './aws-errors.js';
import { FUNCTION_NOT_FOUND, lambdaOf, observeFunction } from './lambda-function.js';

/** The key run records the previous reserved concurrency under. */
const PREVIOUS = 'previousReservedConcurrency';

export const executor: ReversibleExecutor = {
  observe: observeFunction,

  async run(step, ctx) {
    const lambda = lambdaOf(step, ctx);
    const FunctionName = step.target.id;
    const current = await unlessMissing(lambda.send(new GetFunctionConcurrencyCommand({ FunctionName })), FUNCTION_NOT_FOUND);
    if (!current) return { result: 'already' };
    const previous = current.ReservedConcurrentExecutions ?? null;
    if (previous === 0) return { result: 'already' };
    ctx.intend({ [PREVIOUS]: previous });
    const answer = await unlessMissing(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName, ReservedConcurrentExecutions: 0 })), FUNCTION_NOT_FOUND);
    if (!answer) return { result: 'already' };
    return { result: 'done', undo: { [PREVIOUS]: previous } };
  },

  async undo(step, recorded, ctx) {
    const previous = recorded[PREVIOUS];
    if (previous !== null && typeof previous !== 'number') throw new Error(`the journal's undo record has no '${PREVIOUS}'`);
    const lambda = lambdaOf(step, ctx);
    const FunctionName = step.target.id;
    try {
      if (previous === null) await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName }));
      else await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName, ReservedConcurrentExecutions: previous }));
      return 'undone';
    } catch (err) {
      if (hasCode(err, FUNCTION_NOT_FOUND)) {
        ctx.log(`function ${FunctionName} no longer exists: its concurrency cannot be restored`);
        return 'gone';
      }
      throw err;
    }
  },
};
