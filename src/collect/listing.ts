/**
 * What the regional collectors share: read one paginated list in full into
 * resources of one type, or, when any page fails, into a gap and no resources
 * (a partial list must not look complete); plus the small conversions every
 * mapping needs (tags, dates) and the shape of a regional resource.
 */
import type { Gap } from '../model/inventory.js';
import type { Props, Resource, ResourceType } from '../model/resource.js';
import { errorCode, errorMessage } from '../answers/error-info.js';
import type { RegionalContext, RegionalResult } from './regional.js';

/** One paginated list call and how each page becomes resources of one type. */
export interface Listing<Page> {
  type: ResourceType;
  /** `service:Operation`, as the gap names it: `ec2:DescribeInstances`. */
  operation: string;
  /** Started only when read: an SDK paginator. */
  pages: () => AsyncIterable<Page>;
  resources: (page: Page) => Resource[];
}

/**
 * Every page of a listing, mapped, one resource per id (a later page wins), sorted by id.
 * Any failure is a gap for its type and drops what earlier pages returned.
 */
export async function list<Page>(ctx: RegionalContext, listing: Listing<Page>): Promise<RegionalResult> {
  const found = new Map<string, Resource>();
  try {
    for await (const page of listing.pages()) for (const r of listing.resources(page)) found.set(r.id, r);
  } catch (err) {
    return { resources: [], gaps: [gapOf(listing.type, ctx.region, listing.operation, err)] };
  }
  const resources = [...found.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { resources, gaps: [] };
}

/** Several listings' results as one, in the order given. */
export function merge(results: RegionalResult[]): RegionalResult {
  return { resources: results.flatMap((r) => r.resources), gaps: results.flatMap((r) => r.gaps) };
}

/** What could not be read, as a gap. */
export function gapOf(type: ResourceType, region: string, operation: string, err: unknown): Gap {
  return { type, region, operation, code: errorCode(err), message: errorMessage(err) };
}

/** A resource in the context's region and account. `props` is one of the interfaces in model/regional-props.ts. */
export function regionalResource<P extends object>(
  ctx: RegionalContext,
  type: ResourceType,
  id: string,
  arn: string,
  tags: Record<string, string>,
  props: P,
): Resource {
  return { type, id, arn, region: ctx.region, accountId: ctx.accountId, tags, props: props as unknown as Props };
}

/** An AWS tag list (`[{ Key, Value }]`) as a record. */
export const tagRecord = (tags: { Key?: string | undefined; Value?: string | undefined }[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));

export const isoOrNull = (d: Date | undefined): string | null => (d ? d.toISOString() : null);

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A timestamp AWS sends as text, as an ISO-8601 UTC string: Lambda writes
 * `2026-11-22T11:39:33.529+0000` (moto: nine fractional digits and `Z`).
 * Null when absent or unreadable.
 */
export function isoText(text: string | undefined): string | null {
  const m = text ? TIMESTAMP.exec(text) : null;
  if (!m) return null;
  const [, base, fraction = '', zone = 'Z'] = m;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${base}.${fraction.padEnd(3, '0').slice(0, 3)}${offset}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
