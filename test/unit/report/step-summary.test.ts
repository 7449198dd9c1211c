import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { colourMarkdown, wantsColour } from '../../../src/report/colour.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { stepSummary, SUMMARY_FINDINGS } from '../../../src/report/step-summary.js';
import { summarize } from '../../../src/report/summary.js';
import { NOW } from '../../helpers/resources.js';
import { richReport } from './fixtures.js';

const ESC = String.fromCharCode(27);

describe('the job summary (GITHUB_STEP_SUMMARY)', () => {
  it('counts by severity, the gaps, and the most severe findings first', () => {
    const r = richReport();
    const md = stepSummary(r);
    expect(md.startsWith('### rollcall audit: payments-prod (123456789012)\n\n**18 open violations**')).toBe(true);
    expect(md).toContain('**Incomplete:** 1 gap in the inventory; 4 checks could not be made.');
    expect(md).toContain('| severity | open |\n|---|--:|\n| critical | 3 |\n| high | 13 |\n| medium | 2 |');
    const rows = md.split('\n').filter((l) => /^\| (\*\*new\*\* )?(critical|high|medium|low|info) \| `/.test(l));
    expect(rows).toHaveLength(SUMMARY_FINDINGS);
    expect(rows.slice(0, 3).every((l) => l.startsWith('| critical'))).toBe(true);
    expect(md).toContain('… and 8 more in the report.');
  });

  it('with --previous: new per severity, new ones first, and what was resolved', () => {
    const r = richReport();
    const violations = r.violations.map((v, i) => ({ ...v, drift: i % 2 === 0 ? ('new' as const) : ('known' as const) }));
    const md = stepSummary({ ...r, violations, drift: { previous: { file: 'last.json', generatedAt: NOW.toISOString() }, counts: { new: 9, known: 9, resolved: 2, unverified: 0 } } });
    expect(md).toContain('Since the previous run: 9 new, 9 known, 2 resolved.');
    expect(md).toMatch(/\| severity \| open \| new \|\n\|---\|--:\|--:\|\n\| critical \| 3 \| \d \|/);
    const critical = md.split('\n').filter((l) => /^\| (\*\*new\*\* )?critical \| `/.test(l));
    const firstKnown = critical.findIndex((l) => !l.startsWith('| **new**'));
    expect(critical.slice(firstKnown).every((l) => !l.startsWith('| **new**'))).toBe(true);
  });

  it('a clean run says so in one line', () => {
    const r = richReport();
    expect(stepSummary({ ...r, violations: [], gaps: [], summary: summarize([]) })).toBe('### rollcall audit: payments-prod (123456789012)\n\n**No open violations.**\n\n');
  });

  it('values from AWS cannot add a link, a row or a column', () => {
    const r = richReport();
    const evil = 'x | y\n| z [a](http://evil) <b>';
    const violations = r.violations.map((v) => ({ ...v, subject: evil, message: evil }));
    const tokens = new MarkdownIt().parse(stepSummary({ ...r, violations }), {});
    const types = new Set(tokens.flatMap((t) => [t.type, ...(t.children ?? []).map((c) => c.type)]));
    expect(types.has('link_open')).toBe(false);
    expect(types.has('html_inline')).toBe(false);
    const rows = tokens.filter((t) => t.type === 'tr_open').length;
    expect(rows).toBe(1 + 3 + 1 + SUMMARY_FINDINGS); // severity table (header + 3), findings table (header + 10)
  });
});

describe('colours on a terminal', () => {
  it('paints severity headings and new markers, and nothing else', () => {
    const r = richReport();
    const violations = r.violations.map((v) => ({ ...v, drift: 'new' as const }));
    const plain = renderMarkdown({ ...r, violations });
    const painted = [...colourMarkdown([plain])].join('');
    expect(painted).toContain(`${ESC}[`);
    expect(painted.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '')).toBe(plain);
    expect(painted).toMatch(new RegExp(`${ESC}\\[[0-9;]*m## Critical`));
  });

  it('only on a terminal that shows colours', () => {
    expect(wantsColour({ isTTY: false } as unknown as NodeJS.WritableStream)).toBe(false);
    expect(wantsColour({ isTTY: true, hasColors: () => false } as unknown as NodeJS.WritableStream)).toBe(false);
    expect(wantsColour({ isTTY: true, hasColors: () => true } as unknown as NodeJS.WritableStream)).toBe(true);
  });
});
