import { failureKind, NETWORK_FAILURES } from '../aws/failure.js';
import { redact } from '../redact.js';

/**
 * What a failed call is called in a gap and a failure message: what the
 * network did (`connection reset`, `connect timeout`, `response timeout`,
 * `connection refused`, `DNS failure`, `network unreachable`; see
 * aws/failure.ts), else the error's name as AWS gave it (AccessDenied,
 * Throttling, RequestLimitExceeded), else a system error's code.
 */
export function errorCode(err: unknown): string {
  const kind = failureKind(err);
  if (kind && NETWORK_FAILURES.has(kind)) return kind;
  const e = err as { name?: unknown; code?: unknown } | null;
  if (typeof e?.name === 'string' && e.name !== '' && e.name !== 'Error') return e.name;
  return typeof e?.code === 'string' && e.code !== '' ? e.code : 'Error';
}

/** The error's message, with anything secret-shaped masked. */
export function errorMessage(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  return redact(typeof message === 'string' ? message : String(err));
}

/** The error carries one of these AWS error codes (the SDK names IAM's `NoSuchEntity` `NoSuchEntityException`). */
export function hasCode(err: unknown, ...codes: string[]): boolean {
  const e = err as { name?: unknown; Code?: unknown } | null;
  return codes.some((code) => e?.name === code || e?.name === `${code}Exception` || e?.Code === code);
}

/** IAM's answer when the thing named does not exist (a user, a key, a policy, an attachment). */
export const isNoSuchEntity = (err: unknown): boolean => hasCode(err, 'NoSuchEntity');
