/**
 * The Lambda collector: every function in one region from ListFunctions, 50 a
 * page (the API's maximum). ListFunctions carries no tags, and the Tagging API
 * already has them, so the orchestrator fills tags from there: no call is made
 * per function.
 */
import { paginateListFunctions, type FunctionConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Resource } from '../model/resource.js';
import type { FunctionProps } from '../model/regional-props.js';
import { parseArn } from '../answers/arn.js';
import { isoText, list, regionalResource } from './listing.js';
import type { RegionalContext, RegionalResult } from './regional.js';

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

/** `arn:aws:lambda:r:a:function:name`, without a `:version` or `:alias` qualifier. */
export function unqualifiedFunctionArn(arn: string): string {
  return arn.split(':').slice(0, 7).join(':');
}

/** A role's name from its ARN (`arn:aws:iam::a:role/service-role/name` -> `name`). */
export function roleNameOf(roleArn: string): string {
  const parsed = parseArn(roleArn);
  return (parsed?.name ?? roleArn).split('/').pop() ?? '';
}

/** One function as a resource; apply re-reads targets with it too, so preconditions compare like with like. */
export function lambdaFunction(ctx: RegionalContext, f: FunctionConfiguration): Resource {
  const name = f.FunctionName ?? '';
  const props: FunctionProps = {
    name,
    runtime: f.Runtime ?? null,
    roleArn: f.Role ?? null,
    roles: f.Role ? [roleNameOf(f.Role)] : [],
    handler: f.Handler ?? null,
    lastModified: isoText(f.LastModified),
    codeSize: f.CodeSize ?? null,
    memorySize: f.MemorySize ?? null,
    timeout: f.Timeout ?? null,
    packageType: f.PackageType ?? null,
  };
  return regionalResource(ctx, 'lambda.function', name, unqualifiedFunctionArn(f.FunctionArn ?? ''), {}, props);
}
