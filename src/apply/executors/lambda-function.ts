/** How the Lambda executors find their function: GetFunctionConfiguration by name, mapped as the collector maps it. */
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaFunction } from '../../answers/lambda.js';
import type { PlanStep } from '../../model/plan.js';
import type { ExecContext, Observed } from '../executor.js';
import { observed, unlessMissing } from './aws-errors.js';
import { regionalContext } from './regional-target.js';

/** Lambda's answer for a function that does not exist. */
export const FUNCTION_NOT_FOUND = 'ResourceNotFound';

export const lambdaOf = (step: PlanStep, ctx: ExecContext): LambdaClient => ctx.clients.lambda(step.target.region);

export async function observeFunction(step: PlanStep, ctx: ExecContext): Promise<Observed> {
  const got = await unlessMissing(lambdaOf(step, ctx).send(new GetFunctionConfigurationCommand({ FunctionName: step.target.id })), FUNCTION_NOT_FOUND);
  return observed(got ? lambdaFunction(regionalContext(step, ctx), got).props : null);
}
