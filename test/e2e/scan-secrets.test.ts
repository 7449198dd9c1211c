import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { demoClients } from '../../src/demo/clients.js';
import { runCli } from '../helpers/cli.js';
import { resetEmulator } from '../helpers/emulator.js';
import { fakeKeyId, fakeSecret } from '../helpers/fake-keys.js';
import { commitFiles, initRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/temp.js';

const ACCOUNT = '123456789012';

interface Report {
  scanned: { repository: boolean; commits: number };
  keys: { keyId: string; status: string; user?: string; locations: { file: string; line: number; commit?: string }[]; secretNearby?: { redacted: string } }[];
  violations: { ruleId: string; severity: string; subject: string }[];
}

describe('rollcall scan-secrets against the emulator', () => {
  it('finds a live key in a commit since reverted, reports it active and critical, adds it to the baseline for plan; never prints the secret', async () => {
    await resetEmulator();
    const clients = demoClients();
    await clients.iam.send(new CreateUserCommand({ UserName: 'leaky' }));
    const { AccessKey } = await clients.iam.send(new CreateAccessKeyCommand({ UserName: 'leaky' }));
    clients.destroy();
    const keyId = AccessKey!.AccessKeyId!;
    const realSecret = AccessKey!.SecretAccessKey!;
    // The real secret never goes into the repository; a secret-shaped stand-in does, next to the live key id.
    const secret = fakeSecret();
    const stranger = fakeKeyId();

    const dir = tempDir('rollcall-e2e-');
    const repo = initRepo(path.join(dir, 'repo'));
    const leak = commitFiles(repo, { 'deploy/settings.py': `REGION = "us-east-1"\nAWS_ACCESS_KEY_ID = "${keyId}"\nAWS_SECRET_ACCESS_KEY = "${secret}"\nOTHER = "${stranger}"\n` }, 'settings');
    commitFiles(repo, { 'deploy/settings.py': 'REGION = "us-east-1"\n' }, 'remove the keys');
    const baselineFile = path.join(dir, 'baseline.yaml');
    writeFileSync(baselineFile, `# the payments account\nversion: 1\naccount: { id: "${ACCOUNT}" } # keep this comment\nincident:\n  since: 2026-11-01T00:00:00Z\n`);
    const reportFile = path.join(dir, 'report.json');

    const json = await runCli(['scan-secrets', repo, '--regions', 'us-east-1', '--format', 'json', '-o', reportFile, '--add-to-baseline', baselineFile]);
    expect(json.code).toBe(1); // a critical violation
    expect(json.stdout).toBe('');
    expect(json.stderr).toContain(`ACTIVE key ${keyId} of user leaky`);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
    expect(report.scanned).toMatchObject({ repository: true, commits: 2 });
    const live = report.keys.find((k) => k.keyId === keyId);
    expect(live).toMatchObject({ status: 'active', user: 'leaky', locations: [{ file: 'deploy/settings.py', line: 2, commit: leak }], secretNearby: { redacted: `${secret.slice(0, 4)}…` } });
    expect(report.keys.find((k) => k.keyId === stranger)?.status).toBe('not-in-account');
    expect(report.violations).toEqual([expect.objectContaining({ ruleId: 'iam-exposed-key-active', severity: 'critical', subject: `accessKey/${keyId}` })]);

    // The baseline lists the live key (not the stranger), comments kept.
    const edited = readFileSync(baselineFile, 'utf8');
    expect(edited).toContain('# the payments account');
    expect(edited).toContain('# keep this comment');
    expect(edited).toMatch(new RegExp(`# leaked in code: rollcall scan-secrets \\d{4}-\\d{2}-\\d{2}, commit ${leak.slice(0, 12)} \\(1 place\\(s\\)\\)\\n\\s+- ${keyId}`));
    expect(edited).not.toContain(stranger);

    // Markdown on stdout: the same, redacted.
    const md = await runCli(['scan-secrets', repo, '--regions', 'us-east-1', '-q']);
    expect(md.code).toBe(1);
    expect(md.stderr).toBe('');
    expect(md.stdout).toContain(`| \`${keyId}\` | **ACTIVE** | \`leaky\` |`);
    expect(md.stdout).toContain(`commit \`${leak.slice(0, 12)}\``);

    // plan takes over: the exposed key's rotation.
    const planFile = path.join(dir, 'plan.json');
    const plan = await runCli(['plan', '-q', '-b', baselineFile, '--regions', 'us-east-1', '-o', planFile]);
    expect(plan.stderr).toBe('');
    const planText = readFileSync(planFile, 'utf8');
    expect(planText).toContain('createReplacementKey');
    expect(planText).toContain(`accessKey/${keyId}`);

    // A second add changes nothing.
    const again = await runCli(['scan-secrets', repo, '--regions', 'us-east-1', '--add-to-baseline', baselineFile]);
    expect(again.stderr).toContain('already lists every key found');
    expect(readFileSync(baselineFile, 'utf8')).toBe(edited);

    for (const text of [json.stdout, json.stderr, readFileSync(reportFile, 'utf8'), edited, md.stdout, again.stdout, again.stderr, planText]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(0, 5));
      expect(text).not.toContain(realSecret);
    }
  });

  it('nothing found: no AWS call, exit 0; a path that does not exist is bad input', async () => {
    const dir = tempDir('rollcall-e2e-');
    writeFileSync(path.join(dir, 'clean.txt'), 'nothing here\n');
    // An endpoint nobody listens on: any AWS call would fail the run.
    const clean = await runCli(['scan-secrets', dir], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('No access key id found.');
    expect(clean.stdout).toContain('not the root of a git repository');
    expect(clean.stdout).toContain('Scanned 1 file on ');

    // AWS Health asked for and not read: said, and the scan is incomplete (exit 4).
    const health = await runCli(['scan-secrets', dir, '--aws-health'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(health.code).toBe(4);
    expect(health.stdout).toContain('Note: AWS Health could not be read');

    const missing = await runCli(['scan-secrets', path.join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder to scan');
    expect(existsSync(path.join(dir, 'nope'))).toBe(false);

    // A bad saved inventory fails before the scan, with its file named.
    writeFileSync(path.join(dir, 'inventory.json'), '{"format": 1}');
    const bad = await runCli(['scan-secrets', dir, '-i', path.join(dir, 'inventory.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${path.join(dir, 'inventory.json')}:1:1: missing required key`);
    expect(bad.stderr).not.toContain('scanned');
  });
});
