/**
 * The org recipe (examples/github-actions/org-audit.yml), run as GitHub would
 * run its shell steps: each matrix shard's audit step in a runner of its own
 * (its own folder), their outputs gathered into one folder as
 * download-artifact's merge-multiple does, then the merge job's step; with the
 * built CLI as `rollcall`, against an organization in the emulator.
 */
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CreateUserCommand } from '@aws-sdk/client-iam';
import { CreateAccountCommand, CreateOrganizationCommand, ListAccountsCommand } from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { assumedRoleCredentials, roleArnIn } from '../../src/org/role-credentials.js';
import { shardOf } from '../../src/org/shard.js';
import { ROOT } from '../helpers/cli.js';
import { resetEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp.js';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string;
  strategy?: { 'fail-fast': boolean; matrix: { shard: number[] } };
  steps: Step[];
}
interface Workflow {
  on: { schedule: { cron: string }[] };
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: { audit: Job; merge: Job };
}

const workflow = parse(readFileSync(path.join(ROOT, 'examples/github-actions/org-audit.yml'), 'utf8')) as Workflow;
const step = (job: Job, id: string): Step => {
  const s = job.steps.find((x) => x.id === id);
  if (!s?.run) throw new Error(`the recipe has no run step with id ${id}`);
  return s;
};

/** Runs one step's script with bash in `dir`, as a runner does: the workflow's env, the step's, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. */
function runStep(s: Step, dir: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', s.run!], { cwd: dir, env: { ...process.env, ...workflow.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const outputsOf = (file: string): Record<string, string> =>
  Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

/** What a runner sets for every step: the workflow run's id and attempt. */
const RUN = { GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1' };

describe('the org recipe: shards on a matrix, then a merge job', () => {
  it('is a scheduled workflow: a matrix of SHARDS shards with OIDC credentials, each uploading its folder; the merge job needs them all', () => {
    expect(workflow.on.schedule[0]!.cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(workflow.permissions).toMatchObject({ 'id-token': 'write', contents: 'read' });
    const shards = Number(workflow.env.SHARDS);
    expect(workflow.jobs.audit.strategy!.matrix.shard).toEqual(Array.from({ length: shards }, (_, i) => i + 1));
    expect(workflow.jobs.audit.strategy!['fail-fast']).toBe(false);
    const credentials = workflow.jobs.audit.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))!;
    expect(credentials.with).toHaveProperty('role-to-assume');
    expect(credentials.with).not.toHaveProperty('aws-access-key-id');
    const upload = workflow.jobs.audit.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.with).toMatchObject({ name: 'rollcall-org-shard-${{ matrix.shard }}', path: workflow.env.OUT });
    expect(workflow.jobs.merge.needs).toBe('audit');
    const download = workflow.jobs.merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))!;
    expect(download.with).toMatchObject({ pattern: 'rollcall-org-shard-*', path: workflow.env.OUT, 'merge-multiple': true });
  });

  it("the shards' steps and the merge step, against an organization in the emulator: the merged report is the unsharded run's", async () => {
    await resetEmulator();
    const options = { ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' };
    const management = new AwsClients(options);
    let members: string[];
    try {
      const org = management.organizations();
      await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
      for (const name of ['one', 'two', 'three', 'four', 'five']) await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
      members = ((await org.send(new ListAccountsCommand({}))).Accounts ?? []).map((a) => a.Id!);
      // An intruder's user in one member account.
      const target = members.find((id) => id !== '123456789012')!;
      const inTarget = new AwsClients(options, assumedRoleCredentials(management.sts(), { roleArn: roleArnIn('aws', target, 'rollcall-audit'), sessionName: 'seed' }));
      await inTarget.iam().send(new CreateUserCommand({ UserName: 'mallory' }));
      inTarget.destroy();
    } finally {
      management.destroy();
    }
    // The shards of this organization are not all empty, or the test would prove little.
    const shards = Number(workflow.env.SHARDS);
    expect(new Set(members.map((id) => shardOf(id, shards))).size).toBeGreaterThan(1);

    const dir = tempDir('rollcall-org-ci-');
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'rollcall'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'dist', 'bin', 'rollcall.js')}" "$@"\n`);
    chmodSync(path.join(bin, 'rollcall'), 0o755);
    const PATH = `${bin}:${process.env.PATH ?? ''}`;
    const checkout = (runner: string) => {
      const folder = path.join(dir, runner, workflow.env.BASELINES!);
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, '_defaults.yaml'), 'version: 1\nregions: { allowed: [us-east-1] }\nroot: { mfa: optional }\niam:\n  roles: [{ name: OrganizationAccountAccessRole }]\n');
      for (const id of members) writeFileSync(path.join(folder, `${id}.yaml`), `version: 1\naccount: { id: "${id}" }\n`);
      return path.join(dir, runner);
    };

    // One runner per shard, each with its own checkout and output folder.
    const runners: string[] = [];
    for (const shard of workflow.jobs.audit.strategy!.matrix.shard) {
      const runner = checkout(`shard-${shard}`);
      const audited = await runStep(step(workflow.jobs.audit, 'audit'), runner, { PATH, SHARD: String(shard), GITHUB_OUTPUT: path.join(runner, 'output'), ...RUN });
      expect(audited, `shard ${shard}`).toEqual({ code: 0, stderr: '' });
      runners.push(runner);
    }
    // download-artifact with merge-multiple: every shard's folder into one.
    const merger = path.join(dir, 'merge');
    for (const runner of runners) cpSync(path.join(runner, workflow.env.OUT!), path.join(merger, workflow.env.OUT!), { recursive: true });
    const output = path.join(dir, 'merge-output');
    writeFileSync(output, '');
    const summary = path.join(dir, 'summary.md');
    const merged = await runStep(step(workflow.jobs.merge, 'merge'), merger, { PATH, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary });
    expect(merged).toEqual({ code: 0, stderr: '' });
    // mallory is undeclared: high, at FAIL_ON, so the run fails on it.
    expect(outputsOf(output)['exit-code']).toBe('1');
    expect(readFileSync(summary, 'utf8')).toContain('# rollcall org audit');

    const report = JSON.parse(readFileSync(path.join(merger, workflow.env.OUT!, 'org-report.json'), 'utf8'));
    expect(report.shard).toBeUndefined();
    // Every shard carries this workflow run's id in its fingerprint: the merge checked they are one run's.
    expect(step(workflow.jobs.audit, 'audit').run).toContain('--run-id "$GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT"');
    expect(report.run.id).toBe('4242-1');
    expect(report.accounts.map((a: { id: string }) => a.id)).toEqual([...members].sort());
    for (const a of report.accounts) readFileSync(path.join(merger, workflow.env.OUT!, a.reports.json), 'utf8');

    // The same audit unsharded, on one runner.
    const single = checkout('single');
    const once = await runStep({ run: step(workflow.jobs.audit, 'audit').run!.replace('--shard "$SHARD/$SHARDS" ', '') }, single, { PATH, GITHUB_OUTPUT: path.join(single, 'output'), ...RUN });
    expect(once).toEqual({ code: 0, stderr: '' });
    const whole = JSON.parse(readFileSync(path.join(single, workflow.env.OUT!, 'org-report.json'), 'utf8'));
    // The accounts' reports' digests differ run to run (their API call counts may): the rest is the same.
    const timeless = ({ generatedAt: _, accounts, ...r }: { generatedAt: string; accounts: { reports?: { sha256?: unknown } }[] }) => ({
      ...r,
      accounts: accounts.map((a) => (a.reports ? { ...a, reports: { ...a.reports, sha256: undefined } } : a)),
    });
    expect(timeless(report)).toEqual(timeless(whole));
  });
});
