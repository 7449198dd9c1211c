import {
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executor as deleteFunction } from '../../../../src/apply/executors/deleteFunction.js';
import { executor as throttleFunction } from '../../../../src/apply/executors/throttleFunction.js';
import { ACCOUNT, context, step, trace } from './context.js';

const lambda = mockClient(LambdaClient);
const THROTTLE = step('throttleFunction', { type: 'lambda.function', id: 'exfil', region: 'eu-west-1' });
const DELETE = step('deleteFunction', { type: 'lambda.function', id: 'exfil', region: 'eu-west-1' });
const ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/exfil-role`;
const gone = () => new ResourceNotFoundException({ message: 'Function not found: exfil', $metadata: {} });

beforeEach(() => {
  lambda.reset();
});

describe('throttleFunction', () => {
  it.each([
    [null, 'DeleteFunctionConcurrency exfil'],
    [25, 'PutFunctionConcurrency exfil 25'],
  ])('sets reserved concurrency 0, records the previous (%s), and undo restores it', async (previous, restore) => {
    lambda.on(GetFunctionConcurrencyCommand).resolves(previous === null ? {} : { ReservedConcurrentExecutions: previous });
    lambda.on(PutFunctionConcurrencyCommand).resolves({});
    lambda.on(DeleteFunctionConcurrencyCommand).resolves({});
    const ctx = context();
    const outcome = await throttleFunction.run(THROTTLE, ctx);
    expect(outcome).toEqual({ result: 'done', undo: { previousReservedConcurrency: previous } });
    await throttleFunction.undo!(THROTTLE, outcome.undo!, ctx);
    expect(trace(lambda)).toEqual(['GetFunctionConcurrency exfil', 'PutFunctionConcurrency exfil 0', restore]);
  });

  it('is `already` at 0 or when the function is gone', async () => {
    lambda.on(GetFunctionConcurrencyCommand).resolvesOnce({ ReservedConcurrentExecutions: 0 }).rejects(gone());
    expect(await throttleFunction.run(THROTTLE, context())).toEqual({ result: 'already' });
    expect(await throttleFunction.run(THROTTLE, context())).toEqual({ result: 'already' });
    expect(lambda.commandCalls(PutFunctionConcurrencyCommand)).toHaveLength(0);
  });

  it('undo says gone for a deleted function, and fails clearly for a journal without the record', async () => {
    lambda.on(PutFunctionConcurrencyCommand).rejects(gone());
    const ctx = context();
    expect(await throttleFunction.undo!(THROTTLE, { previousReservedConcurrency: 5 }, ctx)).toBe('gone');
    expect(ctx.logs).toContain('function exfil no longer exists: its concurrency cannot be restored');
    await expect(throttleFunction.undo!(THROTTLE, {}, context())).rejects.toThrow("the journal's undo record has no 'previousReservedConcurrency'");
  });

  it('observe gives the role and last-modified time as the collector maps them', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolvesOnce({ FunctionName: 'exfil', Role: ROLE, LastModified: '2026-11-20T10:11:12.345+0000', Runtime: 'python3.12' }).rejects(gone());
    expect(await throttleFunction.observe(THROTTLE, context())).toEqual({
      exists: true,
      props: expect.objectContaining({ name: 'exfil', roleArn: ROLE, roles: ['exfil-role'], lastModified: '2026-11-20T10:11:12.345Z' }),
    });
    expect(await deleteFunction.observe(DELETE, context())).toEqual({ exists: false, props: {} });
  });
});

describe('deleteFunction', () => {
  it('deletes the function; gone is `already`', async () => {
    lambda.on(DeleteFunctionCommand).resolvesOnce({}).rejects(gone());
    expect(await deleteFunction.run(DELETE, context())).toEqual({ result: 'done' });
    expect(await deleteFunction.run(DELETE, context())).toEqual({ result: 'already' });
    expect(deleteFunction.undo).toBeUndefined();
  });
});
