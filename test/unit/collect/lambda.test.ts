import { LambdaClient, ListFunctionsCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { roleNameOf, unqualifiedFunctionArn } from '../../../src/answers/lambda.js';
import { collectLambda } from '../../../src/collect/lambda.js';
import { isoText } from '../../../src/answers/values.js';
import type { RegionalContext } from '../../../src/answers/regional.js';
import { ACCOUNT, awsError, regional, SECRET_LIKE, servePages } from '../../helpers/regional.js';

const REGION = 'us-east-1';
const CTX: RegionalContext = { accountId: ACCOUNT, region: REGION, now: new Date('2026-11-22T12:00:00Z') };
const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

const lambda = mockClient(LambdaClient);
const client = () => new LambdaClient({ region: REGION });
const fn = (name: string, extra: Partial<FunctionConfiguration> = {}): FunctionConfiguration => ({ FunctionName: name, FunctionArn: fnArn(name), ...extra });

beforeEach(() => {
  lambda.reset();
});

describe('collectLambda', () => {
  it('reads every page, 50 a page, following NextMarker, with no call per function', async () => {
    const seen = servePages(lambda.on(ListFunctionsCommand), [
      { Functions: [fn('orders-b'), fn('orders-a')], NextMarker: 'm2' },
      { Functions: [fn('billing')], NextMarker: 'm3' },
      { Functions: [fn('zeta')] },
    ]);
    const { resources, gaps } = await collectLambda(client(), CTX);
    expect(gaps).toEqual([]);
    expect(seen).toEqual([
      { MaxItems: 50, Marker: undefined },
      { MaxItems: 50, Marker: 'm2' },
      { MaxItems: 50, Marker: 'm3' },
    ]);
    expect(lambda.calls().map((c) => (c.args[0] as object).constructor.name)).toEqual(['ListFunctionsCommand', 'ListFunctionsCommand', 'ListFunctionsCommand']);
    expect(resources.map((r) => r.id)).toEqual(['billing', 'orders-a', 'orders-b', 'zeta']);
  });

  it('maps a function exactly: role name from the role ARN, ISO lastModified, unqualified ARN, no tags', async () => {
    lambda.on(ListFunctionsCommand).resolves({
      Functions: [
        fn('orders-api', {
          FunctionArn: `${fnArn('orders-api')}:$LATEST`,
          Runtime: 'nodejs20.x',
          Role: `arn:aws:iam::${ACCOUNT}:role/service-role/orders-api-role`,
          Handler: 'index.handler',
          LastModified: '2026-11-20T10:11:12.345+0000',
          CodeSize: 2048,
          MemorySize: 256,
          Timeout: 30,
          PackageType: 'Zip',
        }),
      ],
    });
    const { resources } = await collectLambda(client(), CTX);
    expect(resources).toEqual([
      regional('lambda.function', 'orders-api', fnArn('orders-api'), REGION, {}, {
        name: 'orders-api',
        runtime: 'nodejs20.x',
        roleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/orders-api-role`,
        roles: ['orders-api-role'],
        handler: 'index.handler',
        lastModified: '2026-11-20T10:11:12.345Z',
        codeSize: 2048,
        memorySize: 256,
        timeout: 30,
        packageType: 'Zip',
      }),
    ]);
  });

  it('maps a container-image function without runtime, handler or role to nulls and no roles', async () => {
    lambda.on(ListFunctionsCommand).resolves({ Functions: [fn('image-fn', { PackageType: 'Image' })] });
    const { resources } = await collectLambda(client(), CTX);
    expect(resources[0]!.props).toEqual({
      name: 'image-fn',
      runtime: null,
      roleArn: null,
      roles: [],
      handler: null,
      lastModified: null,
      codeSize: null,
      memorySize: null,
      timeout: null,
      packageType: 'Image',
    });
  });

  it('turns AccessDeniedException into a gap for lambda.function, with the message redacted', async () => {
    lambda
      .on(ListFunctionsCommand)
      .rejects(awsError('AccessDeniedException', `User is not authorized to perform: lambda:ListFunctions (token ${SECRET_LIKE})`));
    const result = await collectLambda(client(), CTX);
    expect(result).toEqual({
      resources: [],
      gaps: [
        {
          type: 'lambda.function',
          region: REGION,
          operation: 'lambda:ListFunctions',
          code: 'AccessDeniedException',
          message: 'User is not authorized to perform: lambda:ListFunctions (token [redacted])',
        },
      ],
    });
  });

  it('returns no function at all when page 2 fails', async () => {
    servePages(lambda.on(ListFunctionsCommand), [{ Functions: [fn('a'), fn('b')], NextMarker: 'm2' }, awsError('TooManyRequestsException', 'Rate exceeded', 429)]);
    const { resources, gaps } = await collectLambda(client(), CTX);
    expect(resources).toEqual([]);
    expect(gaps.map((g) => [g.type, g.operation, g.code, g.message])).toEqual([['lambda.function', 'lambda:ListFunctions', 'TooManyRequestsException', 'Rate exceeded']]);
  });
});

describe('lambda helpers', () => {
  it('strips a version or alias qualifier from a function ARN', () => {
    expect(unqualifiedFunctionArn(fnArn('f'))).toBe(fnArn('f'));
    expect(unqualifiedFunctionArn(`${fnArn('f')}:7`)).toBe(fnArn('f'));
    expect(unqualifiedFunctionArn(`${fnArn('f')}:live`)).toBe(fnArn('f'));
  });

  it('reads a role name from the last segment of the role ARN', () => {
    expect(roleNameOf(`arn:aws:iam::${ACCOUNT}:role/app`)).toBe('app');
    expect(roleNameOf(`arn:aws:iam::${ACCOUNT}:role/a/b/deep`)).toBe('deep');
    expect(roleNameOf('not-an-arn')).toBe('not-an-arn');
  });

  it('normalises the timestamps AWS and moto write to ISO-8601 UTC', () => {
    expect(isoText('2026-11-20T10:11:12.345+0000')).toBe('2026-11-20T10:11:12.345Z');
    expect(isoText('2026-11-20T10:11:12+0200')).toBe('2026-11-20T08:11:12.000Z');
    expect(isoText('2026-11-20T10:11:12.5-05:30')).toBe('2026-11-20T15:41:12.500Z');
    expect(isoText('2026-11-22T11:39:33.529586000Z')).toBe('2026-11-22T11:39:33.529Z');
    expect(isoText('2026-11-22T11:39:33')).toBe('2026-11-22T11:39:33.000Z');
    expect(isoText('2026-13-45T99:00:00Z')).toBeNull();
    expect(isoText('yesterday')).toBeNull();
    expect(isoText('')).toBeNull();
    expect(isoText(undefined)).toBeNull();
  });
});
