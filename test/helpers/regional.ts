/**
 * For the regional collectors' tests: paginated answers from aws-sdk-client-mock,
 * errors as the SDK raises them, and the resources the collectors should return.
 * SDK paginators reuse one input object for every page, so the inputs the mock
 * records all show the last token; `servePages` copies each input as it arrives.
 */
import type { Plain, Resource, ResourceType } from '../../src/model/resource.js';

export const ACCOUNT = '123456789012';

interface Fakeable {
  callsFake(fn: (input: Record<string, unknown>) => unknown): unknown;
}

/** Answers successive calls with `pages` in turn (an Error is thrown); returns a copy of each input as sent. */
export function servePages(stub: Fakeable, pages: (object | Error)[]): Record<string, unknown>[] {
  const seen: Record<string, unknown>[] = [];
  stub.callsFake((input) => {
    seen.push({ ...input });
    const page = pages[seen.length - 1];
    if (page === undefined) throw new Error(`no page ${seen.length} was prepared`);
    if (page instanceof Error) throw page;
    return page;
  });
  return seen;
}

/** An error as the SDK raises it for a service's refusal: `name` is the error code. */
export function awsError(name: string, message: string, status = 403): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

/** A string shaped like a secret access key (40 base64 characters), which gap messages must not carry. */
export const SECRET_LIKE = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** A resource as a regional collector returns it, in account ACCOUNT. */
export function regional(type: ResourceType, id: string, arn: string, region: string, tags: Record<string, string>, props: Record<string, Plain>): Resource {
  return { type, id, arn, region, accountId: ACCOUNT, tags, props };
}
