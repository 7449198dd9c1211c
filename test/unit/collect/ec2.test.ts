import {
  DescribeInstancesCommand,
  DescribeSpotFleetRequestsCommand,
  DescribeSpotInstanceRequestsCommand,
  EC2Client,
  type DescribeInstancesCommandOutput,
  type Instance,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { collectEc2, collectSpotFleets } from '../../../src/collect/ec2.js';
import { merge } from '../../../src/collect/listing.js';
import type { RegionalContext } from '../../../src/answers/regional.js';
import type { Resource, ResourceType } from '../../../src/model/resource.js';
import { ACCOUNT, awsError, regional, SECRET_LIKE, servePages } from '../../helpers/regional.js';

const REGION = 'eu-west-1';
const CTX: RegionalContext = { accountId: ACCOUNT, region: REGION, now: new Date('2026-11-22T12:00:00Z') };
const LAUNCHED = new Date('2026-11-01T08:00:00Z');

const ec2 = mockClient(EC2Client);
const client = () => new EC2Client({ region: REGION });

const inst = (id: string, extra: Partial<Instance> = {}): Instance => ({
  InstanceId: id,
  InstanceType: 't3.micro',
  State: { Code: 16, Name: 'running' },
  LaunchTime: LAUNCHED,
  ...extra,
});
const reservations = (...groups: Instance[][]): Partial<DescribeInstancesCommandOutput> => ({ Reservations: groups.map((Instances) => ({ Instances })) });
const sir = (id: string) => ({ SpotInstanceRequestId: id, State: 'open' as const, Type: 'one-time' as const });
const sfr = (id: string) => ({ SpotFleetRequestId: id, SpotFleetRequestState: 'active' as const, SpotFleetRequestConfig: { IamFleetRole: 'arn:r', TargetCapacity: 1 } });

const ids = (resources: Resource[], type: ResourceType) => resources.filter((r) => r.type === type).map((r) => r.id);
const one = (resources: Resource[], type: ResourceType) => {
  const found = resources.filter((r) => r.type === type);
  expect(found).toHaveLength(1);
  return found[0]!;
};

/** Every list answers one page: i-1, sir-1, sfr-1. */
function mockOnePageEach() {
  ec2.on(DescribeInstancesCommand).resolves(reservations([inst('i-1')]));
  ec2.on(DescribeSpotInstanceRequestsCommand).resolves({ SpotInstanceRequests: [sir('sir-1')] });
  ec2.on(DescribeSpotFleetRequestsCommand).resolves({ SpotFleetRequestConfigs: [sfr('sfr-1')] });
}

beforeEach(() => {
  ec2.reset();
});

/** Both of the EC2 collectors, as the orchestrator runs them where fleets can exist. */
const collectAll = async (c: EC2Client, ctx: RegionalContext) => merge(await Promise.all([collectEc2(c, ctx), collectSpotFleets(c, ctx)]));

describe('collectEc2 pagination', () => {
  it('reads every page of all three lists, 1000 a page, following NextToken', async () => {
    const instances = servePages(ec2.on(DescribeInstancesCommand), [
      { ...reservations([inst('i-3'), inst('i-1')], [inst('i-2')]), NextToken: 'i-page-2' },
      { ...reservations([inst('i-4')]), NextToken: 'i-page-3' },
      reservations([inst('i-5')]),
    ]);
    const spots = servePages(ec2.on(DescribeSpotInstanceRequestsCommand), [
      { SpotInstanceRequests: [sir('sir-1'), sir('sir-2')], NextToken: 's-page-2' },
      { SpotInstanceRequests: [sir('sir-3')] },
    ]);
    const fleets = servePages(ec2.on(DescribeSpotFleetRequestsCommand), [
      { SpotFleetRequestConfigs: [sfr('sfr-1')], NextToken: 'f-page-2' },
      { SpotFleetRequestConfigs: [sfr('sfr-2')], NextToken: 'f-page-3' },
      { SpotFleetRequestConfigs: [sfr('sfr-3')] },
    ]);

    const { resources, gaps } = await collectAll(client(), CTX);

    expect(gaps).toEqual([]);
    expect(instances).toEqual([
      { MaxResults: 1000, NextToken: undefined },
      { MaxResults: 1000, NextToken: 'i-page-2' },
      { MaxResults: 1000, NextToken: 'i-page-3' },
    ]);
    expect(spots).toEqual([
      { MaxResults: 1000, NextToken: undefined },
      { MaxResults: 1000, NextToken: 's-page-2' },
    ]);
    expect(fleets.map((i) => [i.MaxResults, i.NextToken])).toEqual([
      [1000, undefined],
      [1000, 'f-page-2'],
      [1000, 'f-page-3'],
    ]);
    expect(ids(resources, 'ec2.instance')).toEqual(['i-1', 'i-2', 'i-3', 'i-4', 'i-5']);
    expect(ids(resources, 'ec2.spotRequest')).toEqual(['sir-1', 'sir-2', 'sir-3']);
    expect(ids(resources, 'ec2.spotFleetRequest')).toEqual(['sfr-1', 'sfr-2', 'sfr-3']);
    expect(ec2.calls()).toHaveLength(8);
  });

  it('collectEc2 asks for instances and spot requests only, at once', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = (answer: object) => async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      return answer;
    };
    ec2.on(DescribeInstancesCommand).callsFake(slow(reservations([inst('i-1')])));
    ec2.on(DescribeSpotInstanceRequestsCommand).callsFake(slow({ SpotInstanceRequests: [] }));
    const { resources } = await collectEc2(client(), CTX);
    expect(most).toBe(2);
    expect(resources).toHaveLength(1);
    expect(ec2.commandCalls(DescribeSpotFleetRequestsCommand)).toHaveLength(0);
  });
});

describe('collectEc2 mapping', () => {
  it('maps an instance, its tags and its ARN exactly', async () => {
    mockOnePageEach();
    ec2.on(DescribeInstancesCommand).resolves(
      reservations([
        inst('i-0abc', {
          InstanceType: 'm5.large',
          State: { Code: 16, Name: 'running' },
          ImageId: 'ami-1',
          KeyName: 'ops-key',
          IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/app/web`, Id: 'AIPA1' },
          InstanceLifecycle: 'spot',
          SpotInstanceRequestId: 'sir-9',
          VpcId: 'vpc-1',
          SubnetId: 'subnet-1',
          PublicIpAddress: '54.1.2.3',
          PrivateIpAddress: '10.0.0.5',
          Tags: [
            { Key: 'Name', Value: 'web-1' },
            { Key: 'team', Value: 'web' },
          ],
        }),
      ]),
    );
    const { resources } = await collectAll(client(), CTX);
    expect(one(resources, 'ec2.instance')).toEqual(
      regional('ec2.instance', 'i-0abc', `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0abc`, REGION, { Name: 'web-1', team: 'web' }, {
        state: 'running',
        instanceType: 'm5.large',
        launchTime: '2026-11-01T08:00:00.000Z',
        imageId: 'ami-1',
        keyName: 'ops-key',
        name: 'web-1',
        instanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/app/web`,
        roles: null,
        lifecycle: 'spot',
        spotRequestId: 'sir-9',
        vpcId: 'vpc-1',
        subnetId: 'subnet-1',
        publicIp: '54.1.2.3',
        privateIp: '10.0.0.5',
      }),
    );
  });

  it('keeps terminated instances and fills what AWS leaves out with null or on-demand', async () => {
    mockOnePageEach();
    ec2.on(DescribeInstancesCommand).resolves(reservations([inst('i-dead', { State: { Code: 48, Name: 'terminated' } })]));
    const { resources } = await collectAll(client(), CTX);
    const dead = one(resources, 'ec2.instance');
    expect(dead.tags).toEqual({});
    expect(dead.props).toEqual({
      state: 'terminated',
      instanceType: 't3.micro',
      launchTime: '2026-11-01T08:00:00.000Z',
      imageId: null,
      keyName: null,
      name: null,
      instanceProfileArn: null,
      roles: null,
      lifecycle: 'on-demand',
      spotRequestId: null,
      vpcId: null,
      subnetId: null,
      publicIp: null,
      privateIp: null,
    });
  });

  it('maps a spot instance request exactly', async () => {
    mockOnePageEach();
    ec2.on(DescribeSpotInstanceRequestsCommand).resolves({
      SpotInstanceRequests: [
        {
          SpotInstanceRequestId: 'sir-abc',
          State: 'active',
          Status: { Code: 'fulfilled' },
          Type: 'persistent',
          InstanceId: 'i-spot',
          SpotPrice: '0.050000',
          CreateTime: new Date('2026-11-20T01:02:03Z'),
          LaunchSpecification: {
            InstanceType: 'c5.xlarge',
            ImageId: 'ami-2',
            KeyName: 'miner',
            IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/admin`, Name: 'admin' },
          },
          Tags: [{ Key: 'Name', Value: 'spotty' }],
        },
      ],
    });
    const { resources } = await collectAll(client(), CTX);
    expect(one(resources, 'ec2.spotRequest')).toEqual(
      regional('ec2.spotRequest', 'sir-abc', `arn:aws:ec2:${REGION}:${ACCOUNT}:spot-instances-request/sir-abc`, REGION, { Name: 'spotty' }, {
        state: 'active',
        statusCode: 'fulfilled',
        type: 'persistent',
        instanceId: 'i-spot',
        spotPrice: '0.050000',
        instanceType: 'c5.xlarge',
        imageId: 'ami-2',
        keyName: 'miner',
        instanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/admin`,
        createTime: '2026-11-20T01:02:03.000Z',
        name: 'spotty',
      }),
    );
  });

  it('maps a spot instance request with nothing but its id and state to nulls', async () => {
    mockOnePageEach();
    ec2.on(DescribeSpotInstanceRequestsCommand).resolves({ SpotInstanceRequests: [{ SpotInstanceRequestId: 'sir-bare', State: 'open' }] });
    const { resources } = await collectAll(client(), CTX);
    expect(one(resources, 'ec2.spotRequest').props).toEqual({
      state: 'open',
      statusCode: null,
      type: '',
      instanceId: null,
      spotPrice: null,
      instanceType: null,
      imageId: null,
      keyName: null,
      instanceProfileArn: null,
      createTime: null,
      name: null,
    });
  });

  it('maps a spot fleet request exactly, and a bare one to nulls', async () => {
    mockOnePageEach();
    ec2.on(DescribeSpotFleetRequestsCommand).resolves({
      SpotFleetRequestConfigs: [
        {
          SpotFleetRequestId: 'sfr-full',
          SpotFleetRequestState: 'cancelled_running',
          CreateTime: new Date('2026-11-21T00:00:00Z'),
          SpotFleetRequestConfig: { IamFleetRole: `arn:aws:iam::${ACCOUNT}:role/fleet`, TargetCapacity: 40, Type: 'maintain' },
          Tags: [{ Key: 'Name', Value: 'farm' }, { Key: 'cost', Value: 'x' }],
        },
        { SpotFleetRequestId: 'sfr-bare', SpotFleetRequestState: 'submitted' },
      ],
    });
    const { resources } = await collectAll(client(), CTX);
    const fleets = resources.filter((r) => r.type === 'ec2.spotFleetRequest');
    const arn = (id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:spot-fleet-request/${id}`;
    expect(fleets).toEqual([
      regional('ec2.spotFleetRequest', 'sfr-bare', arn('sfr-bare'), REGION, {}, {
        state: 'submitted',
        targetCapacity: null,
        type: null,
        iamFleetRole: null,
        createTime: null,
        name: null,
      }),
      regional('ec2.spotFleetRequest', 'sfr-full', arn('sfr-full'), REGION, { Name: 'farm', cost: 'x' }, {
        state: 'cancelled_running',
        targetCapacity: 40,
        type: 'maintain',
        iamFleetRole: `arn:aws:iam::${ACCOUNT}:role/fleet`,
        createTime: '2026-11-21T00:00:00.000Z',
        name: 'farm',
      }),
    ]);
    expect(JSON.parse(JSON.stringify(resources))).toEqual(resources);
  });

  it('builds ARNs in the region’s partition', async () => {
    mockOnePageEach();
    const { resources } = await collectAll(client(), { ...CTX, region: 'cn-north-1' });
    expect(resources.map((r) => r.arn)).toEqual([
      `arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:instance/i-1`,
      `arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:spot-instances-request/sir-1`,
      `arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:spot-fleet-request/sfr-1`,
    ]);
  });
});

describe('collectEc2 failures', () => {
  it('turns a refused list into a gap for its type only; the other lists complete', async () => {
    mockOnePageEach();
    ec2
      .on(DescribeSpotInstanceRequestsCommand)
      .rejects(awsError('UnauthorizedOperation', `You are not authorized to perform this operation. Signature: ${SECRET_LIKE}`));
    const { resources, gaps } = await collectAll(client(), CTX);
    expect(gaps).toEqual([
      {
        type: 'ec2.spotRequest',
        region: REGION,
        operation: 'ec2:DescribeSpotInstanceRequests',
        code: 'UnauthorizedOperation',
        message: 'You are not authorized to perform this operation. Signature: [redacted]',
      },
    ]);
    expect(resources.map((r) => `${r.type}:${r.id}`)).toEqual(['ec2.instance:i-1', 'ec2.spotFleetRequest:sfr-1']);
  });

  it('discards the pages already read when a later page fails', async () => {
    mockOnePageEach();
    const seen = servePages(ec2.on(DescribeInstancesCommand), [
      { ...reservations([inst('i-1'), inst('i-2')]), NextToken: 'p2' },
      awsError('RequestLimitExceeded', 'Request limit exceeded.', 503),
    ]);
    const { resources, gaps } = await collectAll(client(), CTX);
    expect(seen).toHaveLength(2);
    expect(gaps).toEqual([
      { type: 'ec2.instance', region: REGION, operation: 'ec2:DescribeInstances', code: 'RequestLimitExceeded', message: 'Request limit exceeded.' },
    ]);
    expect(ids(resources, 'ec2.instance')).toEqual([]);
    expect(resources.map((r) => r.type)).toEqual(['ec2.spotRequest', 'ec2.spotFleetRequest']);
  });

  it('never throws: every list failing is three gaps', async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401));
    ec2.on(DescribeSpotInstanceRequestsCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    ec2.on(DescribeSpotFleetRequestsCommand).rejects('plain string');
    const { resources, gaps } = await collectAll(client(), CTX);
    expect(resources).toEqual([]);
    expect(gaps.map((g) => [g.type, g.operation, g.code, g.region, g.message])).toEqual([
      ['ec2.instance', 'ec2:DescribeInstances', 'AuthFailure', REGION, 'AWS was not able to validate the provided access credentials'],
      ['ec2.spotRequest', 'ec2:DescribeSpotInstanceRequests', 'connection reset', REGION, 'socket hang up'],
      ['ec2.spotFleetRequest', 'ec2:DescribeSpotFleetRequests', 'Error', REGION, 'plain string'],
    ]);
  });
});
