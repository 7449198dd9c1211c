import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { buildReport, foundCounts } from '../../../src/report/audit-report.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { nextSteps } from '../../../src/report/next-steps.js';
import { summarize } from '../../../src/report/summary.js';
import { fn, instance, inventory, NOW, user } from '../../helpers/resources.js';
import { richReport } from './fixtures.js';

describe('what to do now', () => {
  it('in order: contain, tell AWS, the new ones, the gaps, the baseline', () => {
    const report = richReport();
    const withDrift = { ...report, drift: { previous: { file: 'last.json', generatedAt: NOW.toISOString() }, counts: { new: 2, known: 1, resolved: 0, unverified: 0 } } };
    const steps = nextSteps(withDrift);
    expect(steps.map((s) => s.split(':')[0])).toEqual(['Contain first', 'Treat this as an incident', 'Look first at the 2 violations new since the previous run (marked **new**).', 'Close the gaps', 'Reconcile the baseline']);
    expect(steps[0]).toContain('`rollcall plan --baseline baselines/example.yaml -o plan.json`');
    expect(renderMarkdown(withDrift)).toContain('\n\n## What to do now\n1. Contain first:');
  });

  it('nothing open and no gap: nothing to do, and no section', () => {
    const r = richReport();
    const clean = { ...r, violations: [], gaps: [], summary: summarize([]) };
    expect(nextSteps(clean)).toEqual([]);
    expect(renderMarkdown(clean)).not.toContain('What to do now');
  });

  it('only lesser findings: reconcile the baseline, nothing to contain', () => {
    const r = richReport();
    const lesser = { ...r, gaps: [], summary: { ...summarize([]), fail: { critical: 0, high: 0, medium: 2, low: 0, info: 1 } } };
    expect(nextSteps(lesser).map((s) => s.split(':')[0])).toEqual(['Reconcile the baseline']);
  });

  it('the command to copy quotes the baseline path for a shell when it needs it', () => {
    const r = richReport();
    expect(nextSteps({ ...r, baseline: "my base's.yaml" })[0]).toContain("`rollcall plan --baseline 'my base'\\''s.yaml' -o plan.json`");
    expect(nextSteps({ ...r, baseline: 'baselines/prod.yaml' })[0]).toContain('`rollcall plan --baseline baselines/prod.yaml -o plan.json`');
  });

  it('the baseline path is a code span, whatever it holds', () => {
    const r = { ...richReport(), baseline: 'evil`](http://x) | *b*.yaml' };
    const step = nextSteps(r)[0]!;
    const tokens = new MarkdownIt().parseInline(step, {})[0]!.children!.map((t) => t.type);
    expect(tokens).not.toContain('link_open');
    expect(tokens).not.toContain('em_open');
  });
});

describe('the region-by-type table', () => {
  const inv = {
    ...inventory([user('alice'), instance('i-1', 'us-east-1'), instance('i-2', 'us-east-1'), instance('i-gone', 'us-east-1', { state: 'terminated' }), instance('i-3', 'ap-south-1'), fn('f', 'ap-south-1')]),
    regions: ['global', 'us-east-1', 'ap-south-1', 'eu-west-1'],
  };

  it('counts live resources by region and type: a terminated instance no longer counts, an empty region has no row', () => {
    expect(foundCounts(inv)).toEqual([
      { region: 'global', type: 'iam.user', count: 1 },
      { region: 'us-east-1', type: 'ec2.instance', count: 2 },
      { region: 'ap-south-1', type: 'ec2.instance', count: 1 },
      { region: 'ap-south-1', type: 'lambda.function', count: 1 },
    ]);
  });

  it('renders one row per region and one column per type found, as a Markdown table', () => {
    const report = buildReport({ version: '9', now: NOW, inventory: inv, baselineFile: 'b.yaml', ruleCount: 1, violations: [], warnings: [] });
    const md = renderMarkdown(report);
    expect(md).toContain(
      ['## What was found', '| region | `iam.user` | `ec2.instance` | `lambda.function` |', '|---|--:|--:|--:|', '| IAM (global) | 1 |  |  |', '| us-east-1 |  | 2 |  |', '| ap-south-1 |  | 1 | 1 |'].join('\n'),
    );
    const tokens = new MarkdownIt().parse(md, {});
    expect(tokens.filter((t) => t.type === 'tr_open')).toHaveLength(4);
  });

  it('a region name from AWS cannot add a column or a row', () => {
    const hostile = { ...inv, resources: [...inv.resources, instance('i-9', 'zz|x\n| y')], regions: [...inv.regions, 'zz|x\n| y'] };
    const md = renderMarkdown(buildReport({ version: '9', now: NOW, inventory: hostile, baselineFile: 'b.yaml', ruleCount: 1, violations: [], warnings: [] }));
    const tokens = new MarkdownIt().parse(md, {});
    expect(tokens.filter((t) => t.type === 'tr_open')).toHaveLength(5);
    expect(tokens.filter((t) => t.type === 'th_open')).toHaveLength(4);
    const rows = tokens.map((t, i) => (t.type === 'tr_open' ? i : -1)).filter((i) => i >= 0);
    for (const at of rows) {
      const cells = tokens.slice(at, tokens.findIndex((t, j) => j > at && t.type === 'tr_close')).filter((t) => t.type === 'td_open' || t.type === 'th_open');
      expect(cells).toHaveLength(4);
    }
  });
});
