/**
 * What the regional collectors share: read one paginated list in full into
 * resources of one type, or, when any page fails, into a gap and no resources
 * (a partial list must not look complete). The mappings themselves, and the
 * conversions they share, live in src/answers, where apply reads them too.
 */
import type { Gap } from '../model/inventory.js';
import { errorCode, errorMessage } from '../answers/error-info.js';
import type { RegionalContext } from '../answers/regional.js';
import type { Resource, ResourceType } from '../model/resource.js';
import type { RegionalResult } from './regional.js';

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
