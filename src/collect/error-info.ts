import { redact } from '../redact.js';

/**
 * What a failed call is called in a gap: the error's name (AccessDenied,
 * Throttling, TimeoutError), or a network error's code (ECONNREFUSED) when the
 * name is only `Error`.
 */
export function errorCode(err: unknown): string {
  const e = err as { name?: unknown; code?: unknown } | null;
  if (typeof e?.name === 'string' && e.name !== '' && e.name !== 'Error') return e.name;
  return typeof e?.code === 'string' && e.code !== '' ? e.code : 'Error';
}

/** The error's message, with anything secret-shaped masked. */
export function errorMessage(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  return redact(typeof message === 'string' ? message : String(err));
}
