/**
 * Lambda's answer for one function as a resource: the collector lists with this
 * mapping and apply re-reads its targets with it, so preconditions compare like
 * with like. ListFunctions carries no tags; the collector's join fills them.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { FunctionProps } from '../model/regional-props.js';
import type { Resource } from '../model/resource.js';
import { parseArn } from './arn.js';
import { regionalResource, type RegionalContext } from './regional.js';
import { isoText } from './values.js';

/** `arn:aws:lambda:r:a:function:name`, without a `:version` or `:alias` qualifier. */
export function unqualifiedFunctionArn(arn: string): string {
  return arn.split(':').slice(0, 7).join(':');
}

/** A role's name from its ARN (`arn:aws:iam::a:role/service-role/name` -> `name`). */
export function roleNameOf(roleArn: string): string {
  const parsed = parseArn(roleArn);
  return (parsed?.name ?? roleArn).split('/').pop() ?? '';
}

/** One function as a resource. */
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
