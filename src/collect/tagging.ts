/**
 * The Tagging collector: every tagged resource in one region from the Resource
 * Groups Tagging API's GetResources, 100 a page (the API's maximum), as one
 * `tagged.resource` per ARN, with its service, type and name read from the ARN.
 * The orchestrator also uses these tags for the instances and functions other
 * collectors found (ListFunctions carries none).
 */
import { paginateGetResources, type ResourceGroupsTaggingAPIClient, type ResourceTagMapping } from '@aws-sdk/client-resource-groups-tagging-api';
import type { Resource } from '../model/resource.js';
import type { TaggedResourceProps } from '../model/regional-props.js';
import { parseArn } from '../answers/arn.js';
import { regionalResource, type RegionalContext } from '../answers/regional.js';
import { tagRecord } from '../answers/values.js';
import { list } from './listing.js';
import type { RegionalResult } from './regional.js';

/** The largest page GetResources serves. */
export const TAGGING_PAGE_SIZE = 100;

export function collectTagged(tagging: ResourceGroupsTaggingAPIClient, ctx: RegionalContext): Promise<RegionalResult> {
  return list(ctx, {
    type: 'tagged.resource',
    operation: 'tag:GetResources',
    pages: () => paginateGetResources({ client: tagging, pageSize: TAGGING_PAGE_SIZE }, { ResourcesPerPage: TAGGING_PAGE_SIZE }),
    resources: (page) => (page.ResourceTagMappingList ?? []).flatMap((m) => (m.ResourceARN ? [tagged(ctx, m.ResourceARN, m)] : [])),
  });
}

function tagged(ctx: RegionalContext, arn: string, m: ResourceTagMapping): Resource {
  const parsed = parseArn(arn);
  const props: TaggedResourceProps = {
    service: parsed?.service ?? '',
    resourceType: parsed?.resourceType ?? '',
    name: parsed?.name ?? arn,
  };
  return regionalResource(ctx, 'tagged.resource', arn, arn, tagRecord(m.Tags), props);
}
