import type { RetryErrorInfo, RetryErrorType } from '@smithy/types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callKind, recordOperation } from '../../../src/aws/call-kind.js';
import { retryBudget, RollcallRetryStrategy } from '../../../src/aws/retry.js';

const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', name: 'TimeoutError' });
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', syscall: 'connect' });
const silent = () => Object.assign(new Error('a request has exceeded the configured 15000 ms requestTimeout.'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
const internal = () => Object.assign(new Error('We encountered an internal error'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });

interface Failure {
  error: Error;
  errorType: RetryErrorType;
}
const RESET: () => Failure = () => ({ error: reset(), errorType: 'TRANSIENT' });
const REFUSED: () => Failure = () => ({ error: refused(), errorType: 'TRANSIENT' });
const SILENT: () => Failure = () => ({ error: silent(), errorType: 'TRANSIENT' });
const THROTTLED: () => Failure = () => ({ error: throttled(), errorType: 'THROTTLING' });
const INTERNAL: () => Failure = () => ({ error: internal(), errorType: 'TRANSIENT' });
const NO_SUCH_ENTITY: () => Failure = () => ({ error: Object.assign(new Error('no login profile'), { name: 'NoSuchEntityException', $metadata: { httpStatusCode: 404 } }), errorType: 'CLIENT_ERROR' });

/**
 * Runs one call of `operation` whose attempts fail with `failures` in turn
 * (then succeed) under the strategy, as the SDK's retry middleware drives it
 * with errors tagged by the client, and returns the attempts made and whether
 * the call succeeded. Backoff sleeps run on fake timers.
 */
async function drive(strategy: RollcallRetryStrategy, operation: string, failures: Array<() => Failure>): Promise<{ attempts: number; ok: boolean }> {
  const run = (async () => {
    let token = await strategy.acquireInitialRetryToken('');
    for (let attempt = 1; ; attempt++) {
      const next = failures[attempt - 1];
      if (next === undefined) {
        strategy.recordSuccess(token);
        return { attempts: attempt, ok: true };
      }
      const { error, errorType } = next();
      recordOperation(error, `${operation}Command`);
      try {
        token = await strategy.refreshRetryTokenForRetry(token, { error: error as RetryErrorInfo['error'], errorType });
      } catch {
        return { attempts: attempt, ok: false };
      }
    }
  })();
  for (let i = 0; i < 100 && !settled(run); i++) await vi.advanceTimersByTimeAsync(30_000);
  return run;
}

const done = new WeakSet<Promise<unknown>>();
function settled(p: Promise<unknown>): boolean {
  void p.then(() => done.add(p));
  return done.has(p);
}

const times = (n: number, f: () => Failure): Array<() => Failure> => Array.from({ length: n }, () => f);

describe('callKind', () => {
  it('reads are Describe, List, Get and Lookup operations, and GenerateCredentialReport', () => {
    for (const op of ['DescribeInstances', 'ListFunctions', 'GetResources', 'GetCallerIdentity', 'GetAccountAuthorizationDetails', 'GenerateCredentialReport', 'ListUserTagsCommand', 'LookupEvents', 'ListObjectsV2', 'GetObject']) {
      expect(callKind(op), op).toBe('read');
    }
  });

  it('writes idempotent by AWS semantics are told apart from the rest; an unknown or missing name is a write', () => {
    for (const op of ['UpdateAccessKey', 'StopInstances', 'TerminateInstances', 'PutFunctionConcurrency', 'PutUserPolicy', 'AddUserToGroup']) {
      expect(callKind(op), op).toBe('idempotent-write');
    }
    for (const op of ['CreateAccessKey', 'DeleteAccessKey', 'CreateUser', 'RunInstances', 'DeleteUser', 'Getaway', 'Listen', 'Lookup', '', undefined]) {
      expect(callKind(op), String(op)).toBe('write');
    }
  });
});

describe('retryBudget', () => {
  it('throttling is patient for every call; client errors are never retried', () => {
    for (const call of ['read', 'idempotent-write', 'write'] as const) {
      expect(retryBudget('THROTTLING', 'throttling', call)).toBe('patient');
      expect(retryBudget('CLIENT_ERROR', 'access denied', call)).toBe('refused');
    }
  });

  it('a reset read is patient; a read whose endpoint seems down, or that answers 5xx, is bounded', () => {
    expect(retryBudget('TRANSIENT', 'connection reset', 'read')).toBe('patient');
    for (const f of ['connection refused', 'connect timeout', 'response timeout', 'DNS failure', 'server error'] as const) {
      expect(retryBudget('TRANSIENT', f, 'read'), f).toBe('bounded');
    }
  });

  it('a write is not sent again after a failure that leaves its outcome unknown, but is after one that proves it was never sent', () => {
    expect(retryBudget('TRANSIENT', 'connection reset', 'write')).toBe('never');
    expect(retryBudget('TRANSIENT', 'response timeout', 'write')).toBe('never');
    expect(retryBudget('TRANSIENT', 'connection refused', 'write')).toBe('bounded');
    expect(retryBudget('TRANSIENT', 'connect timeout', 'write')).toBe('bounded');
    expect(retryBudget('TRANSIENT', 'connection reset', 'idempotent-write')).toBe('bounded');
  });
});

describe('RollcallRetryStrategy, by operation', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const strategy = () => new RollcallRetryStrategy({ maxAttempts: 8, transientMaxAttempts: 2 });

  it('retries a reset read like throttling, up to maxAttempts', async () => {
    expect(await drive(strategy(), 'DescribeInstances', times(7, RESET))).toEqual({ attempts: 8, ok: true });
    expect(await drive(strategy(), 'GetCallerIdentity', times(20, RESET))).toEqual({ attempts: 8, ok: false });
    expect(await drive(strategy(), 'ListFunctions', [RESET, THROTTLED, RESET, THROTTLED, RESET, RESET, THROTTLED])).toEqual({ attempts: 8, ok: true });
  });

  it('a read whose endpoint refuses or never answers costs transientMaxAttempts attempts, resets besides', async () => {
    expect(await drive(strategy(), 'DescribeInstances', times(20, REFUSED))).toEqual({ attempts: 2, ok: false });
    expect(await drive(strategy(), 'DescribeInstances', times(20, SILENT))).toEqual({ attempts: 2, ok: false });
    expect(await drive(strategy(), 'DescribeInstances', [SILENT, REFUSED])).toEqual({ attempts: 2, ok: false });
    expect(await drive(strategy(), 'DescribeInstances', [RESET, SILENT, RESET, THROTTLED])).toEqual({ attempts: 5, ok: true });
    expect(await drive(strategy(), 'GetAccountAuthorizationDetails', [INTERNAL, INTERNAL])).toEqual({ attempts: 2, ok: false });
  });

  it('never sends a write again after a reset or a response timeout', async () => {
    expect(await drive(strategy(), 'CreateAccessKey', [RESET])).toEqual({ attempts: 1, ok: false });
    expect(await drive(strategy(), 'DeleteUser', [SILENT])).toEqual({ attempts: 1, ok: false });
    expect(await drive(strategy(), 'CreateAccessKey', [THROTTLED, THROTTLED, RESET])).toEqual({ attempts: 3, ok: false });
  });

  it('keeps the standard rules for writes otherwise: throttling patiently, a refused connection or a 5xx a bounded number of times', async () => {
    expect(await drive(strategy(), 'CreateAccessKey', times(7, THROTTLED))).toEqual({ attempts: 8, ok: true });
    expect(await drive(strategy(), 'CreateAccessKey', [REFUSED])).toEqual({ attempts: 2, ok: true });
    expect(await drive(strategy(), 'CreateAccessKey', [REFUSED, INTERNAL])).toEqual({ attempts: 2, ok: false });
  });

  it('an idempotent write keeps the standard rules, resets included', async () => {
    expect(await drive(strategy(), 'UpdateAccessKey', [RESET])).toEqual({ attempts: 2, ok: true });
    expect(await drive(strategy(), 'StopInstances', [RESET, SILENT])).toEqual({ attempts: 2, ok: false });
  });
});

describe('RollcallRetryStrategy, the retry quota', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('does not drain while retries overcome a steady share of failures', async () => {
    const strategy = new RollcallRetryStrategy({ maxAttempts: 8, transientMaxAttempts: 2 });
    // Each call costs the SDK's quota 5 + 14 (+ 5) before it succeeds; the SDK gave back only the last retry's cost,
    // so that the 500 ran out after some 30 calls. Every call succeeding gives all of it back.
    for (let i = 0; i < 200; i++) {
      expect(await drive(strategy, 'ListAccessKeys', [THROTTLED, RESET, THROTTLED])).toEqual({ attempts: 4, ok: true });
    }
    expect(strategy.capacity()).toBe(500);
  });

  it('does not drain when the call ends in an answer that is an error (a user without a password: NoSuchEntity)', async () => {
    const strategy = new RollcallRetryStrategy({ maxAttempts: 8, transientMaxAttempts: 2 });
    for (let i = 0; i < 200; i++) {
      expect(await drive(strategy, 'GetLoginProfile', [THROTTLED, RESET, NO_SUCH_ENTITY])).toEqual({ attempts: 3, ok: false });
    }
    expect(strategy.capacity()).toBe(500);
  });

  it('still stops retrying when calls keep failing outright', async () => {
    const strategy = new RollcallRetryStrategy({ maxAttempts: 8, transientMaxAttempts: 2 });
    const results = [];
    for (let i = 0; i < 30; i++) results.push(await drive(strategy, 'ListAccessKeys', times(20, RESET)));
    expect(results[0]).toEqual({ attempts: 8, ok: false });
    expect(results.at(-1)).toEqual({ attempts: 1, ok: false });
  });
});
