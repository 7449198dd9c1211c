/**
 * AWS Config as an inventory source, on AWS's own behaviour where the
 * emulator has none (moto answers SelectResourceConfig only with results
 * registered in-process, and has no SelectAggregateResourceConfig nor
 * DescribeConfigurationAggregatorSourcesStatus): query rows as JSON text,
 * paging through NextToken at 100 a page, a recorder that skips a region, a
 * stopped one, one that leaves types out, an aggregator split per account.
 */
import {
  ConfigServiceClient,
  DescribeConfigurationAggregatorsCommand,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  SelectAggregateResourceConfigCommand,
  SelectResourceConfigCommand,
  type AggregatedSourceStatus,
  type ConfigurationAggregator,
  type ConfigurationRecorder,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { aggregateQuery } from '../../../src/answers/config.js';
import { collectAggregated, coverageGaps, readAggregator, type AggregatorView } from '../../../src/collect/config-aggregator.js';
import { collectConfig, withConfigUnread } from '../../../src/collect/config.js';
import { ACCOUNT, awsError } from '../../helpers/regional.js';
import { baseline, inventory } from '../../helpers/resources.js';

const OTHER = '210987654321';
const NOW = new Date('2026-11-22T12:00:00Z');

/** One advanced-query row, as AWS sends it: JSON text. */
function row(type: string, id: string, region: string, o: { name?: string; account?: string; tags?: Record<string, string>; status?: string; arn?: string } = {}): string {
  return JSON.stringify({
    resourceType: type,
    resourceId: id,
    ...(o.name ? { resourceName: o.name } : {}),
    awsRegion: region,
    accountId: o.account ?? ACCOUNT,
    arn: o.arn ?? `arn:aws:x:${region}:${o.account ?? ACCOUNT}:${id}`,
    tags: Object.entries(o.tags ?? {}).map(([key, value]) => ({ key, value })),
    configurationItemCaptureTime: '2026-11-20T10:00:00.000Z',
    resourceCreationTime: '2026-11-19T09:00:00.000Z',
    configurationItemStatus: o.status ?? 'OK',
  });
}

const ALL: ConfigurationRecorder = { name: 'default', recordingGroup: { allSupported: true, includeGlobalResourceTypes: true, recordingStrategy: { useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' } } };

interface RegionSetup {
  recorders?: ConfigurationRecorder[];
  recording?: boolean;
  /** The recorder's last delivery: Success unless given. */
  failing?: { code: string; message: string };
  /** Pages of rows; the query fails on page `failOn`. */
  pages?: string[][];
  failOn?: number;
  /** Every page says there is a next one, with the same token (a fault AWS's paginators do not stop on by default). */
  sameToken?: boolean;
}

const mocks: ReturnType<typeof mockClient>[] = [];
afterEach(() => {
  for (const m of mocks.splice(0)) m.restore();
});

/** One mocked client per region, each answering as its region's Config would; `asked` records every query's input. */
function regions(setup: Record<string, RegionSetup>) {
  const clients = new Map<string, ConfigServiceClient>();
  const asked: { region: string; input: { Expression?: string; Limit?: number; NextToken?: string } }[] = [];
  const client = (region: string) => {
    let c = clients.get(region);
    if (c) return c;
    c = new ConfigServiceClient({ region });
    clients.set(region, c);
    const m = mockClient(c);
    mocks.push(m);
    const s = setup[region] ?? {};
    const recorders = s.recorders ?? [];
    m.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: recorders });
    m.on(DescribeConfigurationRecorderStatusCommand).resolves({
      ConfigurationRecordersStatus: recorders.map((r) => ({ name: r.name, recording: s.recording ?? true, lastStatus: s.failing ? 'Failure' : 'Success', ...(s.failing ? { lastErrorCode: s.failing.code, lastErrorMessage: s.failing.message } : {}), ...(s.recording === false ? { lastStopTime: new Date('2026-11-10T00:00:00Z') } : {}) })),
    });
    m.on(SelectResourceConfigCommand).callsFake((input: { Expression?: string; Limit?: number; NextToken?: string }) => {
      asked.push({ region, input: { ...input } });
      const pages = s.pages ?? [[]];
      const i = input.NextToken ? Number(input.NextToken) : 0;
      if (s.failOn === i) throw awsError('ThrottlingException', 'Rate exceeded', 400);
      if (s.sameToken) return { Results: pages[0], NextToken: 'again' };
      return { Results: pages[i], QueryInfo: { SelectFields: [{ Name: 'resourceId' }] }, ...(i + 1 < pages.length ? { NextToken: String(i + 1) } : {}) };
    });
  };
  return { client: (region: string) => (client(region), clients.get(region)!), asked };
}

const ctx = (regionsScanned: string[]) => ({ accountId: ACCOUNT, now: NOW, regions: regionsScanned, region: 'us-east-1' });

describe('Config from the account own recorders', () => {
  it('reads every page at 100 a page, maps rows (untagged ones too), and sums the types no collector lists', async () => {
    const page1 = Array.from({ length: 100 }, (_, i) => row('AWS::EC2::SecurityGroup', `sg-${String(i).padStart(3, '0')}`, 'us-east-1'));
    const page2 = [
      row('AWS::SageMaker::NotebookInstance', 'miner', 'us-east-1', { name: 'miner' }),
      row('AWS::EC2::Instance', 'i-0abc', 'us-east-1', { tags: { team: 'web' } }),
      row('AWS::IAM::User', 'AIDAEXAMPLE', 'global', { name: 'alice' }),
      row('AWS::S3::Bucket', 'gone', 'us-east-1', { status: 'ResourceDeleted' }),
      '{not json',
      JSON.stringify({ resourceType: 'AWS::S3::Bucket' }),
    ];
    const { client, asked } = regions({ 'us-east-1': { recorders: [ALL], pages: [page1, page2] } });
    const got = await collectConfig(client, ctx(['us-east-1']), { kind: 'account' });
    expect(got.gaps).toEqual([]);
    expect(asked.map((a) => a.input.Limit)).toEqual([100, 100]);
    expect(asked[0]!.input.Expression).toMatch(/^SELECT resourceId, resourceName, resourceType, arn, awsRegion, accountId, tags, /);
    expect(asked[1]!.input.NextToken).toBe('1');
    const configs = got.resources.filter((r) => r.type === 'config.resource');
    expect(configs).toHaveLength(103);
    const notebook = configs.find((r) => r.props.configType === 'AWS::SageMaker::NotebookInstance')!;
    expect(notebook).toMatchObject({ id: 'AWS::SageMaker::NotebookInstance/miner', region: 'us-east-1', tags: {}, props: { name: 'miner', resourceId: 'miner', captureTime: '2026-11-20T10:00:00.000Z', createdTime: '2026-11-19T09:00:00.000Z', source: 'recorder', collectedAs: null } });
    expect(configs.find((r) => r.props.configType === 'AWS::EC2::Instance')).toMatchObject({ tags: { team: 'web' }, props: { collectedAs: 'ec2.instance' } });
    expect(configs.find((r) => r.props.configType === 'AWS::IAM::User')).toMatchObject({ region: 'global', props: { collectedAs: 'iam.user', name: 'alice' } });
    // One summary per type no collector lists: not the instance, not the IAM user.
    const types = got.resources.filter((r) => r.type === 'config.resourceType');
    expect(types.map((t) => [t.region, t.id, t.props.count, t.props.examples])).toEqual([
      ['us-east-1', 'AWS::EC2::SecurityGroup', 100, ['sg-000', 'sg-001', 'sg-002', 'sg-003', 'sg-004']],
      ['us-east-1', 'AWS::SageMaker::NotebookInstance', 1, ['miner']],
    ]);
  });

  it('a region with no recorder, a stopped recorder, and one whose group leaves types out are gaps; no query where there is no recorder', async () => {
    const excluding: ConfigurationRecorder = {
      name: 'default',
      recordingGroup: { allSupported: false, recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' }, // The SDK's enum lags Config's types: a type it does not name yet is still a string on the wire.
      exclusionByResourceTypes: { resourceTypes: ['AWS::EC2::Instance', 'AWS::SageMaker::NotebookInstance'] as never } },
    };
    const only: ConfigurationRecorder = { name: 'default', recordingGroup: { allSupported: false, resourceTypes: ['AWS::S3::Bucket'], recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' } } };
    const { client, asked } = regions({
      'us-east-1': { recorders: [ALL], pages: [[row('AWS::S3::Bucket', 'logs', 'us-east-1')]] },
      'eu-west-1': {},
      'ap-south-1': { recorders: [ALL], recording: false, pages: [[row('AWS::S3::Bucket', 'old', 'ap-south-1')]] },
      'us-west-2': { recorders: [excluding], pages: [[]] },
      'eu-central-1': { recorders: [only], pages: [[]] },
    });
    const got = await collectConfig(client, ctx(['us-east-1', 'eu-west-1', 'ap-south-1', 'us-west-2', 'eu-central-1']), { kind: 'account' });
    expect(got.gaps.map((g) => [g.region, g.code])).toEqual([
      ['eu-west-1', 'NoConfigurationRecorder'],
      ['ap-south-1', 'ConfigurationRecorderStopped'],
      ['us-west-2', 'ConfigTypesNotRecorded'],
      ['eu-central-1', 'ConfigTypesNotRecorded'],
    ]);
    expect(got.gaps.every((g) => g.type === 'config.resource')).toBe(true);
    // The instance is listed by the EC2 collector anyway: only the notebook is a hole.
    expect(got.gaps[2]!.message).toBe('the AWS Config recorder in us-west-2 does not record AWS::SageMaker::NotebookInstance');
    expect(got.gaps[3]!.message).toMatch(/records only 1 type \(AWS::S3::Bucket\)/);
    expect(asked.map((a) => a.region).sort()).toEqual(['ap-south-1', 'eu-central-1', 'us-east-1', 'us-west-2']);
    // A stopped recorder's resources are kept as evidence; its gap makes rules unknown there.
    expect(got.resources.filter((r) => r.type === 'config.resource').map((r) => r.id).sort()).toEqual(['AWS::S3::Bucket/logs', 'AWS::S3::Bucket/old']);
  });

  it('a recorder that is recording but whose last recording failed is a gap, with its error; its resources are kept as evidence', async () => {
    const { client } = regions({
      'us-east-1': { recorders: [ALL], pages: [[row('AWS::S3::Bucket', 'a', 'us-east-1')]] },
      'eu-west-1': { recorders: [ALL], failing: { code: 'AccessDenied', message: 'the role <x> cannot read' }, pages: [[row('AWS::S3::Bucket', 'c', 'eu-west-1')]] },
    });
    const got = await collectConfig(client, ctx(['us-east-1', 'eu-west-1']), { kind: 'account' });
    expect(got.gaps.map((g) => [g.region, g.operation, g.code, g.message])).toEqual([
      ['eu-west-1', 'config:DescribeConfigurationRecorderStatus', 'ConfigRecorderFailing', 'the AWS Config recorder in eu-west-1 is recording but its last recording failed (AccessDenied: the role <x> cannot read): new and changed resources may be missing'],
    ]);
    expect(got.resources.filter((r) => r.type === 'config.resource').map((r) => r.id).sort()).toEqual(['AWS::S3::Bucket/a', 'AWS::S3::Bucket/c']);
  });

  it('marks whether a type is in every region read in full (a per-region default such as a VPC), so the region rule judges only the others untagged', async () => {
    const { client } = regions({
      'us-east-1': { recorders: [ALL], pages: [[row('AWS::EC2::VPC', 'vpc-1', 'us-east-1'), row('AWS::S3::Bucket', 'logs', 'us-east-1')]] },
      'ap-south-1': { recorders: [ALL], pages: [[row('AWS::EC2::VPC', 'vpc-2', 'ap-south-1'), row('AWS::SageMaker::NotebookInstance', 'miner', 'ap-south-1')]] },
      // No recorder: not a region read, so it does not make the VPC look like a rarity.
      'eu-west-1': {},
    });
    const got = await collectConfig(client, ctx(['us-east-1', 'ap-south-1', 'eu-west-1']), { kind: 'account' });
    const presence = Object.fromEntries(got.resources.filter((r) => r.type === 'config.resource').map((r) => [r.id, r.props.inEveryRegion]));
    expect(presence).toEqual({ 'AWS::EC2::VPC/vpc-1': true, 'AWS::EC2::VPC/vpc-2': true, 'AWS::S3::Bucket/logs': false, 'AWS::SageMaker::NotebookInstance/miner': false });
    // One region read in full says nothing of what is a default: not judged (null).
    const one = await collectConfig(client, ctx(['ap-south-1', 'eu-west-1']), { kind: 'account' });
    expect(one.resources.filter((r) => r.type === 'config.resource').map((r) => r.props.inEveryRegion)).toEqual([null, null]);
  });

  it('a query that fails on a later page is a gap, and drops the earlier pages of that region only', async () => {
    const { client } = regions({
      'us-east-1': { recorders: [ALL], pages: [[row('AWS::S3::Bucket', 'a', 'us-east-1')], [row('AWS::S3::Bucket', 'b', 'us-east-1')]], failOn: 1 },
      'eu-west-1': { recorders: [ALL], pages: [[row('AWS::S3::Bucket', 'c', 'eu-west-1')]] },
    });
    const got = await collectConfig(client, ctx(['us-east-1', 'eu-west-1']), { kind: 'account' });
    expect(got.gaps.map((g) => [g.region, g.operation, g.code])).toEqual([['us-east-1', 'config:SelectResourceConfig', 'ThrottlingException']]);
    expect(got.resources.filter((r) => r.type === 'config.resource').map((r) => r.id)).toEqual(['AWS::S3::Bucket/c']);
  });

  it('a query that hands back the same NextToken again is a gap, not an endless loop, and drops that region', async () => {
    const { client, asked } = regions({
      'us-east-1': { recorders: [ALL], pages: [[row('AWS::S3::Bucket', 'a', 'us-east-1')]], sameToken: true },
      'eu-west-1': { recorders: [ALL], pages: [[row('AWS::S3::Bucket', 'c', 'eu-west-1')]] },
    });
    const got = await collectConfig(client, ctx(['us-east-1', 'eu-west-1']), { kind: 'account' });
    expect(got.gaps.map((g) => [g.region, g.operation, g.code])).toEqual([['us-east-1', 'config:SelectResourceConfig', 'RepeatedNextToken']]);
    expect(asked.filter((a) => a.region === 'us-east-1')).toHaveLength(2);
    expect(got.resources.filter((r) => r.type === 'config.resource').map((r) => r.id)).toEqual(['AWS::S3::Bucket/c']);
  });

  it('a recorder that cannot be described is a gap and no query is made', async () => {
    const c = new ConfigServiceClient({ region: 'us-east-1' });
    const m = mockClient(c);
    mocks.push(m);
    m.on(DescribeConfigurationRecordersCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    const got = await collectConfig(() => c, ctx(['us-east-1']), { kind: 'account' });
    expect(got.gaps.map((g) => [g.region, g.operation, g.code])).toEqual([['us-east-1', 'config:DescribeConfigurationRecorders', 'AccessDeniedException']]);
    expect(m.commandCalls(SelectResourceConfigCommand)).toHaveLength(0);
  });
});

describe('Config through an aggregator', () => {
  const status = (account: string, region: string, s: AggregatedSourceStatus['LastUpdateStatus'], extra: Partial<AggregatedSourceStatus> = {}): AggregatedSourceStatus => ({
    SourceId: account,
    SourceType: 'ACCOUNT',
    AwsRegion: region,
    LastUpdateStatus: s,
    ...extra,
  });

  const ORG_SOURCE: Partial<ConfigurationAggregator> = { OrganizationAggregationSource: { RoleArn: 'arn:aws:iam::111111111111:role/agg', AllAwsRegions: true } };

  function aggregator(o: { statusPages: AggregatedSourceStatus[][]; pages: string[][]; missing?: boolean; loop?: 'sources' | 'select'; described?: Partial<ConfigurationAggregator> }) {
    const c = new ConfigServiceClient({ region: 'us-east-1' });
    const m = mockClient(c);
    mocks.push(m);
    m.on(DescribeConfigurationAggregatorsCommand).callsFake(() => {
      if (o.missing) throw awsError('NoSuchConfigurationAggregatorException', 'The configuration aggregator does not exist.', 400);
      return { ConfigurationAggregators: [{ ConfigurationAggregatorName: 'org', ...(o.described ?? ORG_SOURCE) }] };
    });
    m.on(DescribeConfigurationAggregatorSourcesStatusCommand).callsFake((input: { NextToken?: string }) => {
      const i = input.NextToken ? Number(input.NextToken) : 0;
      if (o.loop === 'sources') return { AggregatedSourceStatusList: o.statusPages[0], NextToken: '7' };
      return { AggregatedSourceStatusList: o.statusPages[i], ...(i + 1 < o.statusPages.length ? { NextToken: String(i + 1) } : {}) };
    });
    const asked: { Expression?: string; Limit?: number; NextToken?: string; ConfigurationAggregatorName?: string }[] = [];
    m.on(SelectAggregateResourceConfigCommand).callsFake((input: (typeof asked)[number]) => {
      asked.push({ ...input });
      const i = input.NextToken ? Number(input.NextToken) : 0;
      if (o.loop === 'select') return { Results: o.pages[0], NextToken: 'again' };
      return { Results: o.pages[i], ...(i + 1 < o.pages.length ? { NextToken: String(i + 1) } : {}) };
    });
    return { c, m, asked };
  }

  const rows = [
    [row('AWS::SageMaker::NotebookInstance', 'nb', 'us-east-1'), row('AWS::ECS::Cluster', 'c1', 'eu-west-1', { account: OTHER })],
    [row('AWS::S3::Bucket', 'far', 'sa-east-1'), row('AWS::IAM::Role', 'AROA1', 'global', { name: 'r', account: OTHER }), row('AWS::S3::Bucket', 'b', 'eu-west-1')],
  ];

  it('one account: asks for it alone, pages at 100, and a region the aggregator does not cover or failed to collect is a gap', async () => {
    const { c, asked } = aggregator({
      statusPages: [[status(ACCOUNT, 'us-east-1', 'SUCCEEDED'), status(OTHER, 'us-east-1', 'SUCCEEDED')], [status(ACCOUNT, 'eu-west-1', 'FAILED', { LastErrorCode: 'AccessDenied', LastErrorMessage: 'role <b>' })]],
      pages: rows,
      described: { AccountAggregationSources: [{ AccountIds: [ACCOUNT, OTHER], AwsRegions: ['us-east-1', 'eu-west-1'] }] },
    });
    const mine = await collectAggregated(c, 'org', { account: ACCOUNT, regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] });
    expect(asked.map((a) => [a.ConfigurationAggregatorName, a.Limit, a.NextToken])).toEqual([
      ['org', 100, undefined],
      ['org', 100, '1'],
    ]);
    expect(asked[0]!.Expression).toMatch(new RegExp(`WHERE accountId = '${ACCOUNT}'$`));
    // The other account's rows and a region not scanned are left out (moto-like answers ignore the WHERE: the code does not rely on it).
    expect(mine.resources.map((r) => r.id).sort()).toEqual(['AWS::S3::Bucket/b', 'AWS::SageMaker::NotebookInstance/nb']);
    expect(mine.resources.every((r) => r.props.source === 'aggregator:org')).toBe(true);
    expect(mine.gaps.map((g) => [g.region, g.code, g.message])).toEqual([
      ['us-east-1', 'AggregatorCoverageUnverified', `the AWS Config aggregator org last collected account ${ACCOUNT} in us-east-1, but cannot say whether its recorder there is running or which types it records: read the account's recorders with --config, or accept the aggregator's word with --config-aggregator-trusted`],
      ['eu-west-1', 'AggregationFailed', `the AWS Config aggregator org failed to collect for account ${ACCOUNT} in eu-west-1: AccessDenied role <b>`],
      ['ap-south-1', 'NotAggregated', `the AWS Config aggregator org has no source for account ${ACCOUNT} in ap-south-1`],
    ]);
  });

  it("a source that SUCCEEDED is vouched for only when the user accepts the aggregator's word (its recorder may be stopped or gone): then a note says so", async () => {
    const { c } = aggregator({ statusPages: [[status(ACCOUNT, 'us-east-1', 'SUCCEEDED'), status(ACCOUNT, 'eu-west-1', 'OUTDATED')]], pages: rows });
    const trusted = await collectAggregated(c, 'org', { account: ACCOUNT, regions: ['us-east-1', 'eu-west-1'], trusted: true });
    expect(trusted.gaps.map((g) => [g.region, g.code])).toEqual([['eu-west-1', 'AggregationOutdated']]);
    expect(trusted.notes.join(' ')).toMatch(/--config-aggregator-trusted: .*not whether its recorder is running/);
    const strict = await collectAggregated(c, 'org', { account: ACCOUNT, regions: ['us-east-1', 'eu-west-1'] });
    expect(strict.gaps.map((g) => [g.region, g.code])).toEqual([
      ['us-east-1', 'AggregatorCoverageUnverified'],
      ['eu-west-1', 'AggregationOutdated'],
    ]);
    // The resources are read either way, as evidence.
    expect(strict.resources.map((r) => r.id).sort()).toEqual(trusted.resources.map((r) => r.id).sort());
  });

  it("collectConfig reads the account's part through the aggregator, and the inventory says Config was read", async () => {
    const { c } = aggregator({ statusPages: [[status(OTHER, 'us-east-1', 'SUCCEEDED'), status(OTHER, 'eu-west-1', 'SUCCEEDED')]], pages: rows });
    const other = await collectConfig(() => c, { ...ctx(['us-east-1', 'eu-west-1']), accountId: OTHER }, { kind: 'aggregator', name: 'org', trusted: true });
    expect(other.gaps).toEqual([]);
    expect(other.resources.map((r) => `${r.type} ${r.region} ${r.id}`)).toEqual(['config.resource eu-west-1 AWS::ECS::Cluster/c1', 'config.resource global AWS::IAM::Role/AROA1', 'config.resourceType eu-west-1 AWS::ECS::Cluster']);
    const b = baseline({ resources: { 'config.resource': [{ configType: 'AWS::ECS::*' }] } });
    expect(withConfigUnread({ ...inventory([]), notes: other.notes }, b).gaps).toEqual([]);
  });

  it('a query or a source listing that hands back the same NextToken again is a gap everywhere for the account, not an endless loop', async () => {
    for (const loop of ['select', 'sources'] as const) {
      const { c, m } = aggregator({ statusPages: [[status(ACCOUNT, 'us-east-1', 'SUCCEEDED')]], pages: rows, loop });
      const got = await collectAggregated(c, 'org', { account: ACCOUNT, regions: ['us-east-1'] });
      expect(got.gaps.map((g) => [g.region, g.code])).toEqual([['global', 'RepeatedNextToken']]);
      expect(got.resources).toEqual([]);
      expect(m.calls().length).toBeLessThan(6);
    }
  });

  it('an aggregator that does not exist is a gap everywhere for the account, never a crash; collectConfig keeps the note', async () => {
    const { c } = aggregator({ statusPages: [[]], pages: [[]], missing: true });
    const got = await collectConfig(() => c, ctx(['us-east-1']), { kind: 'aggregator', name: 'nope' });
    expect(got.gaps.map((g) => [g.type, g.region, g.operation, g.code])).toEqual([['config.resource', 'global', 'config:DescribeConfigurationAggregators', 'NoSuchConfigurationAggregatorException']]);
    expect(got.resources).toEqual([]);
  });

  it('read once for many accounts: statuses kept only for the accounts asked (and the organization), then each account queried alone through the view, with no second read', async () => {
    const THIRD = '333333333333';
    const { c, m, asked } = aggregator({
      statusPages: [[status(ACCOUNT, 'us-east-1', 'SUCCEEDED'), status(THIRD, 'us-east-1', 'FAILED')], [status(OTHER, 'us-east-1', 'OUTDATED'), { SourceId: 'o-abc', SourceType: 'ORGANIZATION', AwsRegion: 'us-east-1', LastUpdateStatus: 'SUCCEEDED' }]],
      pages: rows,
    });
    const view = await readAggregator(c, 'org', (id) => id === ACCOUNT || id === OTHER);
    if (!view.readable) throw new Error('unreadable');
    expect([...view.statuses.keys()].sort()).toEqual([`ACCOUNT|${ACCOUNT}|us-east-1`, `ACCOUNT|${OTHER}|us-east-1`, 'ORGANIZATION||us-east-1']);
    expect(view.organization).toBe('all');
    const mine = await collectAggregated(c, 'org', { account: ACCOUNT, regions: ['us-east-1'], view, member: true });
    const other = await collectAggregated(c, 'org', { account: OTHER, regions: ['us-east-1', 'eu-west-1'], view, member: true, trusted: true });
    // Two coverage reads (the statuses in two pages), then two pages per account: no read per account.
    expect(m.commandCalls(DescribeConfigurationAggregatorsCommand)).toHaveLength(1);
    expect(m.commandCalls(DescribeConfigurationAggregatorSourcesStatusCommand)).toHaveLength(2);
    expect(asked.map((a) => [a.Expression?.slice(-32), a.Limit, a.NextToken ?? null])).toEqual([
      [`WHERE accountId = '${ACCOUNT}'`, 100, null],
      [`WHERE accountId = '${ACCOUNT}'`, 100, '1'],
      [`WHERE accountId = '${OTHER}'`, 100, null],
      [`WHERE accountId = '${OTHER}'`, 100, '1'],
    ]);
    expect(mine.resources.map((r) => r.id).sort()).toEqual(['AWS::SageMaker::NotebookInstance/nb']);
    expect(mine.gaps.map((g) => [g.region, g.code])).toEqual([['us-east-1', 'AggregatorCoverageUnverified']]);
    expect(other.resources.map((r) => r.id).sort()).toEqual(['AWS::ECS::Cluster/c1', 'AWS::IAM::Role/AROA1']);
    // Its own status (OUTDATED) wins over the organization's; in eu-west-1 the organization's is missing: no status, a gap.
    expect(other.gaps.map((g) => [g.region, g.code])).toEqual([
      ['us-east-1', 'AggregationOutdated'],
      ['eu-west-1', 'NotAggregated'],
    ]);
  });

  it("coverage per account and region: the description's sources, the account's status or the organization's, and whether the account is known to be a member", () => {
    const s = (account: string, region: string, st: AggregatedSourceStatus['LastUpdateStatus']) => [`ACCOUNT|${account}|${region}`, status(account, region, st)] as const;
    const org = (region: string, st: AggregatedSourceStatus['LastUpdateStatus']) => [`ORGANIZATION||${region}`, { SourceId: 'o-abc', SourceType: 'ORGANIZATION' as const, AwsRegion: region, LastUpdateStatus: st, LastErrorCode: 'OrganizationAccessDenied' }] as const;
    const accounts: AggregatorView = {
      name: 'agg',
      readable: true,
      accounts: [{ ids: new Set([ACCOUNT]), regions: new Set(['us-east-1', 'eu-west-1']) }],
      statuses: new Map([s(ACCOUNT, 'us-east-1', 'SUCCEEDED')]),
    };
    const codes = (gaps: { region: string; code: string }[]) => gaps.map((g) => `${g.region} ${g.code}`);
    expect(codes(coverageGaps(accounts, ACCOUNT, ['us-east-1', 'eu-west-1', 'ap-south-1'], { trusted: true, member: true }))).toEqual(['eu-west-1 NotAggregated', 'ap-south-1 NotAggregated']);
    expect(coverageGaps(accounts, ACCOUNT, ['eu-west-1'], { trusted: true, member: true })[0]!.message).toBe(`the AWS Config aggregator agg names account ${ACCOUNT} as a source in eu-west-1, but reports no status for it: what it holds of the account there cannot be vouched for`);
    // An account the aggregator does not name at all: every region a gap, trusted or not.
    expect(coverageGaps(accounts, OTHER, ['us-east-1'], { trusted: true, member: true }).map((g) => g.message)).toEqual([`the AWS Config aggregator agg has no source for account ${OTHER} in us-east-1`]);

    const organization: AggregatorView = { name: 'agg', readable: true, accounts: [], organization: new Set(['us-east-1', 'eu-west-1']), statuses: new Map([org('us-east-1', 'SUCCEEDED'), org('eu-west-1', 'FAILED'), s(OTHER, 'eu-west-1', 'SUCCEEDED')]) };
    expect(codes(coverageGaps(organization, ACCOUNT, ['us-east-1', 'eu-west-1', 'ap-south-1'], { trusted: true, member: true }))).toEqual(['eu-west-1 AggregationFailed', 'ap-south-1 NotAggregated']);
    expect(coverageGaps(organization, ACCOUNT, ['eu-west-1'], { trusted: true, member: true })[0]!.message).toBe(`the AWS Config aggregator agg failed to collect for the organization (account ${ACCOUNT}) in eu-west-1: OrganizationAccessDenied`);
    expect(codes(coverageGaps(organization, ACCOUNT, ['us-east-1'], { trusted: false, member: true }))).toEqual(['us-east-1 AggregatorCoverageUnverified']);
    // Not known to be in the organization (--accounts without --org): the organization's word does not cover it; a status of its own does.
    const stranger = coverageGaps(organization, ACCOUNT, ['us-east-1'], { trusted: true, member: false });
    expect(stranger.map((g) => g.code)).toEqual(['NotAggregated']);
    expect(stranger[0]!.message).toContain('cannot tell whether account 123456789012 is in it (the organization was not listed: add --org)');
    expect(coverageGaps(organization, OTHER, ['eu-west-1'], { trusted: true, member: false })).toEqual([]);
  });

  it('only account ids reach the SQL', () => {
    expect(() => aggregateQuery("1' OR '1'='1")).toThrow(/not an account id/);
    expect(() => aggregateQuery('')).toThrow(/not an account id/);
    expect(aggregateQuery(OTHER)).toMatch(new RegExp(`WHERE accountId = '${OTHER}'$`));
  });
});

describe('a baseline that declares config.resource, judged without Config', () => {
  it('is a gap (its rules unknown), unless the inventory asked Config', () => {
    const b = baseline({ resources: { 'config.resource': [{ configType: 'AWS::S3::Bucket' }] } });
    expect(withConfigUnread(inventory([]), b).gaps.map((g) => g.code)).toEqual(['ConfigNotRead']);
    expect(withConfigUnread({ ...inventory([]), apiCalls: { 'config:DescribeConfigurationRecorders': 1 } }, b).gaps).toEqual([]);
    expect(withConfigUnread(inventory([]), baseline()).gaps).toEqual([]);
  });
});
