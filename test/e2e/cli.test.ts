import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/moto.mjs';
import { resetEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { seedDemo } from '../helpers/demo.js';
import { tempDir } from '../helpers/temp.js';

const tmp = () => tempDir('rollcall-e2e-');
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('rollcall CLI against the emulator', () => {
  beforeEach(async () => {
    await resetEmulator();
  });

  it('audit: Markdown report on stdout, exit 1 on a compromised account, no secret anywhere', async () => {
    const seeded = (await seedDemo('compromise'))!;
    const r = await runCli(['audit', '--baseline', 'baselines/example.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^# rollcall audit: payments-prod \(123456789012\)/);
    expect(r.stdout).toContain('### iam-user-undeclared: IAM user not declared in the baseline');
    expect(r.stdout).toContain('`user/backup-admin`');
    expect(r.stdout).toContain('## Suppressed by baseline exceptions');
    expect(r.stderr).toContain('rollcall: account 123456789012');
    expect(r.stderr).not.toContain('NodeVersionSupportWarning');
    for (const s of seeded.secrets) expect(r.stdout + r.stderr).not.toContain(s);
  });

  it('audit --format json --out: a complete JSON report; --fail-on decides the exit code', async () => {
    await seedDemo('compromise');
    const dir = tmp();
    const out = path.join(dir, 'report.json');
    const r = await runCli(['audit', '-q', '--baseline', 'baselines/example.yaml', '--format', 'json', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.summary.fail.critical).toBe(9);
    expect(report.account).toEqual({ id: '123456789012', alias: 'payments-prod' });
    expect(report.inventory.apiCalls).toBeGreaterThan(0);
    expect(report.violations[0]).toHaveProperty('fingerprint');
  });

  it('a clean account exits 0; --fail-on sets the threshold', async () => {
    await seedDemo('clean');
    const dir = tmp();
    // The example baseline, with the incident closed and root MFA not demanded (the emulator's root has none).
    const example = readFileSync('baselines/example.yaml', 'utf8');
    const cleanBaseline = example.replace(/\nincident:[\s\S]*$/, '\n').replace('mfa: required', 'mfa: optional');
    const file = path.join(dir, 'clean.yaml');
    writeFileSync(file, cleanBaseline);
    const clean = await runCli(['audit', '-q', '--baseline', file]);
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('**No violations.**');
    expect(clean.stdout).toContain('`user/alice`: SEC-42: hardware security key on order, until 2027-01-31');

    // With the incident still open, the exposed key (critical) fails any threshold; root MFA too.
    const strict = await runCli(['audit', '-q', '--baseline', 'baselines/example.yaml', '--fail-on', 'critical', '--format', 'json']);
    expect(strict.code).toBe(1);
    const open = JSON.parse(strict.stdout).violations.filter((v: { suppressed?: unknown }) => !v.suppressed);
    expect(open.map((v: { ruleId: string }) => v.ruleId)).toEqual(['iam-exposed-key-active', 'root-mfa-disabled']);
  });

  it('collect --out, then audit --inventory gives the same findings offline', async () => {
    await seedDemo('compromise');
    const dir = tmp();
    const inv = path.join(dir, 'inventory.json');
    const c = await runCli(['collect', '--out', inv]);
    expect(c.code).toBe(0);
    expect(c.stderr).toMatch(/inventory written to .*inventory\.json: \d+ resources, 0 gaps, \d+ API calls/);
    const live = await runCli(['audit', '-q', '--baseline', 'baselines/example.yaml', '--format', 'json', '--now', '2026-11-22T12:00:00Z']);
    const offline = await runCli(['audit', '-q', '--baseline', 'baselines/example.yaml', '--format', 'json', '--now', '2026-11-22T12:00:00Z', '--inventory', inv], {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    expect(offline.code).toBe(1);
    const fp = (t: string) => JSON.parse(t).violations.map((v: { fingerprint: string }) => v.fingerprint);
    expect(fp(offline.stdout)).toEqual(fp(live.stdout));
  });

  it('refuses a baseline for another account, before collecting anything', async () => {
    const dir = tmp();
    const other = path.join(dir, 'other.yaml');
    writeFileSync(other, 'version: 1\naccount:\n  id: "210987654321"\n');
    const out = path.join(dir, 'report.md');
    const r = await runCli(['audit', '--baseline', other, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the baseline is for account 210987654321, but the credentials in use is for account 123456789012');
    expect(existsSync(out)).toBe(false);
    noStack(r.stderr);
  });

  it('bad input: file, line and path on one screen, exit 2, no stack trace, no report written', async () => {
    const dir = tmp();
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\naccount:\n  id: "123456789012"\niam:\n  users:\n    - name: a\n      consol: true\n');
    const out = path.join(dir, 'report.md');
    const r = await runCli(['audit', '--baseline', bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:7:7 at /iam/users/0`);
    expect(r.stderr).toContain('consol');
    expect(r.stderr.split('\n').length).toBeLessThan(25);
    expect(existsSync(out)).toBe(false);
    noStack(r.stderr);
  });

  it('validate: the shipped rules and example baseline are valid; a broken file is not', async () => {
    const ok = await runCli(['validate', 'rules', 'baselines/example.yaml']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('baselines/example.yaml');
    const dir = tmp();
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, 'version: 1\naccount: { id: "123456789012"\n');
    const r = await runCli(['validate', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(broken);
    noStack(r.stderr);
  });

  it('usage errors exit 2; --help exits 0 and lists the exit codes', async () => {
    const u = await runCli(['audit']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("required option '-b, --baseline <file>'");
    const f = await runCli(['audit', '--baseline', 'baselines/example.yaml', '--fail-on', 'severe']);
    expect(f.code).toBe(2);
    const h = await runCli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Exit codes:');
    // Each command's help shows the global options and marks its required ones.
    for (const command of ['collect', 'audit', 'plan', 'apply', 'undo', 'permissions', 'baseline']) {
      const c = await runCli([command, '--help']);
      expect(c.code, command).toBe(0);
      expect(c.stdout, command).toMatch(/\nGlobal Options:\n[\s\S]*--profile <name>[\s\S]*--role-arn <arn>/);
    }
    const plan = (await runCli(['plan', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(plan).toContain('-b, --baseline <file> the baseline YAML for this account (required)');
    expect(plan).toMatch(/-o, --out <file> write the plan here .* \(required\)/);
    expect(plan).not.toMatch(/--destructive [^-]*\(required\)/);
  });

  it('IAM unreachable while STS answers: every rule that needs IAM is unknown, the regions are still judged', async () => {
    const unreachable = { AWS_ENDPOINT_URL_IAM: `http://127.0.0.1:${await freePort()}`, AWS_MAX_ATTEMPTS: '2' };
    const needsIam = (v: { ruleId: string; resourceType: string }) => /^(iam|account)\./.test(v.resourceType) || v.ruleId === 'ec2-instance-undeclared-role';

    // A clean account: nothing fails, but the audit is incomplete: exit 4, never 0.
    await seedDemo('clean');
    const clean = await runCli(['audit', '--baseline', 'baselines/example.yaml', '--format', 'json'], unreachable);
    expect(clean.code).toBe(4);
    const report = JSON.parse(clean.stdout);
    expect(report.summary.fail).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });
    // The IAM rules (one per resource type a rule judges: iam-deny-policy-undeclared counts twice), and
    // ec2-instance-undeclared-role (instance roles come from IAM): 28 rules on IAM and root types, 30 checks.
    expect(report.summary.unknown).toBe(30);
    expect(report.violations.map((v: { ruleId: string }) => v.ruleId)).toEqual(expect.arrayContaining(['iam-access-key-beyond-count', 'iam-access-key-below-count']));
    expect(report.violations.filter((v: { ruleId: string }) => v.ruleId === 'iam-deny-policy-undeclared').map((v: { resourceType: string }) => v.resourceType).sort()).toEqual([
      'iam.inlinePolicy',
      'iam.policy',
    ]);
    expect(report.violations.every((v: { status: string; ruleId: string; resourceType: string }) => v.status === 'unknown' && needsIam(v))).toBe(true);
    expect(new Set(report.gaps.map((g: { operation: string }) => g.operation))).toEqual(
      new Set(['iam:GenerateCredentialReport', 'iam:GetAccountAuthorizationDetails', 'iam:GetAccountSummary']),
    );

    // A compromised one: the miners are found all the same; only what needs IAM is unknown.
    await seedDemo('compromise');
    const md = await runCli(['audit', '-q', '--baseline', 'baselines/example.yaml'], unreachable);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('**Incomplete inventory.**');
    expect(md.stdout).toContain('## Could not check');
    expect(md.stdout).toContain('### resource-region-not-allowed');
    expect(md.stdout).not.toContain('### iam-user-undeclared');
    noStack(md.stderr);
  });

  it('--regions scans exactly the regions named; a region that does not exist is bad input', async () => {
    await seedDemo('clean');
    const r = await runCli(['audit', '-q', '--baseline', 'baselines/example.yaml', '--format', 'json', '--regions', 'us-east-1,eu-west-1']);
    const report = JSON.parse(r.stdout);
    expect(report.inventory.regions).toEqual(['global', 'eu-west-1', 'us-east-1']);
    expect(report.inventory.skippedRegions).toContainEqual({ region: 'us-west-2', reason: 'not-selected' });
    const bad = await runCli(['audit', '--baseline', 'baselines/example.yaml', '--regions', 'mars-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--regions: not a region name: 'mars-1'");
    noStack(bad.stderr);
  });

  it('an unreachable AWS endpoint fails with exit 3 and a one-line reason', async () => {
    const port = await freePort();
    const r = await runCli(['audit', '--baseline', 'baselines/example.yaml'], { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_MAX_ATTEMPTS: '1' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cannot identify the AWS account (sts:GetCallerIdentity)');
    noStack(r.stderr);
  });
});
