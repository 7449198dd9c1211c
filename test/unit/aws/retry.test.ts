import type { RetryErrorType } from '@smithy/types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../../src/aws/clients.js';
import { RollcallRetryStrategy } from '../../../src/aws/retry.js';

/**
 * Runs one call whose attempts fail with `errors` in turn (then succeed) under
 * the strategy, as the SDK's retry middleware drives it, and returns how many
 * attempts were made and whether the call succeeded. Backoff sleeps run on fake timers.
 */
async function drive(strategy: RollcallRetryStrategy, errors: RetryErrorType[]): Promise<{ attempts: number; ok: boolean }> {
  const run = (async () => {
    let token = await strategy.acquireInitialRetryToken('');
    for (let attempt = 1; ; attempt++) {
      const errorType = errors[attempt - 1];
      if (errorType === undefined) {
        strategy.recordSuccess(token);
        return { attempts: attempt, ok: true };
      }
      try {
        token = await strategy.refreshRetryTokenForRetry(token, { errorType });
      } catch {
        return { attempts: attempt, ok: false };
      }
    }
  })();
  for (let i = 0; i < 100; i++) await vi.advanceTimersByTimeAsync(30_000);
  return run;
}

const times = (n: number, type: RetryErrorType): RetryErrorType[] => Array.from({ length: n }, () => type);

describe('RollcallRetryStrategy', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const strategy = () => new RollcallRetryStrategy({ maxAttempts: 8, transientMaxAttempts: 3 });

  it('retries throttling up to maxAttempts', async () => {
    expect(await drive(strategy(), times(7, 'THROTTLING'))).toEqual({ attempts: 8, ok: true });
    expect(await drive(strategy(), times(20, 'THROTTLING'))).toEqual({ attempts: 8, ok: false });
  });

  it('gives up on a transient failure (refused, reset, timed out) after transientMaxAttempts', async () => {
    expect(await drive(strategy(), times(2, 'TRANSIENT'))).toEqual({ attempts: 3, ok: true });
    expect(await drive(strategy(), times(20, 'TRANSIENT'))).toEqual({ attempts: 3, ok: false });
  });

  it('counts only the failures that were not throttling against the transient limit', async () => {
    const errors: RetryErrorType[] = [...times(4, 'THROTTLING'), 'TRANSIENT', 'THROTTLING', 'TRANSIENT', 'TRANSIENT'];
    expect(await drive(strategy(), errors)).toEqual({ attempts: 8, ok: false });
    expect(await drive(strategy(), errors.slice(0, 7))).toEqual({ attempts: 8, ok: true });
  });

  it('never retries a client error (access denied, validation)', async () => {
    expect(await drive(strategy(), ['CLIENT_ERROR'])).toEqual({ attempts: 1, ok: false });
  });

  it('maxAttempts 1 makes one attempt, whatever the error', async () => {
    const once = new RollcallRetryStrategy({ maxAttempts: 1, transientMaxAttempts: 1 });
    expect(await drive(once, ['THROTTLING'])).toEqual({ attempts: 1, ok: false });
    expect(await drive(once, ['TRANSIENT'])).toEqual({ attempts: 1, ok: false });
  });
});

describe('AwsClients', () => {
  it('gives every client the strategy, with the transient limit capped by maxAttempts', async () => {
    const clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, maxAttempts: 2 });
    try {
      const strategy = await clients.ec2('eu-west-1').config.retryStrategy();
      expect(strategy).toBeInstanceOf(RollcallRetryStrategy);
      expect((strategy as RollcallRetryStrategy).limits).toEqual({ maxAttempts: 2, transientMaxAttempts: 2 });
      expect(clients.ec2('eu-west-1')).toBe(clients.ec2('eu-west-1'));
      expect(clients.ec2('eu-west-2')).not.toBe(clients.ec2('eu-west-1'));
    } finally {
      clients.destroy();
    }
  });

  it('honours AWS_MAX_ATTEMPTS', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', '3');
    vi.resetModules();
    try {
      const fresh = await import('../../../src/aws/clients.js');
      expect(fresh.DEFAULT_CLIENT_OPTIONS.maxAttempts).toBe(3);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });

  it('aims one service in one region at its own endpoint (the others keep the SDK default)', async () => {
    const clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, endpoints: { 'ec2@ap-south-1': 'http://127.0.0.1:9' } });
    try {
      const south = await clients.ec2('ap-south-1').config.endpoint?.();
      expect(south && `${south.protocol}//${south.hostname}:${south.port}`).toBe('http://127.0.0.1:9');
      expect(clients.ec2('eu-west-1').config.endpoint).toBeUndefined();
      expect(clients.lambda('ap-south-1').config.endpoint).toBeUndefined();
    } finally {
      clients.destroy();
    }
  });
});
