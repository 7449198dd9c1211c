/**
 * AWS Config as an inventory source against the emulator, where moto
 * implements it: recorders (none, stopped, recording everything, recording
 * with types excluded) read region by region, SelectResourceConfig asked
 * only where a recorder is (moto answers it with no rows: rows, paging and the
 * aggregator's query are in test/unit/collect/config.test.ts with
 * aws-sdk-client-mock), an aggregator whose source status moto does not
 * implement is a gap, never a crash; the calls are granted to audit, and the
 * inventory and report are schema-valid with Config's gaps in them.
 */
import {
  PutConfigurationAggregatorCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_OPTIONS, type AwsClients } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/collect/collect.js';
import type { AggregatorView } from '../../src/collect/config-aggregator.js';
import { permissionsPolicy } from '../../src/commands/permissions.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../src/load/rules.js';
import { validator } from '../../src/load/schemas.js';
import { buildReport } from '../../src/report/audit-report.js';
import { renderJson } from '../../src/report/json.js';
import { resetEmulator } from '../helpers/emulator.js';
import { CountingClients } from '../helpers/requests.js';
import { ACCOUNT, baseline } from '../helpers/resources.js';

const NOW = new Date('2026-11-29T16:00:00Z');
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1', 'us-west-2'];
const clientsFor = () => new CountingClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });

/** Sets the emulator up with clients of its own, so the run's clients count only the run's calls. */
async function seeded(f: (clients: AwsClients) => Promise<unknown>): Promise<void> {
  const seeding = clientsFor();
  try {
    await f(seeding);
  } finally {
    seeding.destroy();
  }
}

async function recorder(clients: AwsClients, region: string, o: { start: boolean; exclude?: string[] }): Promise<void> {
  const config = clients.config(region);
  const recordingGroup = o.exclude
    ? { allSupported: false, includeGlobalResourceTypes: false, exclusionByResourceTypes: { resourceTypes: o.exclude as never }, recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' as const } }
    : { allSupported: true, includeGlobalResourceTypes: region === 'us-east-1', recordingStrategy: { useOnly: 'ALL_SUPPORTED_RESOURCE_TYPES' as const } };
  await config.send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: `arn:aws:iam::${ACCOUNT}:role/config`, recordingGroup } }));
  if (!o.start) return;
  await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'config-bucket' } }));
  await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
}

describe('AWS Config from the emulator', () => {
  beforeEach(resetEmulator);

  it("each region's recorder is checked: none, stopped, or excluding a type is a gap; the query runs only where a recorder is; calls granted to audit", async () => {
    await seeded(async (seeding) => {
      await recorder(seeding, 'us-east-1', { start: true });
      await recorder(seeding, 'eu-west-1', { start: true, exclude: ['AWS::EC2::Instance', 'AWS::S3::Bucket'] });
      await recorder(seeding, 'ap-south-1', { start: false });
    });
    const clients = clientsFor();
    try {
      const inventory = await collectInventory(clients, { now: NOW, regions: REGIONS, config: { kind: 'account' } });
      const made = (op: string) => clients.requests.snapshot()[op] ?? 0;

      expect(inventory.gaps.filter((g) => g.type === 'config.resource').map((g) => [g.region, g.code, g.message]).sort((a, b) => REGIONS.indexOf(a[0]!) - REGIONS.indexOf(b[0]!))).toEqual([
        ['eu-west-1', 'ConfigTypesNotRecorded', 'the AWS Config recorder in eu-west-1 does not record AWS::S3::Bucket'],
        ['ap-south-1', 'ConfigurationRecorderStopped', 'the AWS Config recorder in ap-south-1 is not recording: what it shows may be stale, and new resources are missing'],
        ['us-west-2', 'NoConfigurationRecorder', 'no AWS Config recorder in us-west-2: Config knows nothing of it'],
      ]);
      // The rest of the collection is whole.
      expect(inventory.gaps.filter((g) => g.type !== 'config.resource')).toEqual([]);
      // The floor: one DescribeConfigurationRecorders per region, the status and the query (one page: moto has no rows) where a recorder is.
      expect(made('config:DescribeConfigurationRecorders')).toBe(4);
      expect(made('config:DescribeConfigurationRecorderStatus')).toBe(3);
      expect(made('config:SelectResourceConfig')).toBe(3);
      expect(Object.keys(inventory.apiCalls).filter((op) => !permissionsPolicy('audit').Statement[0]!.Action.includes(op as never))).toEqual([]);

      const checkInventory = validator('inventory');
      expect(checkInventory(JSON.parse(JSON.stringify(inventory))), JSON.stringify(checkInventory.errors)).toBe(true);

      // A baseline that declares Config types: its Config rules are unknown where Config is blind, and judged where it sees.
      const b = baseline({ resources: { 'config.resource': [{ configType: 'AWS::S3::Bucket', id: 'AWS::S3::Bucket/logs', region: 'us-east-1' }] } });
      const rules = loadRules([builtinRulesDir()]).filter((r) => r.id.startsWith('config-') || r.id === 'resource-missing');
      const { violations } = evaluate({ inventory, baseline: b, rules, now: NOW });
      const byRule = (id: string) => violations.filter((v) => v.ruleId === id).map((v) => `${v.status} ${v.subject}`).sort();
      expect(byRule('config-resource-type-undeclared')).toEqual(['unknown configType/ap-south-1/*', 'unknown configType/eu-west-1/*', 'unknown configType/us-west-2/*']);
      expect(byRule('config-resource-undeclared')).toEqual(['unknown config/ap-south-1/*', 'unknown config/eu-west-1/*', 'unknown config/us-west-2/*']);
      // us-east-1 is recorded and Config lists no such bucket: it is missing there, for real; elsewhere nobody can tell.
      expect(byRule('resource-missing')).toEqual(['fail config/us-east-1/AWS::S3::Bucket/logs', 'unknown config/ap-south-1/*', 'unknown config/eu-west-1/*', 'unknown config/us-west-2/*']);
      const report = buildReport({ version: 'test', now: NOW, inventory, baselineFile: 'b.yaml', ruleCount: rules.length, violations, warnings: [] });
      const checkReport = validator('report');
      expect(checkReport(JSON.parse(renderJson(report))), JSON.stringify(checkReport.errors)).toBe(true);
    } finally {
      clients.destroy();
    }
  });

  it('without --config no Config call is made', async () => {
    await seeded((seeding) => recorder(seeding, 'us-east-1', { start: true }));
    const clients = clientsFor();
    try {
      const inventory = await collectInventory(clients, { now: NOW, regions: ['us-east-1'] });
      expect(Object.keys(inventory.apiCalls).filter((op) => op.startsWith('config:'))).toEqual([]);
      expect(Object.keys(clients.requests.snapshot()).filter((op) => op.startsWith('config:'))).toEqual([]);
      expect(inventory.resources.filter((r) => r.type.startsWith('config.'))).toEqual([]);
    } finally {
      clients.destroy();
    }
  });

  it('an aggregator the emulator cannot fully answer is a gap for the account everywhere, never a crash', async () => {
    await seeded((seeding) =>
      seeding.config('us-east-1').send(new PutConfigurationAggregatorCommand({ ConfigurationAggregatorName: 'org', AccountAggregationSources: [{ AccountIds: [ACCOUNT], AllAwsRegions: true }] })),
    );
    const clients = clientsFor();
    try {
      const inventory = await collectInventory(clients, { now: NOW, regions: ['us-east-1'], config: { kind: 'aggregator', name: 'org' } });
      const gaps = inventory.gaps.filter((g) => g.type === 'config.resource');
      expect(gaps.map((g) => [g.region, g.operation])).toEqual([['global', 'config:DescribeConfigurationAggregatorSourcesStatus']]);
      expect(inventory.gaps.filter((g) => g.type !== 'config.resource')).toEqual([]);
      expect(Object.keys(inventory.apiCalls).filter((op) => !permissionsPolicy('audit').Statement[0]!.Action.includes(op as never))).toEqual([]);

      const missing = await collectInventory(clients, { now: NOW, regions: ['us-east-1'], config: { kind: 'aggregator', name: 'nope' } });
      expect(missing.gaps.filter((g) => g.type === 'config.resource').map((g) => [g.region, g.operation, g.code])).toEqual([
        ['global', 'config:DescribeConfigurationAggregators', 'NoSuchConfigurationAggregatorException'],
      ]);
    } finally {
      clients.destroy();
    }
  });

  it("an org run's shared aggregator is queried with the run's client, never the account's, and the account's inventory counts the queries made for it", async () => {
    const run = clientsFor();
    const member = clientsFor();
    try {
      const view: AggregatorView = { name: 'org', readable: true, accounts: [{ ids: new Set([ACCOUNT]), regions: 'all' }], statuses: new Map() };
      const inventory = await collectInventory(member, { now: NOW, regions: ['us-east-1'], config: { kind: 'aggregator', name: 'org', shared: { client: run.config('us-east-1'), view, member: true } } });
      // moto has no SelectAggregateResourceConfig: the query fails, a gap for the account everywhere.
      expect(inventory.gaps.filter((g) => g.type === 'config.resource').map((g) => [g.region, g.operation])).toEqual([['global', 'config:SelectAggregateResourceConfig']]);
      expect(run.requests.snapshot()).toEqual({ 'config:SelectAggregateResourceConfig': 1 });
      expect(Object.keys(member.requests.snapshot()).filter((op) => op.startsWith('config:'))).toEqual([]);
      // Every attempt the run's client made for this account, retries included, is in the account's own count too.
      const attempts = run.counter.snapshot()['config:SelectAggregateResourceConfig'];
      expect(attempts).toBeGreaterThanOrEqual(1);
      expect(inventory.apiCalls['config:SelectAggregateResourceConfig']).toBe(attempts);
    } finally {
      run.destroy();
      member.destroy();
    }
  });
});
