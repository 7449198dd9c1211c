/**
 * A resource of one region, as a mapping of a regional AWS answer builds it:
 * the collector lists with these mappings, and apply re-reads its targets with
 * them, so a precondition compares like with like.
 */
import type { Props, Resource, ResourceType } from '../model/resource.js';

/** Where a regional answer was read: the region, for whom, and when. */
export interface RegionalContext {
  accountId: string;
  region: string;
  now: Date;
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
