/**
 * The regional collectors against the emulator, in two regions. Besides what
 * the collectors return, these tests pin what moto does differently from AWS
 * (marked "moto:"), since the unit tests cover the AWS shapes with mocks.
 */
import {
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeSpotFleetInstancesCommand,
  EC2Client,
  RequestSpotFleetCommand,
  RequestSpotInstancesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type Tag,
} from '@aws-sdk/client-ec2';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallCounter } from '../../src/aws/call-counter.js';
import { ProjectingEc2Protocol } from '../../src/aws/ec2-protocol.js';
import { collectEc2, collectSpotFleets } from '../../src/collect/ec2.js';
import { collectLambda } from '../../src/collect/lambda.js';
import { isoText } from '../../src/answers/values.js';
import type { RegionalContext } from '../../src/answers/regional.js';
import type { RegionalResult } from '../../src/collect/regional.js';
import { collectTagged } from '../../src/collect/tagging.js';
import type { Resource, ResourceType } from '../../src/model/resource.js';
import { resetEmulator } from '../helpers/emulator.js';
import { countRequests } from '../helpers/requests.js';
import { ACCOUNT, regional } from '../helpers/regional.js';

const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const trust = (service: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
const tags = (record: Record<string, string>): Tag[] => Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/web-profile`;
const FLEET_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-ec2-spot-fleet-tagging-role`;

/** Every client the tests build, destroyed after each test. */
const open: { destroy(): void }[] = [];
function made<T extends { destroy(): void }>(client: T): T {
  open.push(client);
  return client;
}

interface Seeded {
  web: { id: string; launchTime: string; vpcId: string; subnetId: string; publicIp: string; privateIp: string; imageId: string };
  dead: string;
  spot: { requestId: string; instanceId: string };
  fleet: { requestId: string; instanceIds: string[] };
  fn: { roleArn: string; lastModified: string; codeSize: number };
  volume: string;
  group: string;
}

/** One region's worth of resources: a tagged instance with a key pair and profile, a terminated one, a spot request, a spot fleet, a function, a tagged volume and security group. */
async function seedRegion(region: string, fnRoleArn: string): Promise<Seeded> {
  const ec2 = made(new EC2Client({ region }));
  const lambda = made(new LambdaClient({ region }));
  // moto: RunInstances takes any image id, and an unfiltered DescribeImages returns its ~1300 AMIs in one slow page.
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['amzn2-ami-hvm-*-x86_64-gp2'] }] }));
  const imageId = images.Images![0]!.ImageId!;
  await ec2.send(new CreateKeyPairCommand({ KeyName: `ops-${region}` }));

  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: imageId,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
      KeyName: `ops-${region}`,
      IamInstanceProfile: { Name: 'web-profile' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: tags({ Name: `web-${region}`, team: 'web' }) }],
    }),
  );
  const w = run.Instances![0]!;
  const doomed = await ec2.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, InstanceType: 't3.nano' }));
  const dead = doomed.Instances![0]!.InstanceId!;
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [dead] }));

  const spot = await ec2.send(
    new RequestSpotInstancesCommand({
      SpotPrice: '0.05',
      InstanceCount: 1,
      Type: 'one-time',
      LaunchSpecification: { ImageId: imageId, InstanceType: 'c5.large', KeyName: `ops-${region}`, IamInstanceProfile: { Arn: PROFILE_ARN } },
      TagSpecifications: [{ ResourceType: 'spot-instances-request', Tags: tags({ Name: `spot-${region}` }) }],
    }),
  );
  const sir = spot.SpotInstanceRequests![0]!;

  const fleet = await ec2.send(
    new RequestSpotFleetCommand({
      SpotFleetRequestConfig: {
        IamFleetRole: FLEET_ROLE,
        AllocationStrategy: 'lowestPrice', // moto: without it RequestSpotFleet fails with HTTP 500 (KeyError)
        TargetCapacity: 1,
        Type: 'request',
        SpotPrice: '0.1',
        LaunchSpecifications: [{ ImageId: imageId, InstanceType: 't3.small' }],
        TagSpecifications: [{ ResourceType: 'spot-fleet-request', Tags: tags({ Name: `fleet-${region}` }) }],
      },
    }),
  );
  const fleetId = fleet.SpotFleetRequestId!;
  const fleetInstances = await ec2.send(new DescribeSpotFleetInstancesCommand({ SpotFleetRequestId: fleetId }));

  // moto: any bytes pass as a ZipFile; nothing unpacks it unless the function is invoked.
  const code = new TextEncoder().encode('exports.handler = async () => 1;');
  const fn = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: `orders-${region}`,
      Runtime: 'nodejs20.x',
      Role: fnRoleArn,
      Handler: 'index.handler',
      Code: { ZipFile: code },
      Tags: { team: 'orders' },
    }),
  );

  const volume = await ec2.send(
    new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 8, TagSpecifications: [{ ResourceType: 'volume', Tags: tags({ team: 'data' }) }] }),
  );
  const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'net', Description: 'tagged later' }));
  await ec2.send(new CreateTagsCommand({ Resources: [group.GroupId!], Tags: tags({ team: 'net', Name: 'edge' }) }));

  return {
    web: {
      id: w.InstanceId!,
      launchTime: w.LaunchTime!.toISOString(),
      vpcId: w.VpcId!,
      subnetId: w.SubnetId!,
      publicIp: w.PublicIpAddress!,
      privateIp: w.PrivateIpAddress!,
      imageId,
    },
    dead,
    spot: { requestId: sir.SpotInstanceRequestId!, instanceId: sir.InstanceId! },
    fleet: { requestId: fleetId, instanceIds: (fleetInstances.ActiveInstances ?? []).map((i) => i.InstanceId!) },
    fn: { roleArn: fnRoleArn, lastModified: fn.LastModified!, codeSize: code.byteLength },
    volume: volume.VolumeId!,
    group: group.GroupId!,
  };
}

/** The IAM side, global: an instance profile with a role, and a Lambda execution role under a path. */
async function seedIam(): Promise<string> {
  const iam = made(new IAMClient({}));
  await iam.send(new CreateRoleCommand({ RoleName: 'web-role', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web-profile' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-profile', RoleName: 'web-role' }));
  const fnRole = await iam.send(new CreateRoleCommand({ RoleName: 'fn-role', Path: '/service-role/', AssumeRolePolicyDocument: trust('lambda.amazonaws.com') }));
  return fnRole.Role!.Arn!;
}

/**
 * Each collector with its own client, as the orchestrator will run them; the
 * requests counted, not the attempts, which a retry under load would change.
 */
async function collectRegion(region: string, counter: CallCounter, lambdaEndpoint?: string): Promise<RegionalResult[]> {
  const ctx: RegionalContext = { accountId: ACCOUNT, region, now: new Date() };
  // As AwsClients builds it: instances and spot requests read through projections.
  const ec2 = made(new EC2Client({ region, protocol: ProjectingEc2Protocol }));
  const lambda = made(new LambdaClient({ region, ...(lambdaEndpoint ? { endpoint: lambdaEndpoint, maxAttempts: 1 } : {}) }));
  const tagging = made(new ResourceGroupsTaggingAPIClient({ region }));
  countRequests(ec2, 'ec2', counter);
  countRequests(lambda, 'lambda', counter);
  countRequests(tagging, 'tagging', counter);
  return Promise.all([collectEc2(ec2, ctx), collectSpotFleets(ec2, ctx), collectLambda(lambda, ctx), collectTagged(tagging, ctx)]);
}

const ofType = (resources: Resource[], type: ResourceType) => resources.filter((r) => r.type === type);
function one(resources: Resource[], type: ResourceType, id: string): Resource {
  const found = resources.filter((r) => r.type === type && r.id === id);
  expect(found, `${type} ${id}`).toHaveLength(1);
  return found[0]!;
}

beforeEach(async () => {
  await resetEmulator();
});

afterEach(() => {
  for (const c of open.splice(0)) c.destroy();
});

describe('regional collectors against the emulator', () => {
  it('collect instances, spot requests, spot fleets, functions and tagged resources in two regions, one call per list per region', async () => {
    const fnRoleArn = await seedIam();
    const seeded: Record<string, Seeded> = {};
    for (const region of REGIONS) seeded[region] = await seedRegion(region, fnRoleArn);

    const counter = new CallCounter();
    const byRegion = await Promise.all(REGIONS.map((region) => collectRegion(region, counter)));

    expect(counter.snapshot()).toEqual({
      'ec2:DescribeInstances': 2,
      'ec2:DescribeSpotFleetRequests': 2,
      'ec2:DescribeSpotInstanceRequests': 2,
      'lambda:ListFunctions': 2,
      'tagging:GetResources': 2,
    });

    for (const [index, region] of REGIONS.entries()) {
      const s = seeded[region]!;
      const results = byRegion[index]!;
      expect(results.flatMap((r) => r.gaps)).toEqual([]);
      const resources = results.flatMap((r) => r.resources);
      expect(JSON.parse(JSON.stringify(resources))).toEqual(resources);
      for (const r of resources) expect([r.region, r.accountId]).toEqual([region, ACCOUNT]);

      // ---- instances: all of them, terminated included, none from the other region
      const instances = ofType(resources, 'ec2.instance');
      expect(instances.map((r) => r.id)).toEqual([s.web.id, s.dead, s.spot.instanceId, ...s.fleet.instanceIds].sort());
      expect(s.fleet.instanceIds).toHaveLength(1);
      const webArn = `arn:aws:ec2:${region}:${ACCOUNT}:instance/${s.web.id}`;
      expect(one(resources, 'ec2.instance', s.web.id)).toEqual(
        regional('ec2.instance', s.web.id, webArn, region, { Name: `web-${region}`, team: 'web' }, {
          state: 'running',
          instanceType: 't3.micro',
          launchTime: s.web.launchTime,
          imageId: s.web.imageId,
          keyName: `ops-${region}`,
          name: `web-${region}`,
          instanceProfileArn: PROFILE_ARN,
          roles: null,
          lifecycle: 'on-demand',
          spotRequestId: null,
          vpcId: s.web.vpcId,
          subnetId: s.web.subnetId,
          publicIp: s.web.publicIp,
          privateIp: s.web.privateIp,
        }),
      );
      expect(one(resources, 'ec2.instance', s.dead).props).toMatchObject({ state: 'terminated', instanceType: 't3.nano', name: null, keyName: null });
      // moto: a spot instance says InstanceLifecycle spot but carries no SpotInstanceRequestId, and no instance profile.
      expect(one(resources, 'ec2.instance', s.spot.instanceId).props).toMatchObject({
        lifecycle: 'spot',
        spotRequestId: null,
        instanceType: 'c5.large',
        instanceProfileArn: null,
        keyName: `ops-${region}`,
      });
      expect(one(resources, 'ec2.instance', s.fleet.instanceIds[0]!).props).toMatchObject({ lifecycle: 'spot', instanceType: 't3.small' });

      // ---- spot requests: ours, and the one the fleet opened (moto: persistent, untagged)
      const spots = ofType(resources, 'ec2.spotRequest');
      expect(spots).toHaveLength(2);
      const spotArn = `arn:aws:ec2:${region}:${ACCOUNT}:spot-instances-request/${s.spot.requestId}`;
      expect(one(resources, 'ec2.spotRequest', s.spot.requestId)).toEqual(
        regional('ec2.spotRequest', s.spot.requestId, spotArn, region, { Name: `spot-${region}` }, {
          state: 'active',
          statusCode: 'fulfilled',
          type: 'one-time',
          instanceId: s.spot.instanceId,
          spotPrice: '0.050000', // moto pads the price
          instanceType: 'c5.large',
          imageId: s.web.imageId,
          keyName: `ops-${region}`,
          instanceProfileArn: null, // moto drops the launch specification's IamInstanceProfile
          createTime: '2015-01-01T00:00:00.000Z', // moto: a fixed creation time
          name: `spot-${region}`,
        }),
      );
      const fleetSpot = spots.find((r) => r.id !== s.spot.requestId)!;
      expect(fleetSpot.tags).toEqual({});
      expect(fleetSpot.props).toMatchObject({ state: 'active', type: 'persistent', instanceId: s.fleet.instanceIds[0], instanceType: 't3.small' });

      // ---- spot fleet requests
      const fleetArn = `arn:aws:ec2:${region}:${ACCOUNT}:spot-fleet-request/${s.fleet.requestId}`;
      expect(ofType(resources, 'ec2.spotFleetRequest')).toEqual([
        // moto: DescribeSpotFleetRequests has no Type and no CreateTime
        regional('ec2.spotFleetRequest', s.fleet.requestId, fleetArn, region, { Name: `fleet-${region}` }, {
          state: 'active',
          targetCapacity: 1,
          type: null,
          iamFleetRole: FLEET_ROLE,
          createTime: null,
          name: `fleet-${region}`,
        }),
      ]);

      // ---- functions: tags are left to the orchestrator (from GetResources)
      const lastModified = isoText(s.fn.lastModified);
      expect(lastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const fnArn = `arn:aws:lambda:${region}:${ACCOUNT}:function:orders-${region}`;
      expect(ofType(resources, 'lambda.function')).toEqual([
        regional('lambda.function', `orders-${region}`, fnArn, region, {}, {
          name: `orders-${region}`,
          runtime: 'nodejs20.x',
          roleArn: fnRoleArn,
          roles: ['fn-role'],
          handler: 'index.handler',
          lastModified,
          codeSize: s.fn.codeSize,
          memorySize: 128,
          timeout: 3,
          packageType: 'Zip',
        }),
      ]);

      // ---- tagged resources: this region's, by ARN
      const prefix = `arn:aws:ec2:${region}:${ACCOUNT}`;
      const tagged = Object.fromEntries(ofType(resources, 'tagged.resource').map((r) => [r.id, [r.tags, r.props]]));
      expect(tagged).toEqual({
        [`${prefix}:instance/${s.web.id}`]: [{ Name: `web-${region}`, team: 'web' }, { service: 'ec2', resourceType: 'instance', name: s.web.id }],
        // moto: spot request ARNs say `spot-instance-request/` (AWS: `spot-instances-request/`)
        [`${prefix}:spot-instance-request/${s.spot.requestId}`]: [
          { Name: `spot-${region}` },
          { service: 'ec2', resourceType: 'spot-instance-request', name: s.spot.requestId },
        ],
        [`${prefix}:volume/${s.volume}`]: [{ team: 'data' }, { service: 'ec2', resourceType: 'volume', name: s.volume }],
        [`${prefix}:security-group/${s.group}`]: [{ team: 'net', Name: 'edge' }, { service: 'ec2', resourceType: 'security-group', name: s.group }],
        [fnArn]: [{ team: 'orders' }, { service: 'lambda', resourceType: 'function', name: `orders-${region}` }],
        // moto: the tagged spot fleet request is not listed by GetResources
      });
    }
  });

  it('pages GetResources 100 at a time: 105 tagged resources take two calls', async () => {
    const region = 'eu-west-1';
    const ec2 = made(new EC2Client({ region }));
    const groups: string[] = [];
    for (let i = 0; i < 105; i++) {
      const g = await ec2.send(
        new CreateSecurityGroupCommand({ GroupName: `g${i}`, Description: 'bulk', TagSpecifications: [{ ResourceType: 'security-group', Tags: tags({ n: String(i) }) }] }),
      );
      groups.push(g.GroupId!);
    }
    const counter = new CallCounter();
    const tagging = made(new ResourceGroupsTaggingAPIClient({ region }));
    countRequests(tagging, 'tagging', counter);
    const { resources, gaps } = await collectTagged(tagging, { accountId: ACCOUNT, region, now: new Date() });
    expect(gaps).toEqual([]);
    expect(counter.snapshot()).toEqual({ 'tagging:GetResources': 2 });
    expect(resources.map((r) => r.props.name)).toEqual([...groups].sort());
    expect(resources.find((r) => r.id.endsWith(groups[104]!))?.tags).toEqual({ n: '104' });
  });

  it('records a gap for the list that cannot be read, while the others complete', async () => {
    const region = 'us-east-1';
    const fnRoleArn = await seedIam();
    const s = await seedRegion(region, fnRoleArn);
    const counter = new CallCounter();
    const [ec2, , lambda, tagged] = await collectRegion(region, counter, 'http://127.0.0.1:9'); // nothing listens on the discard port
    expect(lambda!.resources).toEqual([]);
    expect(lambda!.gaps).toEqual([
      { type: 'lambda.function', region, operation: 'lambda:ListFunctions', code: 'connection refused', message: 'connect ECONNREFUSED 127.0.0.1:9' },
    ]);
    expect(ec2!.gaps).toEqual([]);
    expect(ofType(ec2!.resources, 'ec2.instance').map((r) => r.id)).toContain(s.web.id);
    expect(tagged!.gaps).toEqual([]);
    expect(tagged!.resources.map((r) => r.id)).toContain(`arn:aws:lambda:${region}:${ACCOUNT}:function:orders-${region}`);
  });
});
