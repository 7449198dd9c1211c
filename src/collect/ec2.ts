/**
 * The EC2 collector: instances and spot instance requests in one region, one
 * paginated list each (1000 a page, the API's maximum), run at once; and spot
 * fleet requests, a list of its own because the orchestrator calls it only
 * where a fleet can exist (see spot-fleet-gate.ts). Terminated instances are
 * kept, with state `terminated`. An instance's roles come from the IAM
 * inventory, so the orchestrator fills them; here they are null.
 */
import {
  paginateDescribeInstances,
  paginateDescribeSpotFleetRequests,
  paginateDescribeSpotInstanceRequests,
  type EC2Client,
  type SpotFleetRequestConfig,
  type Tag,
} from '@aws-sdk/client-ec2';
import type { InstanceFields, SpotRequestFields } from '../aws/ec2-protocol.js';
import type { Resource, ResourceType } from '../model/resource.js';
import type { InstanceProps, SpotFleetRequestProps, SpotRequestProps } from '../model/regional-props.js';
import { formatArn } from '../answers/arn.js';
import { isoOrNull, list, merge, regionalResource, tagRecord } from './listing.js';
import type { RegionalContext, RegionalResult } from './regional.js';

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

/** An EC2 resource of this region: its ARN from its kind and id, its tags, and props built knowing its `Name` tag. */
function ec2Resource<P extends object>(
  ctx: RegionalContext,
  type: ResourceType,
  kind: string,
  id: string | undefined,
  awsTags: Tag[] | undefined,
  props: (name: string | null) => P,
): Resource {
  const tags = tagRecord(awsTags);
  const arn = formatArn('ec2', ctx.region, ctx.accountId, `${kind}/${id ?? ''}`);
  return regionalResource(ctx, type, id ?? '', arn, tags, props(tags.Name ?? null));
}

// The three mappings are exported: apply re-reads its targets with them, so preconditions compare like with like.
// Instances and spot requests arrive projected (aws/ec2-protocol.ts): their mappings read only the projected fields.
export const instance = (ctx: RegionalContext, i: InstanceFields): Resource =>
  ec2Resource(ctx, 'ec2.instance', 'instance', i.InstanceId, i.Tags, (name): InstanceProps => ({
    state: i.State?.Name ?? '',
    instanceType: i.InstanceType ?? '',
    launchTime: isoOrNull(i.LaunchTime) ?? '',
    imageId: i.ImageId ?? null,
    keyName: i.KeyName ?? null,
    name,
    instanceProfileArn: i.IamInstanceProfile?.Arn ?? null,
    roles: null,
    lifecycle: i.InstanceLifecycle ?? 'on-demand',
    spotRequestId: i.SpotInstanceRequestId ?? null,
    vpcId: i.VpcId ?? null,
    subnetId: i.SubnetId ?? null,
    publicIp: i.PublicIpAddress ?? null,
    privateIp: i.PrivateIpAddress ?? null,
  }));

export const spotRequest = (ctx: RegionalContext, r: SpotRequestFields): Resource =>
  ec2Resource(ctx, 'ec2.spotRequest', 'spot-instances-request', r.SpotInstanceRequestId, r.Tags, (name): SpotRequestProps => ({
    state: r.State ?? '',
    statusCode: r.Status?.Code ?? null,
    type: r.Type ?? '',
    instanceId: r.InstanceId ?? null,
    spotPrice: r.SpotPrice ?? null,
    instanceType: r.LaunchSpecification?.InstanceType ?? null,
    imageId: r.LaunchSpecification?.ImageId ?? null,
    keyName: r.LaunchSpecification?.KeyName ?? null,
    instanceProfileArn: r.LaunchSpecification?.IamInstanceProfile?.Arn ?? null,
    createTime: isoOrNull(r.CreateTime),
    name,
  }));

export const spotFleet = (ctx: RegionalContext, f: SpotFleetRequestConfig): Resource =>
  ec2Resource(ctx, 'ec2.spotFleetRequest', 'spot-fleet-request', f.SpotFleetRequestId, f.Tags, (name): SpotFleetRequestProps => ({
    state: f.SpotFleetRequestState ?? '',
    targetCapacity: f.SpotFleetRequestConfig?.TargetCapacity ?? null,
    type: f.SpotFleetRequestConfig?.Type ?? null,
    iamFleetRole: f.SpotFleetRequestConfig?.IamFleetRole ?? null,
    createTime: isoOrNull(f.CreateTime),
    name,
  }));
