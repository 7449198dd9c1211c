import { DefaultRateLimiter, StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken, StandardRetryToken } from '@smithy/types';
import { callKind, operationOf, type CallKind } from './call-kind.js';
import { failureKind, type FailureKind } from './failure.js';

export interface RetryLimits {
  /** Attempts for a call that AWS keeps throttling: throttling passes with patience. */
  maxAttempts: number;
  /** Attempts that may fail because the endpoint is down (refused, not resolved, connect or response timeout): a dead endpoint stays dead. */
  transientMaxAttempts: number;
}

/**
 * How a failed attempt counts against the call's limits:
 * - `patient`: only `maxAttempts` bounds it (throttling; for reads, also a
 *   reset connection, which a live endpoint on a bad network gives and the
 *   next attempt usually does not);
 * - `bounded`: at most `transientMaxAttempts` such failures per call (an
 *   endpoint that refuses, cannot be resolved or never answers costs seconds;
 *   a 5xx, as the SDK has it);
 * - `never`: not sent again (a write whose first attempt may have taken
 *   effect: the connection was reset or timed out before any answer);
 * - `refused`: the SDK's own verdict is final (client errors).
 */
export type RetryBudget = 'patient' | 'bounded' | 'never' | 'refused';

/** Failures after which the request may have reached AWS and been carried out, with no answer to say so. */
const AMBIGUOUS: ReadonlySet<FailureKind | undefined> = new Set<FailureKind | undefined>(['connection reset', 'response timeout']);

/**
 * The budget one failed attempt draws on, from the SDK's error type, what
 * happened and the kind of call. A read may be sent again after anything but
 * a client error (patiently after a reset, a few times when the endpoint
 * seems down or answers 5xx); writes keep the SDK's standard rules (throttling patiently,
 * other transient failures a few times), except that a write which is not
 * idempotent is never sent again after a reset or a timeout that left its
 * outcome unknown (a second CreateAccessKey would make a key whose secret
 * nobody holds); its caller observes what happened instead.
 */
export function retryBudget(errorType: RetryErrorInfo['errorType'], failure: FailureKind | undefined, call: CallKind): RetryBudget {
  if (errorType === 'THROTTLING') return 'patient';
  // A client error, or a 5xx the SDK does not call transient (501), is not retried.
  if (errorType !== 'TRANSIENT') return 'refused';
  if (call === 'read') return failure === 'connection reset' ? 'patient' : 'bounded';
  if (call === 'write' && AMBIGUOUS.has(failure)) return 'never';
  return 'bounded';
}

/**
 * The SDK's adaptive strategy (its standard strategy: exponential backoff with
 * jitter and a retry quota, behind its client-side rate limiter), composed here
 * as the SDK's AdaptiveRetryStrategy composes it, with two changes:
 * - the limits of `retryBudget`: reads survive throttling and resets up to
 *   `maxAttempts`, while an unreachable or silent endpoint costs at most
 *   `transientMaxAttempts` attempts, and an ambiguous write is not repeated.
 *   The operation comes from the error (see `tagFailures`); an error from an
 *   untagged client is a write's;
 * - a call that AWS answers in the end, with success or with an error of
 *   its own (NoSuchEntity for a user without a password, AccessDenied),
 *   gives back to the retry quota everything its retries took (the SDK gives
 *   back a successful call's last retry only, an answered error's nothing).
 *   The quota (500 per client; a retry costs 5 after throttling, 14
 *   otherwise) still stops retries when calls keep failing outright, but no
 *   longer drains under a steady share of failures that retries overcome: at
 *   30% throttling plus 5% resets it ran dry after some hundreds of IAM
 *   calls, and every later failure became a gap.
 */
export class RollcallRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'adaptive';
  private readonly standard: StandardRetryStrategy;
  private readonly limiter = new DefaultRateLimiter();
  /** Failed attempts drawn on the bounded budget, per live token. */
  private readonly bounded = new WeakMap<RetryToken, number>();
  /** What the call's retries before this token's took from the quota, per live token. */
  private readonly spent = new WeakMap<RetryToken, number>();

  constructor(readonly limits: RetryLimits) {
    this.standard = new StandardRetryStrategy({ maxAttempts: limits.maxAttempts });
  }

  async acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    const token = await this.standard.acquireInitialRetryToken(scope);
    await this.limiter.getSendToken();
    return token;
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    this.limiter.updateClientSendingRate(errorInfo);
    // AWS answered (NoSuchEntity, AccessDenied): the endpoint is healthy, and the call's retries are given back as on success.
    if (errorInfo.errorType === 'CLIENT_ERROR') this.giveBack((this.spent.get(token) ?? 0) + ((token as StandardRetryToken).getRetryCost() ?? 0));
    const budget = retryBudget(errorInfo.errorType, failureKind(errorInfo.error), callKind(operationOf(errorInfo.error)));
    if (budget === 'never') throw new Error('No retry token available: a write whose outcome is unknown is not sent again');
    const failures = (this.bounded.get(token) ?? 0) + (budget === 'bounded' ? 1 : 0);
    if (failures >= this.limits.transientMaxAttempts) throw new Error('No retry token available: transient retry limit reached');
    const next = await this.standard.refreshRetryTokenForRetry(token as StandardRetryToken, errorInfo);
    await this.limiter.getSendToken();
    this.bounded.set(next, failures);
    this.spent.set(next, (this.spent.get(token) ?? 0) + ((token as StandardRetryToken).getRetryCost() ?? 0));
    return next;
  }

  recordSuccess(token: RetryToken): void {
    this.limiter.updateClientSendingRate({});
    this.standard.recordSuccess(token as StandardRetryToken);
    this.giveBack(this.spent.get(token) ?? 0);
  }

  /** Returns `cost` to the quota (the standard strategy adds a token's cost back on success, up to its maximum). */
  private giveBack(cost: number): void {
    if (cost > 0) this.standard.recordSuccess({ getRetryCost: () => cost } as StandardRetryToken);
  }

  /** The retry quota left (the SDK's capacity), for tests. */
  capacity(): number {
    return this.standard.getCapacity();
  }
}
