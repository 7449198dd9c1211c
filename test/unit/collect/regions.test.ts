import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { discoverRegions } from '../../../src/collect/regions.js';
import { AwsFailure, InputError } from '../../../src/errors.js';

const ec2 = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' } });
const mock = mockClient(ec2);

const REGIONS = [
  { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
  { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
  { RegionName: 'ap-east-1', OptInStatus: 'not-opted-in' },
  { RegionName: 'af-south-1', OptInStatus: 'opted-in' },
  { RegionName: 'me-south-1', OptInStatus: 'not-opted-in' },
];

async function inputError(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).message;
}

describe('discoverRegions', () => {
  beforeEach(() => {
    mock.reset();
    mock.on(DescribeRegionsCommand).resolves({ Regions: REGIONS });
  });

  it("leaves out regions of another partition: they are not this account's", async () => {
    mock.on(DescribeRegionsCommand).resolves({
      Regions: [...REGIONS, { RegionName: 'cn-north-1', OptInStatus: 'opt-in-not-required' }, { RegionName: 'us-gov-west-1', OptInStatus: 'opt-in-not-required' }],
    });
    const plan = await discoverRegions(ec2);
    expect(plan.regions).toEqual(['af-south-1', 'eu-west-1', 'us-east-1']);
    expect(plan.skipped.map((s) => s.region)).toEqual(['ap-east-1', 'me-south-1']);
    expect((await discoverRegions(ec2, undefined, 'aws-cn')).regions).toEqual(['cn-north-1']);
  });

  it('scans every enabled region (opted in, or needing no opt-in) and skips the rest, with one call', async () => {
    expect(await discoverRegions(ec2)).toEqual({
      regions: ['af-south-1', 'eu-west-1', 'us-east-1'],
      skipped: [
        { region: 'ap-east-1', reason: 'not-opted-in' },
        { region: 'me-south-1', reason: 'not-opted-in' },
      ],
      notes: [],
    });
    expect(mock.commandCalls(DescribeRegionsCommand).map((c) => c.args[0].input)).toEqual([{ AllRegions: true }]);
  });

  it('--regions narrows the enabled regions; the others are not selected', async () => {
    expect(await discoverRegions(ec2, ['us-east-1', 'af-south-1', 'us-east-1'])).toEqual({
      regions: ['af-south-1', 'us-east-1'],
      skipped: [
        { region: 'ap-east-1', reason: 'not-opted-in' },
        { region: 'eu-west-1', reason: 'not-selected' },
        { region: 'me-south-1', reason: 'not-opted-in' },
      ],
      notes: [],
    });
  });

  it('a requested region AWS does not know, or one not enabled, is bad input naming the enabled ones', async () => {
    const message = await inputError(discoverRegions(ec2, ['us-east-1', 'mars-east-1', 'ap-east-1']));
    expect(message).toContain("--regions: unknown region 'mars-east-1'");
    expect(message).toContain("--regions: not enabled in this account (not opted in): 'ap-east-1'");
    expect(message).toContain('the regions enabled in this account are: af-south-1, eu-west-1, us-east-1');
  });

  it('without --regions, a failed DescribeRegions is fatal (exit 3): there is nothing sound to scan', async () => {
    mock.on(DescribeRegionsCommand).rejects(Object.assign(new Error('not authorized to perform ec2:DescribeRegions'), { name: 'UnauthorizedOperation' }));
    const err = await discoverRegions(ec2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsFailure);
    expect((err as Error).message).toMatch(/^cannot list the account's regions \(ec2:DescribeRegions\): UnauthorizedOperation: .*--regions$/);
  });

  it('with --regions, a failed DescribeRegions scans them as given, with a note', async () => {
    mock.on(DescribeRegionsCommand).rejects(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' }));
    const plan = await discoverRegions(ec2, ['eu-west-1', 'us-east-1']);
    expect(plan.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(plan.skipped).toEqual([]);
    expect(plan.notes).toEqual([expect.stringContaining('could not be listed (ec2:DescribeRegions: UnauthorizedOperation: denied)')]);
  });
});
