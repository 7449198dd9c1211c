/**
 * The spend since the incident began, through the built CLI on the emulator:
 * `rollcall audit` with incident.since in the baseline reads Cost Explorer
 * (results registered in the emulator in advance) and shows the flagged costs
 * in the Markdown and JSON reports; a Cost Explorer that cannot be reached is
 * said in the report and changes nothing else (same exit code, no stack).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/exit-codes.js';
import { validator } from '../../src/load/schemas.js';
import { runCli } from '../helpers/cli.js';
import { emulatorEndpoint, resetEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp.js';

const group = (region: string, service: string, amount: string) => ({ Keys: [region, service], Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } } });
const SINCE = new Date(Date.now() - 3 * 86_400_000).toISOString();

async function registerCostResults(results: object[]): Promise<void> {
  const res = await fetch(`${emulatorEndpoint()}/moto-api/static/ce/cost-and-usage-results`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ results }) });
  if (res.status !== 201) throw new Error(`the emulator did not take the Cost Explorer results: ${res.status}`);
}

describe('rollcall audit: spend since the incident', () => {
  beforeEach(resetEmulator);

  it('flags spend in a region not allowed and on a service not expected, in Markdown and JSON; an unreachable Cost Explorer is said, not fatal', async () => {
    await registerCostResults([
      {
        ResultsByTime: [
          {
            TimePeriod: { Start: SINCE.slice(0, 10), End: '2099-01-01' },
            Total: {},
            Groups: [group('sa-east-1', 'Amazon Elastic Compute Cloud - Compute', '640.00'), group('us-east-1', 'AWS Lambda', '0.42'), group('NoRegion', 'Tax', '12.00')],
            Estimated: true,
          },
        ],
        DimensionValueAttributes: [],
      },
    ]);
    const dir = tempDir('rollcall-spend-e2e-');
    const baseline = path.join(dir, 'baseline.yaml');
    writeFileSync(
      baseline,
      `version: 1\naccount: { id: "123456789012" }\nregions: { allowed: [us-east-1] }\nresources:\n  lambda.function:\n    - { region: us-east-1 }\nincident:\n  since: "${SINCE}"\n`,
    );
    const md = await runCli(['audit', '-q', '-b', baseline, '--regions', 'us-east-1']);
    expect(md.stderr).toBe('');
    expect(md.stdout).toContain('## Spend since the incident began');
    expect(md.stdout).toContain('| sa-east-1 | Amazon Elastic Compute Cloud - Compute | 640.00 USD | **region not allowed**, **service not expected** |');
    expect(md.stdout).toContain('| us-east-1 | AWS Lambda | 0.42 USD |  |');
    expect(md.stdout).toContain('Check the bill: 640.00 USD');

    const out = path.join(dir, 'report.json');
    const json = await runCli(['audit', '-q', '-b', baseline, '--regions', 'us-east-1', '-f', 'json', '-o', out]);
    expect(json.code).toBe(md.code);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { spend: { status: string; flagged: unknown[] }; inventory: { apiCallsByOperation: Record<string, number> } };
    const validate = validator('report');
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.spend).toMatchObject({ status: 'read', flagged: [{ amount: 640, unit: 'USD' }] });
    expect(report.inventory.apiCallsByOperation['ce:GetCostAndUsage']).toBeGreaterThanOrEqual(1);

    // Saved, then audited: collect --spend-since keeps the spend in the inventory for audit --inventory.
    const inventory = path.join(dir, 'inventory.json');
    const collected = await runCli(['collect', '-q', '--regions', 'us-east-1', '--spend-since', SINCE, '-o', inventory]);
    expect(collected.stderr).toBe('');
    expect(JSON.parse(readFileSync(inventory, 'utf8'))).toMatchObject({ spend: { since: SINCE, costs: expect.arrayContaining([{ region: 'sa-east-1', service: 'Amazon Elastic Compute Cloud - Compute', amount: 640, unit: 'USD' }]) } });
    const saved = await runCli(['audit', '-q', '-b', baseline, '-i', inventory]);
    expect(saved.stdout).toContain('| sa-east-1 | Amazon Elastic Compute Cloud - Compute | 640.00 USD | **region not allowed**, **service not expected** |');
    const bad = await runCli(['collect', '-q', '--spend-since', 'last tuesday']);
    expect(bad.code).toBe(EXIT.badInput);
    expect(bad.stderr).toContain('--spend-since');
    expect(bad.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    // Without it, a saved inventory has no spend, and the report says so.
    await runCli(['collect', '-q', '--regions', 'us-east-1', '-o', inventory]);
    expect((await runCli(['audit', '-q', '-b', baseline, '-i', inventory])).stdout).toContain('Not read: this inventory holds no spend');

    const unreachable = await runCli(['audit', '-q', '-b', baseline, '--regions', 'us-east-1'], { AWS_ENDPOINT_URL_COST_EXPLORER: 'http://127.0.0.1:9' });
    expect(unreachable.code).toBe(md.code);
    expect(unreachable.stderr).toBe('');
    expect(unreachable.stdout).toContain('**Could not be read**');
    expect(unreachable.stdout).toContain('`ce:GetCostAndUsage` failed (connection refused)');
    expect(unreachable.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
