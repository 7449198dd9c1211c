import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identify } from '../../src/apply/guards.js';
import type { AwsClients } from '../../src/aws/clients.js';
import type { SeededAccount } from '../../src/demo/seed-compromise.js';
import type { Plan } from '../../src/model/plan.js';
import { compromisePlan, makeClients, seedAccount, snapshot } from '../helpers/apply-fixture.js';
import { runCli } from '../helpers/cli.js';
import { makePlan, planStep, redigest } from '../helpers/plans.js';
import { tempDir } from '../unit/apply/fakes.js';

let seeded: SeededAccount;
let clients: AwsClients;
let plan: Plan;
let dir: string;
let planFile: string;

beforeEach(async () => {
  seeded = await seedAccount();
  clients = makeClients();
  ({ plan } = await compromisePlan(clients.iam(), seeded, await identify(clients)));
  dir = tempDir();
  planFile = path.join(dir, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan, null, 2));
});
afterEach(() => clients.destroy());

/** The digest of the plan file as it is now, as a reviewer would approve it: 12 hex digits. */
const approval = () => (JSON.parse(readFileSync(planFile, 'utf8')) as { digest: string }).digest.slice(0, 12);

const secretsIn = (text: string) => [...seeded.secrets, ...readSecrets()].filter((s) => text.includes(s));
function readSecrets(): string[] {
  const file = path.join(dir, 'secrets', 'legacy-bot.replacement.credentials');
  return existsSync(file) ? [/aws_secret_access_key = (\S+)/.exec(readFileSync(file, 'utf8'))![1]!] : [];
}

describe('rollcall apply and undo, as a user runs them', () => {
  it('without a terminal and without --yes: refuses, exit 2, nothing changed', async () => {
    const before = await snapshot(clients.iam());
    const r = await runCli(['apply', planFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to apply without confirmation: no terminal to ask on; pass --yes');
    expect(await snapshot(clients.iam())).toEqual(before);
  });

  it('--dry-run shows what would be done and changes nothing; --yes applies (exit 0); undo --yes reverses', async () => {
    const before = await snapshot(clients.iam());
    const dry = await runCli(['apply', planFile, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run (nothing will be changed) of plan');
    expect(dry.stdout).toMatch(/would-run +deactivateAccessKey accessKey\//);
    expect(await snapshot(clients.iam())).toEqual(before);

    const applied = await runCli(['apply', planFile, '--yes', '--approve', approval(), '--secrets-dir', path.join(dir, 'secrets')]);
    expect(applied.stderr).toContain('createReplacementKey accessKey/new:legacy-bot: created access key');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/Apply finished: 10 done/);
    expect(secretsIn(applied.stdout + applied.stderr + readFileSync(`${planFile}.journal`, 'utf8'))).toEqual([]);

    const undone = await runCli(['undo', `${planFile}.journal`, '--yes']);
    expect(undone.code).toBe(0);
    expect(undone.stdout).toContain('Undo finished: 9 reversed, 0 gone, 0 failed, 1 cannot be undone, 0 unchanged, 0 manual');
    expect(await snapshot(clients.iam())).toEqual({ ...before, 'backup-admin password': false });
  });

  it('a plan for another account: exit 2 with both accounts named', async () => {
    writeFileSync(planFile, JSON.stringify(redigest(plan, { accountId: '999999999999' })));
    const r = await runCli(['apply', planFile, '--yes', '--approve', approval()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('rollcall: refused: plan is for account 999999999999, credentials are for 123456789012: refusing to apply\n');
  });

  it('--yes without a terminal needs --approve with the reviewed digest: without it, or with another, exit 2 and nothing changed', async () => {
    const before = await snapshot(clients.iam());
    const reviewed = approval();
    const r = await runCli(['apply', planFile, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`without a terminal, apply needs --approve DIGEST besides --yes: the digest of the plan that was reviewed (this plan's is ${reviewed})`);
    // Someone edits the reviewed plan after review and seals it again with a recomputed digest: the approval no longer fits.
    writeFileSync(planFile, JSON.stringify(redigest(plan, { steps: plan.steps.slice(1) })));
    const edited = await runCli(['apply', planFile, '--yes', '--approve', reviewed]);
    expect(edited.code).toBe(2);
    expect(edited.stderr).toContain(`not the approved ${reviewed}…: this is not the plan that was reviewed`);
    expect(await snapshot(clients.iam())).toEqual(before);
  });

  it('a tampered plan: exit 2, digest mismatch', async () => {
    const tampered = { ...plan, steps: plan.steps.slice(1) };
    writeFileSync(planFile, JSON.stringify(tampered));
    const r = await runCli(['apply', planFile, '--yes', '--approve', approval()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('digest mismatch');
  });

  it('manual steps: exit 4 while pending, with instructions; --done records one and its dependents run (exit 0)', async () => {
    const manual = planStep('manualRootPassword', 'account.root', 'root', { exists: false, instructions: 'Sign in as the root user and change its password.' });
    const after = planStep('quarantineUser', 'iam.user', 'backup-admin', { dependsOn: [manual.id] });
    writeFileSync(planFile, JSON.stringify(makePlan([manual, after], { caller: plan.caller })));
    const first = await runCli(['apply', planFile, '--yes', '--approve', approval()]);
    expect(first.code).toBe(4);
    expect(first.stdout).toContain('Sign in as the root user and change its password.');
    expect(first.stdout).toContain(`--done '${manual.id}'`);
    const second = await runCli(['apply', planFile, '--yes', '--approve', approval(), '--done', manual.id]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/manual-done +manualRootPassword/);
    expect(second.stdout).toMatch(/done +quarantineUser user\/backup-admin/);
  });

  it('--max-destructive caps the blast radius: exit 2 before anything runs', async () => {
    const del = planStep('deleteLoginProfile', 'iam.loginProfile', 'backup-admin', { ref: { user: 'backup-admin' } });
    writeFileSync(planFile, JSON.stringify(makePlan([del], { caller: plan.caller })));
    const r = await runCli(['apply', planFile, '--yes', '--approve', approval(), '--max-destructive', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('1 destructive step(s) would run, more than --max-destructive 0');
  });
});
