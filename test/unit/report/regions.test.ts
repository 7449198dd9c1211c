import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/report/audit-report.js';
import { renderJson } from '../../../src/report/json.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { inventory, NOW } from '../../helpers/resources.js';

const report = (skippedRegions?: { region: string; reason: 'not-opted-in' | 'not-selected' }[]) =>
  buildReport({
    version: '0.0.0',
    now: NOW,
    inventory: { ...inventory([]), regions: ['global', 'eu-west-1', 'us-east-1'], ...(skippedRegions ? { skippedRegions } : {}) },
    baselineFile: 'b.yaml',
    ruleCount: 0,
    violations: [],
    warnings: [],
  });

describe('reports: regions scanned and not scanned', () => {
  it('lists both, with the reason, in JSON and Markdown', () => {
    const r = report([
      { region: 'ap-east-1', reason: 'not-opted-in' },
      { region: 'ap-south-1', reason: 'not-selected' },
      { region: 'me-south-1', reason: 'not-opted-in' },
    ]);
    expect(JSON.parse(renderJson(r)).inventory).toMatchObject({
      regions: ['global', 'eu-west-1', 'us-east-1'],
      skippedRegions: [
        { region: 'ap-east-1', reason: 'not-opted-in' },
        { region: 'ap-south-1', reason: 'not-selected' },
        { region: 'me-south-1', reason: 'not-opted-in' },
      ],
    });
    const md = renderMarkdown(r);
    expect(md).toContain('in IAM, eu-west-1 and us-east-1 with');
    expect(md).toContain('\nNot scanned: ap-east-1, me-south-1 (not opted in); ap-south-1 (not selected with --regions).\n');
  });

  it('says nothing of skipped regions when there are none (or an older inventory has no list)', () => {
    expect(report().inventory.skippedRegions).toEqual([]);
    expect(renderMarkdown(report())).not.toContain('Not scanned');
  });
});
