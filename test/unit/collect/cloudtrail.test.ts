/**
 * The CloudTrail collector on AWS's own behaviour, which the emulator does not
 * show: ListTrails names every trail of the account in every region (moto:
 * only the region asked and multi-region trails), an organization trail
 * belongs to another account, a trail can vanish between calls, and a
 * per-trail read can be refused.
 */
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  ListTrailsCommand,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { collectCloudTrail } from '../../../src/collect/cloudtrail.js';
import { ACCOUNT, awsError } from '../../helpers/regional.js';

const arn = (region: string, name: string, account = ACCOUNT) => `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;
const trail = (region: string, name: string, multi: boolean, account = ACCOUNT): Trail => ({ Name: name, TrailARN: arn(region, name, account), HomeRegion: region, IsMultiRegionTrail: multi, S3BucketName: `${name}-logs` });

/** One mocked client per region, each answering as that region would. */
function regions(trails: Trail[], o: { listPages?: Trail[][]; denySelectorsIn?: string; vanished?: string[] } = {}) {
  const clients = new Map<string, CloudTrailClient>();
  const mocks: ReturnType<typeof mockClient>[] = [];
  const client = (region: string) => {
    let c = clients.get(region);
    if (c) return c;
    c = new CloudTrailClient({ region });
    clients.set(region, c);
    const m = mockClient(c);
    mocks.push(m);
    const pages = o.listPages ?? [trails];
    m.on(ListTrailsCommand).callsFake((input: { NextToken?: string }) => {
      const i = input.NextToken ? Number(input.NextToken) : 0;
      return { Trails: pages[i]!.map((t) => ({ Name: t.Name, TrailARN: t.TrailARN, HomeRegion: t.HomeRegion })), ...(i + 1 < pages.length ? { NextToken: String(i + 1) } : {}) };
    });
    // Answers more than asked, as the emulator does: the collector keeps what it asked for.
    m.on(DescribeTrailsCommand).resolves({ trailList: trails.filter((t) => t.HomeRegion === region || t.IsMultiRegionTrail) });
    const known = (name: string) => trails.some((t) => t.TrailARN === name && t.HomeRegion === region) && !(o.vanished ?? []).includes(name);
    m.on(GetTrailStatusCommand).callsFake((input: { Name: string }) => {
      if (!known(input.Name)) throw awsError('TrailNotFoundException', `Unknown trail: ${input.Name}`, 400);
      return { IsLogging: true, StartLoggingTime: new Date('2026-10-01T00:00:00Z') };
    });
    m.on(GetEventSelectorsCommand).callsFake((input: { TrailName: string }) => {
      if (o.denySelectorsIn === region) throw awsError('AccessDeniedException', 'not authorized to perform cloudtrail:GetEventSelectors');
      if (!known(input.TrailName)) throw awsError('TrailNotFoundException', `Unknown trail: ${input.TrailName}`, 400);
      return { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] };
    });
    return c;
  };
  /** Every call, as `region Operation trail-or-ARNs`. */
  const calls = () =>
    [...clients.keys()].flatMap((region, i) =>
      mocks[i]!.calls().map((call) => {
        const cmd = call.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
        const name = cmd.input.Name ?? cmd.input.TrailName ?? (cmd.input.trailNameList as string[] | undefined)?.join(',') ?? '';
        return `${region} ${cmd.constructor.name.replace(/Command$/, '')}${name ? ` ${String(name)}` : ''}`;
      }),
    );
  return { client, calls, restore: () => mocks.forEach((m) => m.restore()) };
}

let restore = () => {};
afterEach(() => restore());

const ctx = (scanned: string[]) => ({ accountId: ACCOUNT, now: new Date('2026-11-22T12:00:00Z'), regions: scanned, region: 'us-east-1' });

describe('collectCloudTrail (mocked AWS)', () => {
  it('one ListTrails, one DescribeTrails per home region with its ARNs, and status and selectors only for the trails that can log a scanned region', async () => {
    const org = trail('us-east-1', 'org', true, '999999999999');
    const r = regions([trail('eu-west-1', 'main', true), trail('us-east-1', 'local', false), trail('ap-south-1', 'far', false), org]);
    restore = r.restore;
    const { resources, gaps } = await collectCloudTrail(r.client, ctx(['us-east-1']));
    expect(gaps).toEqual([]);
    expect(r.calls().sort()).toEqual(
      [
        'us-east-1 ListTrails',
        `eu-west-1 DescribeTrails ${arn('eu-west-1', 'main')}`,
        `us-east-1 DescribeTrails ${arn('us-east-1', 'local')},${arn('us-east-1', 'org', '999999999999')}`,
        `ap-south-1 DescribeTrails ${arn('ap-south-1', 'far')}`,
        `eu-west-1 GetTrailStatus ${arn('eu-west-1', 'main')}`,
        `eu-west-1 GetEventSelectors ${arn('eu-west-1', 'main')}`,
        `us-east-1 GetTrailStatus ${arn('us-east-1', 'local')}`,
        `us-east-1 GetEventSelectors ${arn('us-east-1', 'local')}`,
        `us-east-1 GetTrailStatus ${org.TrailARN}`,
        `us-east-1 GetEventSelectors ${org.TrailARN}`,
      ].sort(),
    );
    // ap-south-1's single-region trail logs nothing the scan covers: it is not read further.
    expect(resources.map((x) => `${x.type} ${x.region} ${x.id}`)).toEqual([
      'cloudtrail.trail eu-west-1 main',
      'cloudtrail.trail us-east-1 local',
      'cloudtrail.trail us-east-1 org',
      'account.cloudtrail global account',
    ]);
    expect(resources.find((x) => x.id === 'org')?.props).toMatchObject({ ownerAccountId: '999999999999', multiRegion: true });
    expect(resources.at(-1)?.props).toEqual({ trails: 3, multiRegionTrails: [arn('eu-west-1', 'main'), org.TrailARN].sort(), loggingMultiRegionTrails: [arn('eu-west-1', 'main'), org.TrailARN].sort() });
  });

  it('follows ListTrails pages', async () => {
    const a = trail('us-east-1', 'a', false);
    const b = trail('us-east-1', 'b', true);
    const r = regions([a, b], { listPages: [[a], [b]] });
    restore = r.restore;
    const { resources, gaps } = await collectCloudTrail(r.client, ctx(['us-east-1']));
    expect(gaps).toEqual([]);
    expect(r.calls().filter((c) => c.includes('ListTrails'))).toEqual(['us-east-1 ListTrails', 'us-east-1 ListTrails']);
    expect(resources.filter((x) => x.type === 'cloudtrail.trail').map((x) => x.id)).toEqual(['a', 'b']);
  });

  it('a trail deleted between ListTrails and its status is left out, as gone: no gap', async () => {
    const r = regions([trail('us-east-1', 'main', true), trail('us-east-1', 'gone', false)], { vanished: [arn('us-east-1', 'gone')] });
    restore = r.restore;
    const { resources, gaps } = await collectCloudTrail(r.client, ctx(['us-east-1']));
    expect(gaps).toEqual([]);
    expect(resources.map((x) => x.id)).toEqual(['main', 'account']);
    expect(resources.at(-1)?.props.trails).toBe(1);
  });

  it('a refused per-trail read is a gap for its home region and for the summary, with the operation that failed; other regions stand', async () => {
    const r = regions([trail('eu-west-1', 'main', true), trail('us-east-1', 'local', false)], { denySelectorsIn: 'eu-west-1' });
    restore = r.restore;
    const { resources, gaps } = await collectCloudTrail(r.client, ctx(['us-east-1', 'eu-west-1']));
    expect(gaps.map((g) => `${g.type} ${g.region} ${g.operation} ${g.code}`)).toEqual([
      'cloudtrail.trail eu-west-1 cloudtrail:GetEventSelectors AccessDeniedException',
      'account.cloudtrail global cloudtrail:GetEventSelectors AccessDeniedException',
    ]);
    expect(resources.map((x) => `${x.region} ${x.id}`)).toEqual(['us-east-1 local']);
  });
});
