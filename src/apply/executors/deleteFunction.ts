/** deleteFunction: DeleteFunction (every version and alias). Irreversible; a function already gone is `already`. */
import { DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import type { Executor } from '../executor.js';
import { unlessMissing } from './aws-errors.js';
import { FUNCTION_NOT_FOUND, lambdaOf, observeFunction } from './lambda-function.js';

export const executor: Executor = {
  observe: observeFunction,
  async run(step, ctx) {
    ctx.intend();
    const answer = await unlessMissing(lambdaOf(step, ctx).send(new DeleteFunctionCommand({ FunctionName: step.target.id })), FUNCTION_NOT_FOUND);
    return { result: answer ? 'done' : 'already' };
  },
};
