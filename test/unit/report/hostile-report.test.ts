import { afterEach, describe, expect, it, vi } from 'vitest';
import { runChange } from '../../../src/commands/changing.js';
import { makeLog } from '../../../src/commands/options.js';
import type { Resource } from '../../../src/model/resource.js';
import { createProgress } from '../../../src/progress/progress.js';
import { renderJson } from '../../../src/report/json.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { renderPlan } from '../../../src/report/plan-markdown.js';
import { accessKey, inlinePolicy, instance, membership, policy, role, user } from '../../helpers/resources.js';
import { compromise, planFor } from '../plan/fixtures.js';
import { configRow, withTypes } from '../rules/config-cases.js';
import { richReport } from './fixtures.js';
import { BENIGN, CONTROL, HOSTILE } from './hostile.js';
import { renderedText, shape, tokenTypes } from './markdown-ast.js';

/** Control characters other than the newlines the renderer itself writes. */
const STRAY_CONTROL = new RegExp(CONTROL.source.replace('\\u0000-\\u001f', '\\u0000-\\u0009\\u000b-\\u001f'));
/** What no value may turn into: the templates write none of these. */
const FORBIDDEN = ['link_open', 'image', 'html_inline', 'html_block', 's_open', 'table_open', 'hr', 'code_block', 'fence'];

/** Resources named by an intruder: users, keys, inline and managed policies, roles, group memberships, and EC2 Name tags. */
function world(names: string[]): Resource[] {
  // Ids follow the names' sort order, so that hostile names and their harmless twins give steps in the same order.
  const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    ...compromise(),
    ...names.map((name) => [name, sorted.indexOf(name)] as const).flatMap(([name, i]) => [
      user(name, { passwordEnabled: true, accessKeyCount: 1, activeAccessKeyCount: 1 }),
      accessKey(`AKIAHOSTILE${String(i).padStart(9, '0')}`, name),
      inlinePolicy('user', name, name, true),
      role(name, ['arn:aws:iam::666666666666:root']),
      policy(name, { allowsAll: true }),
      membership(name, name),
      instance(`i-0${i}`, 'us-east-1', {}, { Name: name }),
    ]),
    // AWS Config's records: names and tags as the intruder set them, and the type summary that quotes them.
    ...withTypes(names.map((name, i) => configRow('AWS::SageMaker::NotebookInstance', `nb-${sorted.indexOf(name)}-${i}`, 'us-east-1', { name, tags: { owner: name } }))),
  ];
}

function report(names: string[]) {
  const gaps = names.map((message, i) => ({ type: 'lambda.function' as const, region: 'eu-west-1', operation: 'lambda:ListFunctions', code: `Code${i}`, message }));
  return richReport(world(names), { gaps, notes: names.map((n) => `note on ${n}`), warnings: names.map((n) => `warning on ${n}`) });
}

function plan(names: string[]) {
  const { plan: p } = planFor(world(names), { destructive: true });
  return { ...p, warnings: [...(p.warnings ?? []), ...names.map((text) => ({ code: 'unclassified' as const, text }))] };
}

describe('values from AWS stay inert in the audit report', () => {
  const hostile = report(HOSTILE);
  const md = renderMarkdown(hostile);

  it('the hostile values are in the report: the test is not vacuous', () => {
    expect(hostile.violations.some((v) => v.message.includes(HOSTILE[0]!))).toBe(true);
    expect(hostile.violations.some((v) => v.subject === `user/${HOSTILE[1]}`)).toBe(true);
    expect(hostile.violations.some((v) => v.ruleId === 'config-resource-type-undeclared' && v.message.includes(HOSTILE[0]!))).toBe(true);
    expect(md).toContain('\\*\\*No violations.\\*\\* \\[details\\](https\\://example.invalid)');
  });

  it('rule messages are plain text (Handlebars does not HTML-escape them), escaped once, by the Markdown renderer', () => {
    const message = hostile.violations.find((v) => v.ruleId === 'ec2-instance-undeclared' && v.message.includes('<img'))!.message;
    expect(message).toContain('(<img src=x onerror=alert(1)>)');
    expect(renderedText(md)).toContain(message);
  });

  it('Markdown: the same structure as with harmless names, so no value made a link, emphasis, HTML, heading, list item or table', () => {
    expect(shape(md)).toEqual(shape(renderMarkdown(report(BENIGN))));
    // The one table is the report's own region-by-type table (its structure, like the rest, is that of harmless names).
    const types = tokenTypes(md.replace(/\n## What was found\n[^#]*/, '\n'));
    for (const t of FORBIDDEN) expect(types.has(t), t).toBe(false);
    expect(md).not.toMatch(/^#+ (Heading|=|-)/m);
  });

  it('Markdown: no control character but the line breaks the renderer writes', () => {
    expect(md).not.toMatch(STRAY_CONTROL);
    expect(md).toContain('\\x1b\\[2J\\x1b\\[31mred');
  });

  it('JSON keeps every value exactly as AWS gave it', () => {
    const json = JSON.parse(renderJson(hostile));
    expect(json).toEqual(JSON.parse(JSON.stringify(hostile)));
    expect(json.gaps.map((g: { message: string }) => g.message)).toEqual(HOSTILE);
    expect(json.violations.map((v: { subject: string }) => v.subject)).toEqual(expect.arrayContaining(HOSTILE.map((h) => `user/${h}`)));
  });
});

/**
 * A plan's shape, its steps taken as a set: names sort differently from their
 * harmless twins among the names the fixture fixes (`ci`, `support-audit`),
 * which reorders some steps, but every step must keep its structure.
 */
function planShape(md: string): string[][] {
  const at = md.indexOf('\n## Warnings');
  const [head = '', ...steps] = md.slice(0, at).split(/\n(?=\d+\. \[ \] )/);
  return [shape(head), steps.map((s) => shape(s).join(' ')).sort(), shape(md.slice(at))];
}

describe('values from AWS stay inert in plan.md (and so in show)', () => {
  const p = plan(HOSTILE);
  const md = renderPlan(p);

  it('the same structure as with harmless names, no control character', () => {
    expect(p.steps.some((s) => s.id === `quarantineUser user/${HOSTILE[0]}`)).toBe(true);
    expect(planShape(md)).toEqual(planShape(renderPlan(plan(BENIGN))));
    const types = tokenTypes(md);
    for (const t of FORBIDDEN) expect(types.has(t), t).toBe(false);
    expect(md).not.toMatch(STRAY_CONTROL);
  });

  it('warnings quoting AWS values are escaped like the rest', () => {
    expect(md).toContain('- \\<img src=x onerror=alert(1)\\>\n');
    expect(md).toContain('- \\| a \\| b \\|\n');
  });
});

describe('values from AWS stay inert on the terminal', () => {
  afterEach(() => vi.restoreAllMocks());

  it('progress lines and log messages show control characters instead of obeying them', () => {
    const written: string[] = [];
    const stream = { isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const progress = createProgress(false, stream, {});
    for (const [i, h] of HOSTILE.entries()) {
      progress.event({ scope: `eu-west-${i}`, service: 'ec2', state: 'failed', error: h });
      progress.log(`warning: ${h}`);
    }
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((s) => written.push(String(s)) > 0);
    for (const h of HOSTILE) makeLog({})(`note: ${h}`);
    stderr.mockRestore();
    expect(written.length).toBe(HOSTILE.length * 3);
    for (const line of written) {
      expect(line).toMatch(/^rollcall: [^\n]*\n$/);
      expect(line.slice(0, -1)).not.toMatch(CONTROL);
    }
    expect(written.join('')).toContain('\\x1b[2J\\x1b[31mred');
  });

  it('apply and undo result lines and logs (stdout, stderr) show control characters too', async () => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => err.push(String(s)) > 0);
    const code = await runChange({ region: 'us-east-1' }, undefined, async (io) => {
      for (const h of HOSTILE) {
        io.out(`done        quarantineUser user/${h}`);
        io.log(`quarantineUser user/${h}: ${h}`);
      }
      return { exitCode: 0 };
    });
    vi.restoreAllMocks();
    expect(code).toBe(0);
    expect(out.length).toBe(HOSTILE.length);
    expect(err.length).toBe(HOSTILE.length);
    for (const line of [...out, ...err]) expect(line.slice(0, -1)).not.toMatch(CONTROL);
    expect(out).toContain('done        quarantineUser user/evil\\n# Heading\n');
  });
});
