/**
 * The spend evidence: which costs are flagged (pure, from the inventory's
 * spend and the baseline), how the report shows it in Markdown (every value
 * from Cost Explorer escaped) and JSON (schema-checked), and the baseline's
 * `spend.expectedServices`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { loadBaseline } from '../../../src/load/baseline.js';
import { validator } from '../../../src/load/schemas.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { ALWAYS_EXPECTED_SERVICES, expectedServices } from '../../../src/model/spend-services.js';
import type { Spend, SpendCost } from '../../../src/model/spend.js';
import { buildReport } from '../../../src/report/audit-report.js';
import { renderJson } from '../../../src/report/json.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { spendEvidence, spendFlags, type SpendEvidence } from '../../../src/report/spend.js';
import { spendLines } from '../../../src/report/spend-markdown.js';
import { baseline, inventory, NOW } from '../../helpers/resources.js';
import { tempDir } from '../../helpers/temp.js';

const cost = (region: string, service: string, amount: number, unit = 'USD'): SpendCost => ({ region, service, amount, unit });
const spendOf = (costs: SpendCost[], o: Partial<Spend> = {}): Spend => ({ since: '2026-11-02T12:00:00Z', start: '2026-11-02', end: '2026-11-23', metric: 'UnblendedCost', costs, ...o });
const withSpend = (spend?: Spend): Inventory => ({ ...inventory([]), ...(spend ? { spend } : {}) });

const INCIDENT = baseline({
  regions: { allowed: ['us-east-1', 'eu-west-1'] },
  resources: { 'lambda.function': [{ region: 'eu-west-1', name: 'orders-*' }], 'ec2.instance': [] },
  incident: { since: '2026-11-02T12:00:00Z' },
  spend: { expectedServices: ['Amazon Simple Storage Service', 'Amazon Relational*'] },
});

describe('the services a baseline expects spend on', () => {
  it('tax and Cost Explorer, those of each type it declares with a selector, a required trail, and its own list', () => {
    expect(expectedServices(baseline())).toEqual([...ALWAYS_EXPECTED_SERVICES]);
    // An empty selector list declares that there are none: no EC2 spend is expected.
    expect(expectedServices(INCIDENT)).toEqual(['Tax', 'AWS Cost Explorer', 'AWS Lambda', 'AmazonCloudWatch', 'Amazon Simple Storage Service', 'Amazon Relational*']);
    expect(expectedServices(baseline({ cloudtrail: { multiRegionLogging: 'required' }, resources: { 'ec2.spotRequest': [{ region: '*' }] } }))).toEqual([
      'Tax',
      'AWS Cost Explorer',
      'Amazon Elastic Compute Cloud - Compute',
      'EC2 - Other',
      'Amazon Virtual Private Cloud',
      'AWS CloudTrail',
      'Amazon Simple Storage Service',
    ]);
  });
});

describe('spend flags', () => {
  const expected = (s: string) => ['AWS Lambda', 'Tax'].includes(s);
  const allowed = ['us-east-1'];

  it('a positive cost in a region outside regions.allowed, or on a service not expected', () => {
    expect(spendFlags(cost('us-east-1', 'AWS Lambda', 1), allowed, expected)).toEqual([]);
    expect(spendFlags(cost('ap-south-1', 'AWS Lambda', 1), allowed, expected)).toEqual(['region-not-allowed']);
    expect(spendFlags(cost('us-east-1', 'Amazon SageMaker', 1), allowed, expected)).toEqual(['service-not-expected']);
    expect(spendFlags(cost('sa-east-1', 'Amazon SageMaker', 0.0001), allowed, expected)).toEqual(['region-not-allowed', 'service-not-expected']);
  });

  it("Cost Explorer's values that name no region (global, NoRegion, none) are never flagged for their region", () => {
    for (const region of ['global', 'NoRegion', '', 'us-east-1; DROP']) expect(spendFlags(cost(region, 'Tax', 5), allowed, expected)).toEqual([]);
    expect(spendFlags(cost('global', 'Amazon CloudFront', 5), allowed, expected)).toEqual(['service-not-expected']);
  });

  it('no regions.allowed: no region is flagged; a credit or a zero is never flagged', () => {
    expect(spendFlags(cost('ap-south-1', 'AWS Lambda', 1), undefined, expected)).toEqual([]);
    expect(spendFlags(cost('ap-south-1', 'Amazon SageMaker', -3), allowed, expected)).toEqual([]);
    expect(spendFlags(cost('ap-south-1', 'Amazon SageMaker', 0), allowed, expected)).toEqual([]);
  });
});

describe('spendEvidence', () => {
  it('none without incident.since: there is no window to read', () => {
    expect(spendEvidence(withSpend(spendOf([cost('ap-south-1', 'X', 1)])), baseline())).toBeUndefined();
  });

  it('flags against the baseline, flagged costs first (largest first), with totals by currency', () => {
    const inv = withSpend(
      spendOf(
        [
          cost('NoRegion', 'Tax', 2.1),
          cost('ap-south-1', 'Amazon Elastic Compute Cloud - Compute', 812.4),
          cost('eu-west-1', 'AWS Lambda', 0.2),
          cost('eu-west-1', 'Amazon Relational Database Service', 40),
          cost('us-east-1', 'Amazon SageMaker', 12.5),
          cost('us-east-1', 'Amazon Simple Storage Service', 0),
        ],
        { estimated: true },
      ),
    );
    const s = spendEvidence(inv, INCIDENT)!;
    expect(s).toMatchObject({ status: 'read', since: '2026-11-02T12:00:00Z', start: '2026-11-02', end: '2026-11-23', estimated: true, allowedRegions: ['us-east-1', 'eu-west-1'] });
    expect(s.lines.map((l) => [l.region, l.service, l.flags])).toEqual([
      ['ap-south-1', 'Amazon Elastic Compute Cloud - Compute', ['region-not-allowed', 'service-not-expected']],
      ['us-east-1', 'Amazon SageMaker', ['service-not-expected']],
      ['eu-west-1', 'Amazon Relational Database Service', []],
      ['NoRegion', 'Tax', []],
      ['eu-west-1', 'AWS Lambda', []],
      ['us-east-1', 'Amazon Simple Storage Service', []],
    ]);
    expect(s.total).toEqual([{ amount: 867.2, unit: 'USD' }]);
    expect(s.flagged).toEqual([{ amount: 824.9, unit: 'USD' }]);
  });

  it('unreadable: the error, no costs; not collected (a saved inventory without spend): said so', () => {
    const error = { operation: 'ce:GetCostAndUsage', code: 'AccessDeniedException', message: 'not authorized' };
    const { costs: _, ...unread } = { ...spendOf([]), error };
    expect(spendEvidence(withSpend(unread), INCIDENT)).toMatchObject({ status: 'unreadable', error, lines: [], total: [] });
    expect(spendEvidence(withSpend(), INCIDENT)).toMatchObject({ status: 'not-collected', since: '2026-11-02T12:00:00Z', lines: [] });
  });
});

describe('the spend in the report', () => {
  const report = (spend: SpendEvidence | undefined) =>
    buildReport({ version: '9.9.9', now: NOW, inventory: inventory([]), baselineFile: 'b.yaml', ruleCount: 1, violations: [], warnings: [], ...(spend ? { spend } : {}) });

  it('Markdown: its own section beside what was found, flagged costs marked, zero costs left to the JSON', () => {
    const s = spendEvidence(withSpend(spendOf([cost('ap-south-1', 'Amazon Elastic Compute Cloud - Compute', 812.4), cost('us-east-1', 'AWS Lambda', 0.001), cost('us-east-1', 'Amazon Simple Storage Service', 0)])), INCIDENT)!;
    const md = renderMarkdown(report(s));
    expect(md).toContain('## Spend since the incident began');
    expect(md).toContain("Cost Explorer's UnblendedCost from 2026-11-02 through 2026-11-22 (whole UTC days, from that of 2026-11-02T12:00:00Z): 812.40 USD in all.");
    expect(md).toContain('| ap-south-1 | Amazon Elastic Compute Cloud - Compute | 812.40 USD | **region not allowed**, **service not expected** |');
    expect(md).toContain('| us-east-1 | AWS Lambda | < 0.01 USD |  |');
    expect(md).toContain('**812.40 USD** of it in 1 cost the baseline does not expect');
    expect(md).toContain('1 more with no cost not shown');
    expect(md).toContain('1. Check the bill: 812.40 USD since the incident began went to regions or services the baseline does not expect');
    expect(md).not.toContain('Amazon Simple Storage Service |');
    expect(renderMarkdown(report(undefined))).not.toContain('Spend since');
    const clean = spendEvidence(withSpend(spendOf([cost('eu-west-1', 'AWS Lambda', 3)])), INCIDENT)!;
    expect(renderMarkdown(report(clean))).toContain('Nothing the baseline does not expect.');
    expect(renderMarkdown(report(clean))).not.toContain('Check the bill');
  });

  it('Markdown: hostile service, region and currency names and error text stay data (no table cell, link, HTML or line of their own)', () => {
    const hostile = 'Evil|Svc <img src=x onerror=alert(1)> [click](http://evil.example)\n## Owned `x`\u001b[31m';
    const s = spendEvidence(withSpend(spendOf([cost('ap-south-1|x', hostile, 5, 'US$|<b>'), cost('eu-west-1\n- injected', 'AWS Lambda', 1)])), INCIDENT)!;
    const md = spendLines(s).join('\n');
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(3);
    // Every row keeps its four columns: no unescaped pipe from a value.
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length - 2).toBe(4);
    // Markup characters come escaped: no HTML tag, no link.
    expect(md).not.toMatch(/(?<!\\)<img/);
    expect(md).not.toMatch(/(?<!\\)\]\(/);
    expect(md).toContain('\\<img');
    expect(md).not.toContain('\n## Owned');
    expect(md).not.toContain('\n- injected');
    expect(md).not.toContain('\u001b');
    expect(md).toContain('\\x1b');
    // The next steps quote the flagged total's currency, escaped too.
    const whole = renderMarkdown(report(s));
    expect(whole).toContain('Check the bill: 5.00 US\\$\\|\\<b\\>');
    expect(whole).not.toMatch(/(?<!\\)<(b|img)/);

    const unread = spendEvidence(withSpend({ ...spendOf([]), costs: undefined, error: { operation: 'ce:GetCostAndUsage', code: 'Access<Denied>', message: hostile } } as Spend), INCIDENT)!;
    const text = spendLines(unread).join('\n');
    expect(text).toContain('**Could not be read**');
    expect(text).toContain('Access\\<Denied\\>');
    expect(text).not.toMatch(/(?<!\\)<img/);
    expect(text).not.toContain('\n## Owned');
    expect(spendLines(spendEvidence(withSpend(), INCIDENT)).join('\n')).toContain('Not read: this inventory holds no spend');
    // An incident that starts after the collection: nothing was asked.
    expect(spendLines(spendEvidence(withSpend(spendOf([], { start: '2026-12-01', end: '2026-12-01' })), INCIDENT))).toEqual([
      'Nothing to read: `incident.since` (2026-11-02T12:00:00Z) is after this collection.',
    ]);
  });

  it('JSON: kept exactly, and valid against the report schema in every state', () => {
    const validate = validator('report');
    const states = [
      spendEvidence(withSpend(spendOf([cost('ap-south-1', 'x\n"y"', 812.4), cost('global', 'Tax', -1)], { estimated: true })), INCIDENT)!,
      spendEvidence(withSpend({ ...spendOf([]), costs: undefined, error: { operation: 'ce:GetCostAndUsage', code: 'Throttling', message: 'Rate exceeded' } } as Spend), INCIDENT)!,
      spendEvidence(withSpend(), INCIDENT)!,
      spendEvidence(withSpend(spendOf([cost('us-east-1', 'AWS Lambda', 1)])), baseline({ incident: { since: '2026-11-02T12:00:00Z' } }))!,
    ];
    for (const s of states) {
      const json = JSON.parse(renderJson(report(s))) as { spend: SpendEvidence };
      expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
      expect(json.spend).toEqual(s);
    }
    expect(validate({ ...JSON.parse(renderJson(report(states[0]))), spend: { ...states[0], status: 'maybe' } })).toBe(false);
  });

  it('a saved inventory with its spend validates against the inventory schema; a malformed one does not', () => {
    const validate = validator('inventory');
    const inv = withSpend(spendOf([cost('NoRegion', 'Tax', 1)], { estimated: true }));
    expect(validate(JSON.parse(JSON.stringify(inv))), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...inv, spend: { ...inv.spend, start: 'yesterday' } })).toBe(false);
    expect(validate({ ...inv, spend: { ...inv.spend, costs: [{ region: 'x', service: 'y', amount: '1' , unit: 'USD' }] } })).toBe(false);
  });
});

describe('the baseline says which services it expects', () => {
  const load = (text: string) => {
    const file = path.join(tempDir('rollcall-spend-'), 'baseline.yaml');
    writeFileSync(file, text);
    return () => loadBaseline(file);
  };
  const head = 'version: 1\naccount: { id: "123456789012" }\n';

  it('spend.expectedServices: names and globs', () => {
    expect(load(`${head}spend:\n  expectedServices: ["Amazon Simple Storage Service", "Amazon Relational*"]\n`)().spend).toEqual({
      expectedServices: ['Amazon Simple Storage Service', 'Amazon Relational*'],
    });
  });

  it('a typo, a blank-edged name or a duplicate is an error with the file, line and path', () => {
    for (const [text, pathText] of [
      [`${head}spend:\n  expectedService: [Tax]\n`, '/spend/expectedService'],
      [`${head}spend:\n  expectedServices: [" Tax"]\n`, '/spend/expectedServices/0'],
      [`${head}spend:\n  expectedServices: [Tax, Tax]\n`, '/spend/expectedServices'],
    ] as const) {
      let err: unknown;
      try {
        load(text)();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      const problem = (err as InputError).problems[0]!;
      expect(problem.path).toBe(pathText);
      expect(problem.line).toBeGreaterThan(2);
    }
  });
});
