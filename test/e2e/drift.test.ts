/**
 * The scheduled drift audit, through the built CLI on the emulator: three
 * consecutive runs, each given the last one's JSON report as --previous, with
 * the account changing between them (an undeclared user appears, then goes).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/moto.mjs';
import { EXIT } from '../../src/exit-codes.js';
import { runCli } from '../helpers/cli.js';
import { demoUser, seedDemo, writeCleanBaseline } from '../helpers/demo.js';
import { tempDir } from '../helpers/temp.js';

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

interface Report {
  account: { id: string };
  violations: { ruleId: string; subject: string; status: string; drift?: string }[];
  drift?: { previous: { file: string }; counts: Record<string, number> };
  resolved?: { ruleId: string; subject: string }[];
  unverified?: { subject: string; reason: string }[];
}
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Report;
const statusOf = (r: Report, subject: string) => r.violations.filter((v) => v.subject === subject).map((v) => `${v.ruleId} ${v.drift}`);

/** The example baseline with the incident closed and root MFA not demanded: the seeded clean account passes it. */
const cleanBaseline = (dir: string): string => writeCleanBaseline(path.join(dir, 'baseline.yaml'));

describe('audit --previous: drift between consecutive runs', () => {
  beforeEach(async () => {
    await seedDemo('clean');
  });

  it('new, known, resolved over three runs; --fail-on new[:SEVERITY] fails only on new ones; plan --detailed-exitcode', async () => {
    const dir = tempDir('rollcall-drift-');
    const baseline = cleanBaseline(dir);
    const audit = (out: string, ...more: string[]) => runCli(['audit', '-q', '--baseline', baseline, '--format', 'json', '--out', path.join(dir, out), ...more]);

    // Run 1: the account as declared.
    const first = await audit('run1.json', '--fail-on', 'new');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(EXIT.clean);
    expect(read(path.join(dir, 'run1.json')).drift).toBeUndefined();
    const planClean = await runCli(['plan', '-q', '--baseline', baseline, '--out', path.join(dir, 'clean-plan.json'), '--detailed-exitcode']);
    expect(planClean.code).toBe(EXIT.clean);

    // An undeclared user appears. Run 2: new, and a new critical fails new:high.
    await demoUser('create', 'mallory');
    const second = await audit('run2.json', '--previous', path.join(dir, 'run1.json'), '--fail-on', 'new:high');
    expect(second.stderr).toBe('');
    expect(second.code).toBe(EXIT.violations);
    const run2 = read(path.join(dir, 'run2.json'));
    expect(statusOf(run2, 'user/mallory')).toEqual(['iam-user-undeclared new']);
    expect(run2.drift).toEqual({ previous: { file: path.join(dir, 'run1.json'), generatedAt: expect.any(String) }, counts: { new: 1, known: 0, resolved: 0, unverified: 0 } });
    expect(run2.resolved).toEqual([]);
    const planDrift = await runCli(['plan', '-q', '--baseline', baseline, '--out', path.join(dir, 'plan.json'), '--detailed-exitcode']);
    expect(planDrift.code).toBe(EXIT.planHasSteps);
    const planPlain = await runCli(['plan', '-q', '--baseline', baseline, '--out', path.join(dir, 'plan.json')]);
    expect(planPlain.code).toBe(EXIT.clean);

    // Nothing changes. Run 2 again: the user is known, so new fails nothing; a plain severity still fails on it.
    const again = await audit('run2b.json', '--previous', path.join(dir, 'run2.json'), '--fail-on', 'new');
    expect(again.code).toBe(EXIT.clean);
    expect(statusOf(read(path.join(dir, 'run2b.json')), 'user/mallory')).toEqual(['iam-user-undeclared known']);
    const plain = await audit('run2c.json', '--previous', path.join(dir, 'run2.json'), '--fail-on', 'high');
    expect(plain.code).toBe(EXIT.violations);

    // The user is removed. Run 3: resolved, in the JSON and the Markdown report.
    await demoUser('delete', 'mallory');
    const third = await audit('run3.json', '--previous', path.join(dir, 'run2.json'), '--fail-on', 'new:high');
    expect(third.code).toBe(EXIT.clean);
    const run3 = read(path.join(dir, 'run3.json'));
    expect(run3.resolved!.map((v) => `${v.ruleId} ${v.subject}`)).toEqual(['iam-user-undeclared user/mallory']);
    expect(run3.drift!.counts).toEqual({ new: 0, known: 0, resolved: 1, unverified: 0 });
    const md = await runCli(['audit', '-q', '--baseline', baseline, '--previous', path.join(dir, 'run2.json')]);
    expect(md.code).toBe(EXIT.clean);
    expect(md.stdout).toContain('## Since the previous run');
    expect(md.stdout).toContain('### Resolved\n- **iam-user-undeclared** (critical) on `user/mallory`');

    // Every report written validates as a report.
    const v = await runCli(['validate', ...['run1.json', 'run2.json', 'run3.json'].map((f) => path.join(dir, f))]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain(`ok  report    ${path.join(dir, 'run3.json')}`);
  });

  it('a violation whose rule a gap blinds is unverified, not resolved; the audit is incomplete (exit 4)', async () => {
    const dir = tempDir('rollcall-drift-');
    const baseline = cleanBaseline(dir);
    await demoUser('create', 'mallory');
    const before = await runCli(['audit', '-q', '--baseline', baseline, '--format', 'json', '--out', path.join(dir, 'before.json')]);
    expect(before.code).toBe(EXIT.violations);
    await demoUser('delete', 'mallory');
    const unreachable = { AWS_ENDPOINT_URL_IAM: `http://127.0.0.1:${await freePort()}`, AWS_MAX_ATTEMPTS: '2' };
    const out = path.join(dir, 'blind.json');
    const r = await runCli(['audit', '-q', '--baseline', baseline, '--format', 'json', '--out', out, '--previous', path.join(dir, 'before.json'), '--fail-on', 'new'], unreachable);
    expect(r.code).toBe(EXIT.incomplete);
    const report = read(out);
    expect(report.resolved).toEqual([]);
    // alice's suppressed violation too: IAM could not be read at all.
    expect(report.unverified!.map((u) => u.subject)).toContain('user/mallory');
    for (const u of report.unverified!) expect(u.reason).toMatch(/^not checked in this run: Cannot evaluate: the inventory is incomplete/);
  });

  it('a previous report of another account, a missing or broken one: exit 2 before collecting, naming the file and why; nothing written', async () => {
    const dir = tempDir('rollcall-drift-');
    const baseline = cleanBaseline(dir);
    const mine = path.join(dir, 'mine.json');
    expect((await runCli(['audit', '-q', '--baseline', baseline, '--format', 'json', '--out', mine])).code).toBe(EXIT.clean);
    const other = path.join(dir, 'other.json');
    writeFileSync(other, readFileSync(mine, 'utf8').replace('"id": "123456789012"', '"id": "210987654321"'));
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, readFileSync(mine, 'utf8').slice(0, 100));
    const out = path.join(dir, 'report.json');
    // No AWS at all: the previous report is refused before anything is collected.
    const offline = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    const cases: [string, string][] = [
      [other, `${other} at /account/id: the previous report is for account 210987654321, but this audit is for account 123456789012: refusing to compare one account with another's report`],
      [path.join(dir, 'missing.json'), `${path.join(dir, 'missing.json')}: cannot read: ENOENT`],
      [broken, `${broken}:`],
      [baseline, `${baseline}: not a JSON audit report (write one with rollcall audit --format json --out FILE): this is a baseline (version, account)`],
    ];
    for (const [previous, message] of cases) {
      const r = await runCli(['audit', '--baseline', baseline, '--format', 'json', '--out', out, '--previous', previous], offline);
      expect([previous, r.code]).toEqual([previous, EXIT.badInput]);
      expect(r.stderr).toContain(message);
      noStack(r.stderr);
      expect(existsSync(out)).toBe(false);
    }
    const badFailOn = await runCli(['audit', '--baseline', baseline, '--fail-on', 'new:severe'], offline);
    expect(badFailOn.code).toBe(EXIT.badInput);
    expect(badFailOn.stderr).toContain("--fail-on: 'new:severe': after new: comes a severity");
  });
});
