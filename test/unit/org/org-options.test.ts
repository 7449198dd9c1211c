import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/commands/audit.js';
import { runOrgAuditCommand } from '../../../src/commands/org-audit.js';
import { InputError } from '../../../src/errors.js';
import { orgMarkdownChunks } from '../../../src/report/org-markdown.js';
import { buildOrgReport } from '../../../src/report/org-report.js';
import { tempDir } from '../../helpers/temp.js';
import { validator } from '../../../src/load/schemas.js';

const A = '111111111111';

async function inputError(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('no InputError');
}

function baselines(files: Record<string, string>): string {
  const dir = path.join(tempDir('rollcall-org-opts-'), 'baselines');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('org mode options, checked before any AWS call', () => {
  const base = { baseline: 'baselines', format: 'md', failOn: 'low' };

  it('org options without --org or --accounts are errors, not ignored', async () => {
    expect(await inputError(() => runAudit({ ...base, shard: '1/2' }))).toContain('--shard: only means something with --org or --accounts');
    expect(await inputError(() => runAudit({ ...base, outDir: 'out' }))).toContain('--out-dir: only means something');
    expect(await inputError(() => runAudit({ ...base, failOnGap: true }))).toContain('--fail-on-gap: only means something');
  });

  it("what a one-account audit takes but org mode cannot use is said", async () => {
    expect(await inputError(() => runAudit({ ...base, org: true }))).toContain('--out-dir: org mode needs a folder');
    expect(await inputError(() => runAudit({ ...base, org: true, outDir: 'o', inventory: 'i.json' }))).toContain('--inventory: a saved inventory is one account');
    expect(await inputError(() => runAudit({ ...base, org: true, outDir: 'o', out: 'r.md' }))).toContain('--out-dir');
    expect(await inputError(() => runAudit({ ...base, format: 'sarif', org: true, outDir: 'o' }))).toContain('--format: org mode writes JSON and Markdown');
    expect(await inputError(() => runAudit({ ...base, accounts: ['12'], outDir: 'o' }))).toContain("--accounts: not an account id: '12'");
    expect(await inputError(() => runAudit({ ...base, org: true, outDir: 'o', shard: '3/2' }))).toContain('--shard');
    expect(await inputError(() => runAudit({ ...base, org: true, outDir: 'o', accountConcurrency: '0' }))).toContain('--account-concurrency');
    expect(await inputError(() => runAudit({ ...base, org: true, outDir: 'o', assumeRoleName: 'arn:aws:iam::1:role/x' }))).toContain('--assume-role-name');
    // --config-aggregator is the run's own aggregator in org mode too (read once, each account queried through it); its options are checked as for one account.
    expect(await inputError(() => runAudit({ ...base, org: true, outDir: 'o', config: true, configAggregator: 'org-aggregator' }))).toContain('--config: give --config');
    expect(await inputError(() => runAudit({ ...base, org: true, outDir: 'o', configAggregator: "org' OR 1=1" }))).toContain('--config-aggregator: not an AWS Config aggregator name');
    expect(await inputError(() => runAudit({ ...base, org: true, outDir: 'o', configAggregatorTrusted: true }))).toContain('--config-aggregator-trusted: accepts the coverage of an aggregator');
  });

  it('a bad baseline in the folder fails the run with its file, line and path, and nothing is written', async () => {
    const dir = baselines({ [`${A}.yaml`]: 'version: 1\naccount:\n  id: "222222222222"\n' });
    const out = path.join(path.dirname(dir), 'out');
    const message = await inputError(() => runOrgAuditCommand({ ...base, baseline: dir, org: true, outDir: out, quiet: true }));
    expect(message).toContain(`${path.join(dir, `${A}.yaml`)}:3:7 at /account/id: this file is the baseline of account ${A}`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('--strict-defaults', () => {
  const base = { baseline: 'baselines', format: 'md', failOn: 'low' };
  it("turns an account file's override of the defaults into an input error with its file, line and path, before any AWS call; without it the run goes on (to the AWS call)", async () => {
    const dir = baselines({ '_defaults.yaml': 'version: 1\nroot: { mfa: required }\n', [`${A}.yaml`]: `version: 1\naccount: { id: "${A}" }\nroot: { mfa: optional }\n` });
    const out = path.join(path.dirname(dir), 'out');
    const message = await inputError(() => runOrgAuditCommand({ ...base, baseline: dir, org: true, outDir: out, quiet: true, strictDefaults: true }));
    expect(message).toContain(`${path.join(dir, `${A}.yaml`)}:3`);
    expect(message).toContain('at /root/mfa: overrides the defaults\' "required" with "optional"');
    expect(existsSync(out)).toBe(false);
  });

  it('the org report lists each override, in its schema and in the Markdown', () => {
    const overrides = [{ file: `baselines/${A}.yaml`, line: 3, path: '/root/mfa', defaultsFile: 'baselines/_defaults.yaml', defaultsPath: '/root/mfa', message: 'overrides the defaults\' "required" with "optional"' }];
    const report = buildOrgReport(
      { version: '0.1.0', generatedAt: '2026-11-29T12:00:00.000Z', source: 'organization', roleName: 'rollcall-audit', baselines: 'baselines', failOn: 'low' },
      [{ id: A, status: 'audited', overrides, reports: { json: `accounts/${A}.json`, md: `accounts/${A}.md` }, summary: { fail: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, unknown: 0, suppressed: 0, total: 0 }, exitCode: 0 }],
      [],
    );
    expect(validator('org-report')(report)).toBe(true);
    const md = [...orgMarkdownChunks(report)].join('');
    expect(md).toContain('## Defaults overridden');
    expect(md).toContain(`\`baselines/${A}.yaml:3 /root/mfa\``);
  });
});

describe('the org report in Markdown', () => {
  it("shows the organization's names and AWS's messages as text, never as markup", () => {
    const report = buildOrgReport(
      { version: '0.1.0', generatedAt: '2026-11-29T12:00:00.000Z', source: 'organization', roleName: 'rollcall-audit', baselines: 'baselines', failOn: 'low' },
      [
        { id: A, name: 'evil | [click](http://x.example) <img src=x>\n# heading', status: 'gap', gap: { reason: 'role', message: 'denied `x` | *y*' }, exitCode: 4 },
        { id: '222222222222', status: 'audited', reports: { json: 'accounts/222222222222.json', md: 'accounts/222222222222.md' }, summary: { fail: { critical: 1, high: 0, medium: 0, low: 0, info: 0 }, unknown: 0, suppressed: 0, total: 1 }, collectionGaps: 0, exitCode: 1 },
      ],
      [],
    );
    const md = [...orgMarkdownChunks(report)].join('');
    const row = md.split('\n').find((l) => l.startsWith('| ') && l.includes(A))!;
    // The accounts not audited, listed first, are escaped as well: no line of the name becomes a heading.
    expect(md.split('\n').filter((l) => l.startsWith('#')).every((l) => !l.includes('heading'))).toBe(true);
    expect(row).toContain('evil \\| \\[click\\](http\\://x.example) \\<img src=x\\> \\# heading');
    expect(row).toContain('denied \\`x\\` \\| \\*y\\*');
    expect(row.split(/(?<!\\)\|/).length).toBe(md.split('\n').find((l) => l.startsWith('| Account'))!.split('|').length);
    expect(md).toContain('[md](accounts/222222222222.md)');
    expect(md).toContain('Exit code 1');
  });
});
