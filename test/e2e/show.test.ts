import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestOf } from '../../src/model/digest.js';
import { runCli } from '../helpers/cli.js';
import { inlinePolicy, instance, inventory, user } from '../helpers/resources.js';
import { compromise, incidentBaseline } from '../unit/plan/fixtures.js';
import { CONTROL, HOSTILE } from '../unit/report/hostile.js';
import { tokenTypes } from '../unit/report/markdown-ast.js';

// Everything here runs from saved files: no AWS call, so the endpoint is one nobody answers on.
const OFFLINE = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
const NOW = '2026-11-22T12:00:00Z';
/** Control characters but newlines. */
const STRAY_CONTROL = new RegExp(CONTROL.source.replace('\\u0000-\\u001f', '\\u0000-\\u0009\\u000b-\\u001f'));
const LIVE = ['link_open', 'image', 'html_inline', 'html_block', 's_open', 'table_open', 'code_block', 'fence'];

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A saved inventory whose users, EC2 Name tags and inline policies an intruder named, and a baseline for it. */
function hostileFiles() {
  const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-show-'));
  dirs.push(dir);
  const resources = [
    ...compromise(),
    ...HOSTILE.flatMap((name, i) => [user(name, { passwordEnabled: true }), instance(`i-0${i}`, 'us-east-1', {}, { Name: name }), inlinePolicy('user', name, name, true)]),
  ];
  const files = { dir, inventory: path.join(dir, 'inventory.json'), baseline: path.join(dir, 'baseline.yaml'), plan: path.join(dir, 'plan.json'), md: path.join(dir, 'plan.md') };
  writeFileSync(files.inventory, JSON.stringify({ ...inventory(resources), regions: ['global', 'us-east-1'] }));
  writeFileSync(files.baseline, JSON.stringify(incidentBaseline()));
  return files;
}

describe('show prints what plan.md holds, and names from AWS stay inert', () => {
  it('plan.md and `show` are the same bytes, warnings included; no value becomes Markdown or reaches the terminal raw', async () => {
    const f = hostileFiles();
    const made = await runCli(['plan', '-b', f.baseline, '-i', f.inventory, '-o', f.plan, '--now', NOW], OFFLINE);
    expect(made.stderr).toContain('rollcall: plan written to');
    expect(made.code).toBe(0);
    const md = readFileSync(f.md, 'utf8');
    const plan = JSON.parse(readFileSync(f.plan, 'utf8'));
    expect(plan.warnings.length).toBeGreaterThan(0);
    expect(md).toContain('\n## Warnings\n');

    const shown = await runCli(['show', f.plan], OFFLINE);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toBe(md);

    // The hostile names are there, as text.
    expect(plan.steps.some((s: { id: string }) => s.id === `quarantineUser user/${HOSTILE[0]}`)).toBe(true);
    expect(md).toContain('\\*\\*No violations.\\*\\* \\[details\\](https\\://example.invalid)');
    const types = tokenTypes(md);
    for (const t of LIVE) expect(types.has(t), t).toBe(false);
    expect(md).not.toMatch(/^#+ Heading/m);
    for (const text of [md, made.stderr]) expect(text).not.toMatch(STRAY_CONTROL);
  });

  it('a plan made before plans held their warnings still shows, without a Warnings section', async () => {
    const f = hostileFiles();
    expect((await runCli(['plan', '-b', f.baseline, '-i', f.inventory, '-o', f.plan, '--now', NOW], OFFLINE)).code).toBe(0);
    const { digest, warnings: _, ...older } = JSON.parse(readFileSync(f.plan, 'utf8'));
    const olderDigest = digestOf(older);
    writeFileSync(f.plan, JSON.stringify({ ...older, digest: olderDigest }, null, 2));
    const shown = await runCli(['show', f.plan], OFFLINE);
    expect(shown.code).toBe(0);
    const md = readFileSync(f.md, 'utf8').replace(digest, olderDigest);
    expect(shown.stdout).toBe(`${md.slice(0, md.indexOf('\n## Warnings')).trimEnd()}\n`);
  });

  it('the warnings are covered by the digest: a plan whose warnings were edited is refused', async () => {
    const f = hostileFiles();
    expect((await runCli(['plan', '-b', f.baseline, '-i', f.inventory, '-o', f.plan, '--now', NOW], OFFLINE)).code).toBe(0);
    const plan = JSON.parse(readFileSync(f.plan, 'utf8'));
    writeFileSync(f.plan, JSON.stringify({ ...plan, warnings: [] }, null, 2));
    const shown = await runCli(['show', f.plan], OFFLINE);
    expect(shown.code).toBe(2);
    expect(shown.stderr).toContain('digest mismatch');
  });

  it('an error quoting a hostile step id shows its control characters instead of obeying them', async () => {
    const f = hostileFiles();
    expect((await runCli(['plan', '-b', f.baseline, '-i', f.inventory, '-o', f.plan, '--now', NOW], OFFLINE)).code).toBe(0);
    const plan = JSON.parse(readFileSync(f.plan, 'utf8'));
    const hostile = plan.steps.find((s: { id: string }) => s.id.includes('\u001b[2J'));
    expect(hostile).toBeDefined();
    const { digest: _, ...body } = { ...plan, steps: [...plan.steps, hostile] };
    writeFileSync(f.plan, JSON.stringify({ ...body, digest: digestOf(body) }, null, 2));
    const shown = await runCli(['show', f.plan], OFFLINE);
    expect(shown.code).toBe(2);
    expect(shown.stderr).toContain(`duplicate step id '${hostile.id.replace(/\u001b/g, '\\x1b')}'`);
    expect(shown.stderr).not.toMatch(STRAY_CONTROL);
    expect(shown.stdout).toBe('');
  });

  it('audit: the Markdown report shows the names as text, the JSON report keeps them exactly', async () => {
    const f = hostileFiles();
    const md = await runCli(['audit', '-b', f.baseline, '-i', f.inventory], OFFLINE);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('\\*\\*No violations.\\*\\* \\[details\\](https\\://example.invalid)');
    // The one table is the report's own region-by-type table; no name made another (or a link, or HTML).
    const types = tokenTypes(md.stdout.replace(/\n## What was found\n[^#]*/, '\n'));
    for (const t of LIVE) expect(types.has(t), t).toBe(false);
    for (const text of [md.stdout, md.stderr]) expect(text).not.toMatch(STRAY_CONTROL);

    const out = path.join(f.dir, 'report.json');
    expect((await runCli(['audit', '-q', '-b', f.baseline, '-i', f.inventory, '-f', 'json', '-o', out], OFFLINE)).code).toBe(1);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const subjects = new Set(report.violations.map((v: { subject: string }) => v.subject));
    for (const h of HOSTILE) expect(subjects.has(`user/${h}`), h).toBe(true);
  });
});
