import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken, StandardRetryToken } from '@smithy/types';

export interface RetryLimits {
  /** Attempts for a call that AWS keeps throttling: throttling passes with patience. */
  maxAttempts: number;
  /** Attempts when any failure was not throttling (refused, reset, timed out, 5xx): a dead endpoint stays dead. */
  transientMaxAttempts: number;
}

/**
 * The SDK's adaptive strategy (client-side rate limiting, backoff, retry
 * budget), with one limit added: a failure that is not throttling is retried
 * only while the attempts that failed that way stay under `transientMaxAttempts`,
 * so an unreachable or silent endpoint costs a few attempts, not `maxAttempts`
 * timeouts, while throttling still gets all of `maxAttempts`.
 */
export class RollcallRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'adaptive';
  private readonly inner: AdaptiveRetryStrategy;
  /** Failed attempts that were not throttling, per live token. */
  private readonly transientFailures = new WeakMap<RetryToken, number>();

  constructor(readonly limits: RetryLimits) {
    this.inner = new AdaptiveRetryStrategy(limits.maxAttempts, { maxAttempts: limits.maxAttempts });
  }

  acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return this.inner.acquireInitialRetryToken(scope);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const failures = (this.transientFailures.get(token) ?? 0) + (errorInfo.errorType === 'THROTTLING' ? 0 : 1);
    if (failures >= this.limits.transientMaxAttempts) throw new Error('No retry token available: transient retry limit reached');
    const next = await this.inner.refreshRetryTokenForRetry(token as StandardRetryToken, errorInfo);
    this.transientFailures.set(next, failures);
    return next;
  }

  recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token as StandardRetryToken);
  }
}
