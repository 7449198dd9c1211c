/**
 * The spend since the incident began, against the emulator: moto answers
 * GetCostAndUsage with results registered in advance through its own API
 * (POST /moto-api/static/ce/cost-and-usage-results), each request with a body
 * of its own taking the next one, so the two pages of an answer are two
 * results. The collection reads them (and asks nothing when the audit does
 * not want spend), the report flags what the baseline does not expect, and a
 * Cost Explorer that cannot be reached leaves the rest of the collection whole.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/collect/collect.js';
import { permissionsPolicy } from '../../src/commands/permissions.js';
import { validator } from '../../src/load/schemas.js';
import { buildReport } from '../../src/report/audit-report.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { spendEvidence } from '../../src/report/spend.js';
import { emulatorEndpoint, resetEmulator } from '../helpers/emulator.js';
import { CountingClients } from '../helpers/requests.js';
import { ACCOUNT, baseline } from '../helpers/resources.js';

const SINCE = '2026-10-20T08:00:00Z';
const NOW = new Date('2026-11-29T16:00:00Z');
const group = (region: string, service: string, amount: string) => ({ Keys: [region, service], Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } } });

/** Queues results for the emulator's GetCostAndUsage: each new request body takes the next. */
async function registerCostResults(results: object[]): Promise<void> {
  const res = await fetch(`${emulatorEndpoint()}/moto-api/static/ce/cost-and-usage-results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account_id: ACCOUNT, results }),
  });
  if (res.status !== 201) throw new Error(`the emulator did not take the Cost Explorer results: ${res.status}`);
}

const clientsFor = (endpoints?: Record<string, string>) => new CountingClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1', ...(endpoints ? { endpoints } : {}) });

const INCIDENT = baseline({
  regions: { allowed: ['us-east-1'] },
  resources: { 'lambda.function': [{ region: 'us-east-1' }] },
  incident: { since: SINCE },
});

describe('spend since the incident, from the emulator', () => {
  beforeEach(resetEmulator);

  it('two pages over two months, summed by region and service, flagged against the baseline; the calls are granted to audit', async () => {
    await registerCostResults([
      {
        ResultsByTime: [
          {
            TimePeriod: { Start: '2026-10-20', End: '2026-11-01' },
            Total: {},
            Groups: [group('us-east-1', 'AWS Lambda', '1.25'), group('ap-south-1', 'Amazon Elastic Compute Cloud - Compute', '300.5')],
            Estimated: false,
          },
        ],
        NextPageToken: 'page-2',
        DimensionValueAttributes: [],
      },
      {
        ResultsByTime: [
          {
            TimePeriod: { Start: '2026-11-01', End: '2026-11-30' },
            Total: {},
            Groups: [group('ap-south-1', 'Amazon Elastic Compute Cloud - Compute', '511.9'), group('NoRegion', 'Tax', '4.10'), group('global', 'Amazon Route 53', '0.5')],
            Estimated: true,
          },
        ],
        DimensionValueAttributes: [],
      },
    ]);
    const clients = clientsFor();
    try {
      const inventory = await collectInventory(clients, { now: NOW, regions: ['us-east-1'], spend: { since: SINCE, until: NOW } });
      expect(clients.requests.snapshot()['ce:GetCostAndUsage']).toBe(2);
      expect(Object.keys(inventory.apiCalls).filter((op) => !permissionsPolicy('audit').Statement[0]!.Action.includes(op as never))).toEqual([]);
      expect(inventory.spend).toEqual({
        since: SINCE,
        start: '2026-10-20',
        end: '2026-11-30',
        metric: 'UnblendedCost',
        estimated: true,
        costs: [
          { region: 'NoRegion', service: 'Tax', amount: 4.1, unit: 'USD' },
          { region: 'ap-south-1', service: 'Amazon Elastic Compute Cloud - Compute', amount: 812.4, unit: 'USD' },
          { region: 'global', service: 'Amazon Route 53', amount: 0.5, unit: 'USD' },
          { region: 'us-east-1', service: 'AWS Lambda', amount: 1.25, unit: 'USD' },
        ],
      });
      // A saved inventory keeps it: the inventory schema admits it.
      const checkInventory = validator('inventory');
      expect(checkInventory(JSON.parse(JSON.stringify(inventory))), JSON.stringify(checkInventory.errors)).toBe(true);

      const spend = spendEvidence(inventory, INCIDENT)!;
      expect(spend.lines.filter((l) => l.flags.length > 0).map((l) => [l.region, l.service, l.flags])).toEqual([
        ['ap-south-1', 'Amazon Elastic Compute Cloud - Compute', ['region-not-allowed', 'service-not-expected']],
        ['global', 'Amazon Route 53', ['service-not-expected']],
      ]);
      const report = buildReport({ version: 'test', now: NOW, inventory, baselineFile: 'b.yaml', ruleCount: 0, violations: [], warnings: [], spend });
      const md = renderMarkdown(report);
      expect(md).toContain('**812.90 USD** of it in 2 costs the baseline does not expect');
      expect(md).toContain('| ap-south-1 | Amazon Elastic Compute Cloud - Compute | 812.40 USD | **region not allowed**, **service not expected** |');
      const checkReport = validator('report');
      expect(checkReport(JSON.parse(renderJson(report))), JSON.stringify(checkReport.errors)).toBe(true);
    } finally {
      clients.destroy();
    }
  });

  it('no spend asked (plan, collect, a baseline without incident.since): no Cost Explorer request, no spend', async () => {
    const clients = clientsFor();
    try {
      const inventory = await collectInventory(clients, { now: NOW, regions: ['us-east-1'] });
      expect(clients.requests.snapshot()['ce:GetCostAndUsage']).toBeUndefined();
      expect(inventory.spend).toBeUndefined();
    } finally {
      clients.destroy();
    }
  });

  it('a Cost Explorer that cannot be reached: the spend says why, and the rest of the collection is whole', async () => {
    const clients = clientsFor({ 'costExplorer@us-east-1': 'http://127.0.0.1:9' });
    try {
      const inventory = await collectInventory(clients, { now: NOW, regions: ['us-east-1'], spend: { since: SINCE, until: NOW } });
      expect(inventory.gaps).toEqual([]);
      expect(inventory.spend).toMatchObject({ since: SINCE, start: '2026-10-20', end: '2026-11-30', error: { operation: 'ce:GetCostAndUsage' } });
      expect(inventory.spend!.costs).toBeUndefined();
      const md = renderMarkdown(buildReport({ version: 'test', now: NOW, inventory, baselineFile: 'b.yaml', ruleCount: 0, violations: [], warnings: [], spend: spendEvidence(inventory, INCIDENT)! }));
      expect(md).toContain('**Could not be read**');
      expect(md).toContain('`ce:GetCostAndUsage` failed');
    } finally {
      clients.destroy();
    }
  });
});
