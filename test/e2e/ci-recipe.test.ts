/**
 * The CI recipe (examples/github-actions/drift-audit.yml), run as GitHub would
 * run its shell steps: the commands of its Collect, Audit and Keep steps, read
 * from the workflow file itself, with the built CLI as `rollcall`, against the
 * emulator, over four nights with the account changing between them.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';
import { demoUser, seedDemo, writeCleanBaseline } from '../helpers/demo.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';
import { tempDir } from '../helpers/temp.js';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: { schedule: { cron: string }[] };
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: { audit: { steps: Step[] } };
}

const workflow = parse(readFileSync(path.join(ROOT, 'examples/github-actions/drift-audit.yml'), 'utf8')) as Workflow;
const steps = workflow.jobs.audit.steps;
const script = (id: string) => {
  const s = steps.find((x) => x.id === id);
  if (!s?.run) throw new Error(`the recipe has no run step with id ${id}`);
  return s.run;
};

/** Runs one step's script with bash in `dir`, as a runner does: the workflow's env, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. */
function runStep(id: string, dir: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', script(id)], { cwd: dir, env: { ...process.env, ...workflow.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** When the recipe keeps a run's report for the next one: only when the audit passed. */
const KEEP_IF = "steps.audit.outputs.exit-code == '0'";

const outputsOf = (file: string): Record<string, string> =>
  Object.fromEntries(
    (existsSync(file) ? readFileSync(file, 'utf8') : '')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

describe('the CI recipe: a nightly drift audit', () => {
  it('is a scheduled workflow that assumes a role with OIDC, uploads SARIF, keeps the last report in the cache', () => {
    expect(workflow.on.schedule[0]!.cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(workflow.permissions).toMatchObject({ 'id-token': 'write', 'security-events': 'write', contents: 'read' });
    const uses = steps.map((s) => s.uses?.split('@')[0]);
    expect(uses).toEqual(expect.arrayContaining(['aws-actions/configure-aws-credentials', 'github/codeql-action/upload-sarif', 'actions/cache/restore', 'actions/cache/save']));
    const credentials = steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))!;
    expect(credentials.with).toHaveProperty('role-to-assume');
    expect(credentials.with).not.toHaveProperty('aws-access-key-id');
    // The report the next run compares with is what the cache saves, and only a passing run's.
    expect(script('keep')).toContain('"$STATE/last/report.json"');
    const save = steps.find((s) => s.uses?.startsWith('actions/cache/save'))!;
    expect(save.with!.path).toBe('.rollcall/last');
    for (const s of [save, steps.find((x) => x.id === 'keep')!]) expect(s.if).toBe(KEEP_IF);
  });

  it("four nights: clean; an intruder's user is new and fails the job, and fails it again the next night; once removed, clean", async () => {
    await seedDemo('clean');
    const dir = tempDir('rollcall-ci-');
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'rollcall'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'dist', 'bin', 'rollcall.js')}" "$@"\n`);
    chmodSync(path.join(bin, 'rollcall'), 0o755);
    mkdirSync(path.join(dir, 'baselines'));
    writeCleanBaseline(path.join(dir, workflow.env.BASELINE!));
    const summary = path.join(dir, 'summary.md');

    const night = async (n: number) => {
      const output = path.join(dir, `output-${n}`);
      const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary };
      const collected = await runStep('collect', dir, env);
      expect(collected).toEqual({ code: 0, stderr: '' });
      const audited = await runStep('audit', dir, env);
      expect(audited).toEqual({ code: 0, stderr: '' });
      const outputs = outputsOf(output);
      expect(outputs).toMatchObject({ report: 'true', sarif: 'true' });
      // The job's last step fails the run when this is not 0; the report is kept only when it is (KEEP_IF).
      if (outputs['exit-code'] === '0') expect(await runStep('keep', dir, env)).toEqual({ code: 0, stderr: '' });
      const state = path.join(dir, workflow.env.STATE!);
      const report = JSON.parse(readFileSync(path.join(state, 'report.json'), 'utf8'));
      const sarif = JSON.parse(readFileSync(path.join(state, 'rollcall.sarif'), 'utf8'));
      expect(sarifSchemaErrors(sarif)).toEqual([]);
      expect(readFileSync(path.join(state, 'report.md'), 'utf8')).toContain('# rollcall audit');
      // Code scanning shows the open ones; a baseline exception's violation comes with its suppression.
      const open = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => !r.suppressions?.length).map((r: { ruleId: string }) => r.ruleId);
      return { exitCode: outputs['exit-code'], report, open };
    };

    const first = await night(1);
    expect(first.exitCode).toBe('0');
    expect(first.report.drift).toBeUndefined();
    expect(first.open).toEqual([]);

    await demoUser('create', 'mallory');
    const second = await night(2);
    expect(second.exitCode).toBe('1');
    expect(second.report.drift.counts).toEqual({ new: 1, known: 0, resolved: 0, unverified: 0 });
    expect(second.report.violations.filter((v: { drift?: string }) => v.drift === 'new').map((v: { subject: string }) => v.subject)).toEqual(['user/mallory']);
    expect(second.open).toEqual(['iam-user-undeclared']);

    // Nobody acted: the failed night's report was not kept, so the user is still new, and the job fails again.
    const third = await night(3);
    expect(third.exitCode).toBe('1');
    expect(third.report.drift.counts).toEqual({ new: 1, known: 0, resolved: 0, unverified: 0 });

    // The user is removed: clean again, compared with the last night that passed.
    await demoUser('delete', 'mallory');
    const fourth = await night(4);
    expect(fourth.exitCode).toBe('0');
    expect(fourth.report.drift.counts).toEqual({ new: 0, known: 0, resolved: 0, unverified: 0 });
    expect(fourth.open).toEqual([]);

    // One job summary per night, appended, never overwritten; the failing nights name the new violation.
    const nights = readFileSync(summary, 'utf8').split('### rollcall audit:').slice(1);
    expect(nights).toHaveLength(4);
    expect(nights[0]).toContain('**No open violations.**');
    for (const n of [nights[1], nights[2]]) {
      expect(n).toContain('Since the previous run: 1 new, 0 known, 0 resolved.');
      expect(n).toContain('| **new** critical | `iam-user-undeclared` | `user/mallory` |');
    }
    expect(nights[3]).toContain('Since the previous run: 0 new, 0 known, 0 resolved.');
  });
});
