/**
 * The Lambda collector: every function in one region from ListFunctions, 50 a
 * page (the API's maximum). ListFunctions carries no tags, and the Tagging API
 * already has them, so the orchestrator fills tags from there: no call is made
 * per function.
 */
import { paginateListFunctions, type LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaFunction } from '../answers/lambda.js';
import type { RegionalContext } from '../answers/regional.js';
import { list } from './listing.js';
import type { RegionalResult } from './regional.js';

/** The largest page ListFunctions serves. */
export const LAMBDA_PAGE_SIZE = 50;

export function collectLambda(lambda: LambdaClient, ctx: RegionalContext): Promise<RegionalResult> {
  return list(ctx, {
    type: 'lambda.function',
    operation: 'lambda:ListFunctions',
    pages: () => paginateListFunctions({ client: lambda, pageSize: LAMBDA_PAGE_SIZE }, { MaxItems: LAMBDA_PAGE_SIZE }),
    resources: (page) => (page.Functions ?? []).map((f) => lambdaFunction(ctx, f)),
  });
}
