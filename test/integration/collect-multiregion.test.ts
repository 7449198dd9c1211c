/**
 * Every region, every resource: the orchestrator against the emulator. One
 * region's EC2 endpoint is aimed at a closed port, another's at a server that
 * accepts and never answers; each costs a few attempts and becomes gaps for
 * that region's EC2 types, while everything else is collected.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { CreateVolumeCommand, EC2Client, RequestSpotFleetCommand, RequestSpotInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients, DEFAULT_CLIENT_OPTIONS, type ClientOptions } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/collect/collect.js';
import type { Inventory } from '../../src/model/inventory.js';
import type { ProgressEvent } from '../../src/progress/events.js';
import { freePort } from '../../scripts/moto.mjs';
import { resetEmulator } from '../helpers/emulator.js';
import { CountingClients } from '../helpers/requests.js';

const ACCOUNT = '123456789012';
const AMI = 'ami-12c6146b';
const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);
const trust = (service: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
const EC2_LISTS = ['ec2:DescribeInstances', 'ec2:DescribeSpotInstanceRequests'];
const FLEETS = 'ec2:DescribeSpotFleetRequests';

/** Instances in three regions (three behind an instance profile), a tagged function, a spot request and a tagged volume. */
async function seed(): Promise<void> {
  const iam = new IAMClient({ region: 'us-east-1' });
  const clients: { destroy(): void }[] = [iam];
  const ec2 = (region: string) => {
    const c = new EC2Client({ region });
    clients.push(c);
    return c;
  };
  try {
    await iam.send(new CreateRoleCommand({ RoleName: 'web', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web-profile' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-profile', RoleName: 'web' }));
    // One RunInstances per instance: moto associates the profile with the first instance of a call only.
    for (const [region, profile] of [['us-east-1', true], ['us-east-1', true], ['eu-west-1', true], ['ap-northeast-1', false]] as const) {
      await ec2(region).send(
        new RunInstancesCommand({
          ImageId: AMI,
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
          ...(profile ? { IamInstanceProfile: { Name: 'web-profile' } } : {}),
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'web' }] }],
        }),
      );
    }
    const sa = ec2('sa-east-1');
    await sa.send(new RequestSpotInstancesCommand({ InstanceCount: 1, Type: 'persistent', SpotPrice: '1.00', LaunchSpecification: { ImageId: AMI, InstanceType: 't3.micro' } }));
    await sa.send(new CreateVolumeCommand({ AvailabilityZone: 'sa-east-1a', Size: 8, TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'team', Value: 'data' }] }] }));
    const fnRole = await iam.send(new CreateRoleCommand({ RoleName: 'orders-lambda', AssumeRolePolicyDocument: trust('lambda.amazonaws.com') }));
    const lambda = new LambdaClient({ region: 'eu-west-1' });
    clients.push(lambda);
    await lambda.send(
      new CreateFunctionCommand({ FunctionName: 'orders-api', Runtime: 'nodejs20.x', Role: fnRole.Role!.Arn!, Handler: 'index.handler', Code: { ZipFile: EMPTY_ZIP }, Tags: { team: 'orders' } }),
    );
  } finally {
    for (const c of clients) c.destroy();
  }
}

/** A loopback server that accepts connections and never answers. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const nonIam = (calls: Record<string, number>) => Object.fromEntries(Object.entries(calls).filter(([op]) => !op.startsWith('iam:')));

/** Spot Fleet's role, as `aws-ec2-spot-fleet-tagging-role` is made, and a fleet in ap-southeast-2 that names it. */
async function seedSpotFleet(): Promise<void> {
  const iam = new IAMClient({ region: 'us-east-1' });
  const ec2 = new EC2Client({ region: 'ap-southeast-2' });
  try {
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'aws-ec2-spot-fleet-tagging-role', AssumeRolePolicyDocument: trust('spotfleet.amazonaws.com') }));
    await ec2.send(
      new RequestSpotFleetCommand({
        SpotFleetRequestConfig: {
          IamFleetRole: role.Role!.Arn!,
          AllocationStrategy: 'lowestPrice', // moto: required
          TargetCapacity: 2,
          Type: 'maintain',
          SpotPrice: '0.5',
          LaunchSpecifications: [{ ImageId: AMI, InstanceType: 'c5.large' }],
        },
      }),
    );
  } finally {
    iam.destroy();
    ec2.destroy();
  }
}

/**
 * What a healthy scan of `regions` regions asks for outside IAM: the floor, one
 * request per list per region; spot fleets only where one can exist; one
 * ListTrails for the account (no trail: nothing more). Requests, not attempts:
 * a retry of a slow answer is the network's, not the collector's.
 */
const floor = (regions: number, fleets = false) => ({
  'sts:GetCallerIdentity': 1,
  'ec2:DescribeRegions': 1,
  'cloudtrail:ListTrails': 1,
  ...Object.fromEntries(EC2_LISTS.map((op) => [op, regions])),
  ...(fleets ? { [FLEETS]: regions } : {}),
  'lambda:ListFunctions': regions,
  'tag:GetResources': regions,
});

/** Every operation the report counts was asked for, and counts at least its requests: each attempt on the wire is one call. */
function expectAttemptsCover(apiCalls: Record<string, number>, requests: Record<string, number>): void {
  expect(Object.keys(apiCalls).sort()).toEqual(Object.keys(requests).sort());
  for (const [op, n] of Object.entries(requests)) expect(apiCalls[op], op).toBeGreaterThanOrEqual(n);
}

describe('collectInventory across regions', () => {
  let clients: CountingClients | undefined;
  const others: AwsClients[] = [];
  const collect = async (options: Partial<ClientOptions>, regions?: string[], prepare?: (c: CountingClients) => void) => {
    clients = new CountingClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1', ...options });
    prepare?.(clients);
    const events: ProgressEvent[] = [];
    const logged: string[] = [];
    const inventory: Inventory = await collectInventory(clients, {
      now: new Date(),
      onProgress: (e) => events.push(e),
      log: (m) => logged.push(m),
      ...(regions ? { regions } : {}),
    });
    return { inventory, events, logged, requests: clients.requests.snapshot(), clients };
  };

  beforeEach(async () => {
    await resetEmulator();
    await seed();
  });
  afterEach(() => {
    clients?.destroy();
    clients = undefined;
    for (const c of others.splice(0)) c.destroy();
  });

  it('finds the resources of every enabled region, joined, at the floor of API calls', async () => {
    const { inventory, events, logged, requests } = await collect({});
    const scanned = inventory.regions.filter((r) => r !== 'global');
    expect(inventory.regions[0]).toBe('global');
    const total = Object.values(inventory.apiCalls).reduce((a, b) => a + b, 0);
    expect(logged.at(-1)).toMatch(new RegExp(`^collected IAM and ${scanned.length} regions in \\d+\\.\\d\\d s with ${total} API calls$`));
    expect(scanned).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-northeast-1', 'sa-east-1']));
    // moto reports ap-east-1 and others as not opted in; they are skipped, not scanned.
    expect(inventory.skippedRegions).toContainEqual({ region: 'ap-east-1', reason: 'not-opted-in' });
    expect(scanned).not.toContain('ap-east-1');
    expect(inventory.gaps).toEqual([]);

    const instances = inventory.resources.filter((r) => r.type === 'ec2.instance');
    expect(instances.map((i) => [i.region, i.props.roles]).sort()).toEqual([
      ['ap-northeast-1', []],
      ['eu-west-1', ['web']],
      ['sa-east-1', []], // moto fulfils the spot request at once
      ['us-east-1', ['web']],
      ['us-east-1', ['web']],
    ]);
    expect(inventory.resources.filter((r) => r.type === 'ec2.spotRequest').map((r) => r.region)).toEqual(['sa-east-1']);
    const fn = inventory.resources.find((r) => r.type === 'lambda.function');
    expect(fn).toMatchObject({ id: 'orders-api', region: 'eu-west-1', tags: { team: 'orders' } });
    // The Tagging API's entries for instances and the function are folded into them; the volume stays.
    expect(inventory.resources.filter((r) => r.type === 'tagged.resource').map((r) => [r.region, r.props.service, r.props.resourceType])).toEqual([
      ['sa-east-1', 'ec2', 'volume'],
    ]);

    // No role trusts Spot Fleet, so no fleet can exist: none is asked for, and the report says why.
    expect(nonIam(requests)).toEqual(floor(scanned.length));
    expectAttemptsCover(inventory.apiCalls, requests);
    expect(inventory.notes).toContainEqual(expect.stringMatching(/^Spot fleets were not listed: no IAM role trusts spotfleet\.amazonaws\.com/));
    expect(Object.keys(inventory.apiCalls).some((op) => op.startsWith('iam:'))).toBe(true);
    expect(events.filter((e) => e.state === 'failed')).toEqual([]);
    expect(events.filter((e) => e.state === 'done')).toHaveLength(1 + 1 + 3 * scanned.length); // IAM, CloudTrail, and three services per region
  });

  it('lists spot fleets in every region once a role trusts Spot Fleet, and finds the fleet', async () => {
    await seedSpotFleet();
    const { inventory, events, requests } = await collect({});
    const scanned = inventory.regions.filter((r) => r !== 'global');
    expect(inventory.gaps).toEqual([]);
    expect(nonIam(requests)).toEqual(floor(scanned.length, true));
    expectAttemptsCover(inventory.apiCalls, requests);
    // moto: the fleet's Type is not returned
    expect(inventory.resources.filter((r) => r.type === 'ec2.spotFleetRequest').map((r) => [r.region, r.props.iamFleetRole, r.props.targetCapacity])).toEqual([
      ['ap-southeast-2', `arn:aws:iam::${ACCOUNT}:role/aws-ec2-spot-fleet-tagging-role`, 2],
    ]);
    expect(inventory.notes.filter((n) => n.startsWith('Spot fleets'))).toEqual([]);
    // Each region's EC2 progress is one start and one end, whenever its fleets were listed.
    const ec2 = events.filter((e) => e.service === 'ec2' && e.scope === 'ap-southeast-2').map((e) => e.state);
    expect(ec2).toEqual(['start', 'done']);
  });

  it('lists spot fleets everywhere when the IAM roles cannot be read', async () => {
    const refused = `http://127.0.0.1:${await freePort()}`;
    const regions = ['us-east-1', 'sa-east-1'];
    const { inventory, clients: c } = await collect({ endpoints: { 'iam@us-east-1': refused } }, regions);
    expect(inventory.gaps.filter((g) => g.type === 'iam.role').map((g) => g.code)).toEqual(['connection refused']);
    expect(regions.map((r) => c.requestsIn(r)[FLEETS])).toEqual([1, 1]);
    expect(inventory.notes.filter((n) => n.startsWith('Spot fleets'))).toEqual([]);
    expect(inventory.resources.filter((r) => r.type === 'ec2.spotRequest').map((r) => r.region)).toEqual(['sa-east-1']);
  });

  it('a refusing and a silent region each fail after a bounded number of attempts and leave gaps for their EC2 types only', async () => {
    const silent = await silentServer();
    const refused = `http://127.0.0.1:${await freePort()}`;
    try {
      await seedSpotFleet(); // so that the fleet lists are asked for, and fail, too
      const regions = ['us-east-1', 'eu-west-1', 'ap-south-1', 'eu-north-1'];
      // A short response timeout for the silent endpoint's client keeps the test quick (the default, 15 s, is measured
      // by hand, not asserted); the emulator's regions keep the default, which a loaded machine does not come near.
      const quick = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1', requestTimeoutMs: 1_500 });
      others.push(quick);
      const { inventory, events, requests, clients: c } = await collect({ endpoints: { 'ec2@ap-south-1': refused, 'ec2@eu-north-1': silent.url } }, regions, (c) => {
        (c.ec2('eu-north-1').config as { requestHandler: unknown }).requestHandler = quick.ec2('eu-north-1').config.requestHandler;
      });

      const gaps = inventory.gaps.map((g) => `${g.region} ${g.type} ${g.operation} ${g.code}`).sort();
      expect(gaps).toEqual([
        'ap-south-1 ec2.instance ec2:DescribeInstances connection refused',
        'ap-south-1 ec2.spotFleetRequest ec2:DescribeSpotFleetRequests connection refused',
        'ap-south-1 ec2.spotRequest ec2:DescribeSpotInstanceRequests connection refused',
        'eu-north-1 ec2.instance ec2:DescribeInstances response timeout',
        'eu-north-1 ec2.spotFleetRequest ec2:DescribeSpotFleetRequests response timeout',
        'eu-north-1 ec2.spotRequest ec2:DescribeSpotInstanceRequests response timeout',
      ]);
      expect(inventory.gaps.find((g) => g.region === 'ap-south-1')?.message).toContain('ECONNREFUSED');
      // The other regions and services are whole.
      expect(inventory.resources.filter((r) => r.type === 'ec2.instance').map((r) => r.region).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-east-1']);
      expect(inventory.resources.find((r) => r.type === 'lambda.function')?.tags).toEqual({ team: 'orders' });
      expect(inventory.regions).toEqual(['global', 'ap-south-1', 'eu-north-1', 'eu-west-1', 'us-east-1']);

      // Each list is asked for once per region; in a failing region it costs transientMaxAttempts (2) attempts, no more.
      expect(nonIam(requests)).toEqual(floor(4, true));
      const bounded = Object.fromEntries([...EC2_LISTS, FLEETS].map((op) => [op, DEFAULT_CLIENT_OPTIONS.transientMaxAttempts]));
      const ec2Attempts = (region: string) => Object.fromEntries(Object.entries(c.attemptsIn(region)).filter(([op]) => op.startsWith('ec2:')));
      expect(ec2Attempts('ap-south-1')).toEqual(bounded);
      expect(ec2Attempts('eu-north-1')).toEqual(bounded);
      expectAttemptsCover(inventory.apiCalls, requests);
      const failed = events.filter((e) => e.state === 'failed').map((e) => `${e.scope} ${e.service}`).sort();
      expect(failed).toEqual(['ap-south-1 ec2', 'eu-north-1 ec2']);
    } finally {
      await silent.close();
    }
  });
});
