/**
 * EC2's answers as resources: an instance, a spot instance request and a spot
 * fleet request. The collector lists with these mappings and apply re-reads its
 * targets with them, so preconditions compare like with like. An instance's
 * roles come from the IAM inventory, so the collector's join fills them; here
 * they are null. Instances and spot requests arrive projected
 * (aws/ec2-protocol.ts): their mappings read only the projected fields.
 */
import type { SpotFleetRequestConfig, Tag } from '@aws-sdk/client-ec2';
import type { InstanceFields, SpotRequestFields } from '../aws/ec2-protocol.js';
import type { InstanceProps, SpotFleetRequestProps, SpotRequestProps } from '../model/regional-props.js';
import type { Resource, ResourceType } from '../model/resource.js';
import { formatArn } from './arn.js';
import { regionalResource, type RegionalContext } from './regional.js';
import { isoOrNull, tagRecord } from './values.js';

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
