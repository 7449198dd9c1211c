/**
 * How the executors tell AWS's answers apart: "it is not there" (the step's
 * work is done), "something still holds it" (clean up and retry), and "this
 * emulator does not implement the call" (moto), from everything else, which
 * always propagates: an AccessDenied is never read as "nothing there".
 */
import { hasCode } from '../../answers/error-info.js';
import type { Plain } from '../../model/resource.js';
import type { Observed } from '../executor.js';

interface AwsErrorShape {
  name?: unknown;
  Code?: unknown;
  $metadata?: { httpStatusCode?: number };
  $responseBodyText?: unknown;
  $response?: { headers?: Record<string, string | undefined> };
}

export const isDeleteConflict = (err: unknown): boolean => hasCode(err, 'DeleteConflict');

/**
 * The endpoint does not implement the call: a `NotImplemented` code or HTTP 501,
 * or what moto answers for an unimplemented action, HTTP 500 with an HTML page.
 * No AWS API answers HTML, so such an answer carries no AWS error code and the
 * SDK fails to parse it (the error is a plain `Error`). A 500 with an AWS code
 * (InternalFailure, ServiceFailure) is a real failure and is not matched.
 */
export function isNotImplemented(err: unknown): boolean {
  const e = err as AwsErrorShape | null;
  if (hasCode(err, 'NotImplemented')) return true;
  const status = e?.$metadata?.httpStatusCode;
  if (status === 501) return true;
  if (status !== 500 || e?.name !== 'Error') return false;
  const body = typeof e.$responseBodyText === 'string' ? e.$responseBodyText : '';
  const contentType = e.$response?.headers?.['content-type'] ?? '';
  return /^\s*<(!doctype html|html)/i.test(body) || contentType.startsWith('text/html');
}

/** The call's answer, or `undefined` when it fails with one of `codes` (the thing is not there). */
export async function unlessMissing<T>(call: Promise<T>, ...codes: string[]): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (hasCode(err, ...codes)) return undefined;
    throw err;
  }
}

/** What observe() returns for a target read as `props`, or as gone (`null`). */
export const observed = (props: Record<string, Plain> | null): Observed => (props ? { exists: true, props } : { exists: false, props: {} });
