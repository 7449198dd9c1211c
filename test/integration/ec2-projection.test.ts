/**
 * The projected EC2 reads (src/aws/ec2-protocol.ts) against the SDK's own
 * deserialisation of the same emulator answers: every instance and spot
 * request must map to the same resource either way, page by page, and errors
 * must surface as the SDK raises them.
 */
import {
  CreateKeyPairCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  EC2Client,
  paginateDescribeInstances,
  paginateDescribeSpotInstanceRequests,
  RequestSpotInstancesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type Tag,
} from '@aws-sdk/client-ec2';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectingEc2Protocol } from '../../src/aws/ec2-protocol.js';
import { instance, spotRequest } from '../../src/answers/ec2.js';
import type { RegionalContext } from '../../src/answers/regional.js';
import type { Resource } from '../../src/model/resource.js';
import { resetEmulator } from '../helpers/emulator.js';
import { ACCOUNT } from '../helpers/regional.js';

const REGION = 'eu-west-1';
const AMI = 'ami-12c6146b';
const ctx: RegionalContext = { accountId: ACCOUNT, region: REGION, now: new Date() };
/** Tag values an XML reader can get wrong: markup characters, quotes, non-ASCII, empty. */
const TRICKY: Tag[] = [
  { Key: 'Name', Value: `miner <&> "quoted" 'single' ünïcødé ☺` },
  { Key: 'empty', Value: '' },
  { Key: 'a&b', Value: '1 < 2' },
];

const sdk = new EC2Client({ region: REGION });
const projected = new EC2Client({ region: REGION, protocol: ProjectingEc2Protocol });
let rich: string;
let terminated: string;
let spotIds: string[];

async function allInstances(client: EC2Client, pageSize: number): Promise<{ pages: number; resources: Resource[] }> {
  let pages = 0;
  const resources: Resource[] = [];
  for await (const page of paginateDescribeInstances({ client, pageSize }, { MaxResults: pageSize })) {
    pages++;
    for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) resources.push(instance(ctx, i));
  }
  return { pages, resources: resources.sort((a, b) => a.id.localeCompare(b.id)) };
}

async function allSpotRequests(client: EC2Client): Promise<Resource[]> {
  const resources: Resource[] = [];
  for await (const page of paginateDescribeSpotInstanceRequests({ client, pageSize: 1000 }, { MaxResults: 1000 })) {
    for (const r of page.SpotInstanceRequests ?? []) resources.push(spotRequest(ctx, r));
  }
  return resources.sort((a, b) => a.id.localeCompare(b.id));
}

type Refusal = { name: string; $metadata: { httpStatusCode?: number } };
/** The error a call is refused with; a call that succeeds fails the test. */
const refusal = (call: Promise<unknown>): Promise<Refusal> =>
  call.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (e: unknown) => e as Refusal,
  );

beforeAll(async () => {
  await resetEmulator();
  const iam = new IAMClient({});
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'miner-role',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  const profile = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'miner-profile' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'miner-profile', RoleName: 'miner-role' }));
  iam.destroy();
  await sdk.send(new CreateKeyPairCommand({ KeyName: 'ops' }));
  const run = await sdk.send(
    new RunInstancesCommand({
      ImageId: AMI,
      MinCount: 2,
      MaxCount: 2,
      InstanceType: 'c5.large',
      KeyName: 'ops',
      IamInstanceProfile: { Name: 'miner-profile' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: TRICKY }],
    }),
  );
  rich = run.Instances![0]!.InstanceId!;
  // Six more reservations of one instance each: the emulator pages by reservation.
  const plain: string[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await sdk.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, InstanceType: 't3.nano' }));
    plain.push(r.Instances![0]!.InstanceId!);
  }
  terminated = plain[0]!;
  await sdk.send(new TerminateInstancesCommand({ InstanceIds: [terminated] }));
  const spot = await sdk.send(
    new RequestSpotInstancesCommand({
      InstanceCount: 2,
      SpotPrice: '0.09',
      Type: 'persistent',
      LaunchSpecification: { ImageId: AMI, InstanceType: 'c5.xlarge', KeyName: 'ops', IamInstanceProfile: { Arn: profile.InstanceProfile!.Arn! } },
    }),
  );
  spotIds = spot.SpotInstanceRequests!.map((r) => r.SpotInstanceRequestId!);
  await sdk.send(new CreateTagsCommand({ Resources: spotIds, Tags: TRICKY }));
}, 120_000);

afterAll(() => {
  sdk.destroy();
  projected.destroy();
});

describe('projected EC2 reads', () => {
  it('map every instance exactly as the SDK deserialisation does, over several pages', async () => {
    const expected = await allInstances(sdk, 5);
    const actual = await allInstances(projected, 5);
    expect(actual.pages).toBeGreaterThan(1);
    expect(actual.pages).toBe(expected.pages);
    expect(actual.resources).toEqual(expected.resources);
    // Not equal by both being empty: the rich instance came through whole.
    expect(actual.resources.length).toBe(10); // 2 + 6 + the two spot requests' instances
    const miner = actual.resources.find((r) => r.id === rich)!;
    expect(miner.tags).toEqual({ Name: TRICKY[0]!.Value, empty: '', 'a&b': '1 < 2' });
    expect(miner.props).toMatchObject({
      state: 'running',
      instanceType: 'c5.large',
      keyName: 'ops',
      imageId: AMI,
      name: TRICKY[0]!.Value,
      instanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/miner-profile`,
      lifecycle: 'on-demand',
    });
    expect(miner.props.launchTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(miner.props.privateIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(actual.resources.find((r) => r.id === terminated)!.props.state).toBe('terminated');
    // moto: spot instances carry no spotInstanceRequestId (the unit test reads one from an AWS-shaped answer).
    expect(actual.resources.filter((r) => r.props.lifecycle === 'spot')).toHaveLength(2);
  });

  it('map every spot request exactly as the SDK deserialisation does', async () => {
    const expected = await allSpotRequests(sdk);
    const actual = await allSpotRequests(projected);
    expect(actual).toEqual(expected);
    expect(actual.map((r) => r.id)).toEqual([...spotIds].sort());
    expect(actual[0]!.props).toMatchObject({ type: 'persistent', spotPrice: '0.090000' /* moto pads the price */, instanceType: 'c5.xlarge', keyName: 'ops', imageId: AMI, name: TRICKY[0]!.Value });
    expect(actual[0]!.props.createTime).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('leave errors to the SDK: a refused call raises its AWS error code and request metadata', async () => {
    const missing = new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] });
    const fromSdk = await refusal(sdk.send(missing));
    const fromProjection = await refusal(projected.send(missing));
    expect(fromSdk.name).toBe('InvalidInstanceID.NotFound');
    expect(fromProjection.name).toBe(fromSdk.name);
    expect(fromProjection.$metadata.httpStatusCode).toBe(400);
  });

  it('carry the response metadata on a projected answer', async () => {
    const answer = await projected.send(new DescribeInstancesCommand({ InstanceIds: [rich] }));
    expect(answer.$metadata.httpStatusCode).toBe(200);
    expect(answer.Reservations?.[0]?.Instances?.map((i) => i.InstanceId)).toEqual([rich]);
  });
});
