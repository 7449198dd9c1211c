/**
 * What happened when an AWS call failed, told from the error alone: the
 * network's failures (reset, refused, timed out, name not resolved) apart from
 * each other and from AWS's answers (throttling, access denied, 5xx).
 *
 * The SDK's HTTP handler names a reset, a broken pipe and a response timeout
 * all `TimeoutError`; the error's code and message tell them apart:
 * - ECONNRESET / EPIPE (`socket hang up`, `read ECONNRESET`, `aborted`): the
 *   connection was closed on us, with or before the answer;
 * - the handler's "did not establish a connection" (or a system ETIMEDOUT on
 *   connect): nothing answered the connection;
 * - the handler's requestTimeout (code ETIMEDOUT) or socket inactivity
 *   timeout: connected, but no (complete) answer in time.
 */
import { isThrottlingError } from '@smithy/core/retry';

export type FailureKind =
  | 'connection reset'
  | 'connection refused'
  | 'connect timeout'
  | 'response timeout'
  | 'DNS failure'
  | 'network unreachable'
  | 'throttling'
  | 'access denied'
  | 'server error';

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  syscall?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'AuthorizationError']);

/** The failures of the network, which say nothing about what AWS would have answered. */
export const NETWORK_FAILURES: ReadonlySet<FailureKind> = new Set<FailureKind>([
  'connection reset',
  'connection refused',
  'connect timeout',
  'response timeout',
  'DNS failure',
  'network unreachable',
]);

/** What happened, or undefined for anything else (a validation error, a missing entity, a bug). */
export function failureKind(err: unknown): FailureKind | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as ErrorShape;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  switch (code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection reset';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'DNS failure';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return 'network unreachable';
    case 'ETIMEDOUT':
      // The kernel's connect timeout carries syscall `connect`; the handler's requestTimeout does not.
      return e.syscall === 'connect' ? 'connect timeout' : 'response timeout';
  }
  if (e.name === 'TimeoutError') return /establish a connection/.test(message) ? 'connect timeout' : 'response timeout';
  if (message === 'socket hang up') return 'connection reset';
  if (typeof e.name === 'string' && ACCESS_DENIED.has(e.name)) return 'access denied';
  if (isThrottlingError(err as Parameters<typeof isThrottlingError>[0])) return 'throttling';
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500 && status <= 599) return 'server error';
  return undefined;
}
