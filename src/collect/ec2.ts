/**
 * The EC2 collector: instances and spot instance requests in one region, one
 * paginated list each (1000 a page, the API's maximum), run at once; and spot
 * fleet requests, a list of its own because the orchestrator calls it only
 * where a fleet can exist (see spot-fleet-gate.ts). Terminated instances are
 * kept, with state `terminated`. Each answer is mapped by src/answers/ec2.ts,
 * which apply re-reads its targets with too.
 */
import {
  paginateDescribeInstances,
  paginateDescribeSpotFleetRequests,
  paginateDescribeSpotInstanceRequests,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { instance, spotFleet, spotRequest } from '../answers/ec2.js';
import type { RegionalContext } from '../answers/regional.js';
import { list, merge } from './listing.js';
import type { RegionalResult } from './regional.js';

/** The largest page the three Describe calls serve. */
export const EC2_PAGE_SIZE = 1000;

const paging = (ec2: EC2Client) => ({ client: ec2, pageSize: EC2_PAGE_SIZE });
const input = () => ({ MaxResults: EC2_PAGE_SIZE });

/** Instances and spot instance requests. */
export async function collectEc2(ec2: EC2Client, ctx: RegionalContext): Promise<RegionalResult> {
  const results = await Promise.all([
    list(ctx, {
      type: 'ec2.instance',
      operation: 'ec2:DescribeInstances',
      pages: () => paginateDescribeInstances(paging(ec2), input()),
      resources: (page) => (page.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => instance(ctx, i))),
    }),
    list(ctx, {
      type: 'ec2.spotRequest',
      operation: 'ec2:DescribeSpotInstanceRequests',
      pages: () => paginateDescribeSpotInstanceRequests(paging(ec2), input()),
      resources: (page) => (page.SpotInstanceRequests ?? []).map((r) => spotRequest(ctx, r)),
    }),
  ]);
  return merge(results);
}

/** Spot fleet requests. */
export function collectSpotFleets(ec2: EC2Client, ctx: RegionalContext): Promise<RegionalResult> {
  return list(ctx, {
    type: 'ec2.spotFleetRequest',
    operation: 'ec2:DescribeSpotFleetRequests',
    pages: () => paginateDescribeSpotFleetRequests(paging(ec2), input()),
    resources: (page) => (page.SpotFleetRequestConfigs ?? []).map((f) => spotFleet(ctx, f)),
  });
}
