import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlan, applyExitCode, type ApplyOptions, type StepReport } from '../../../src/apply/apply.js';
import { ApplyRefused } from '../../../src/errors.js';
import type { Plan } from '../../../src/model/plan.js';
import { makePlan, planStep, redigest } from '../../helpers/plans.js';
import { ACCOUNT } from '../../helpers/resources.js';
import { fakeWorld, journalLines, NO_CLIENTS, OPERATOR, tempDir, type FakeWorld } from './fakes.js';

const key = planStep('deactivateAccessKey', 'iam.accessKey', 'AKIAMALLORY000000001', { ref: { user: 'mallory' }, precondition: { user: 'mallory', status: 'Active' } });
const quarantine = planStep('quarantineUser', 'iam.user', 'mallory', { precondition: { userId: 'AIDAMALLORY' } });
const deleteKey = planStep('deleteAccessKey', 'iam.accessKey', 'AKIAMALLORY000000001', { ref: { user: 'mallory' }, dependsOn: [key.id], precondition: { user: 'mallory' } });
const deleteUser = planStep('deleteUser', 'iam.user', 'mallory', { dependsOn: [quarantine.id, deleteKey.id] });
const revoke = planStep('revokeRoleSessions', 'iam.role', 'backdoor', { precondition: { roleId: 'AROABACKDOOR', trustedPrincipals: ['arn:aws:iam::666666666666:root', 'arn:aws:iam::111111111111:root'] } });

function setup(steps = [key, quarantine, deleteKey, deleteUser, revoke], over: Partial<Omit<Plan, 'digest' | 'steps'>> = {}) {
  const dir = tempDir();
  const planFile = path.join(dir, 'plan.json');
  const world = fakeWorld();
  const plan = makePlan(steps, over);
  const out: string[] = [];
  const run = (o: Partial<ApplyOptions> = {}) =>
    applyPlan(plan, { clients: NO_CLIENTS, planFile, identity: OPERATOR, executors: world.executors, secretsDir: dir, out: (l) => out.push(l), ...o });
  return { dir, planFile, journalFile: `${planFile}.journal`, world, plan, out, run };
}

const statuses = (reports: StepReport[]) => Object.fromEntries(reports.map((r) => [r.id, r.status]));
const runs = (w: FakeWorld) => w.calls.filter((c) => c.startsWith('run '));

describe('apply: guards before anything runs', () => {
  it('refuses a plan for another account, naming both', async () => {
    const s = setup();
    const other = redigest(s.plan, { accountId: '999999999999' });
    const err = await applyPlan(other, { clients: NO_CLIENTS, planFile: s.planFile, identity: OPERATOR, executors: s.world.executors }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyRefused);
    expect((err as Error).message).toBe(`plan is for account 999999999999, credentials are for ${ACCOUNT}: refusing to apply`);
    expect(s.world.calls).toEqual([]);
    expect(existsSync(s.journalFile)).toBe(false);
  });

  it('refuses to run as another caller than the one who planned, but accepts another session of the same role', async () => {
    const s = setup();
    await expect(s.run({ identity: { ...OPERATOR, arn: `arn:aws:iam::${ACCOUNT}:user/someone-else` } })).rejects.toThrow(
      `plan was made by arn:aws:iam::${ACCOUNT}:user/operator, credentials are for arn:aws:iam::${ACCOUNT}:user/someone-else`,
    );
    const roleArn = (session: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/incident-response/${session}`;
    const byRole = makePlan([quarantine], { caller: { account: ACCOUNT, arn: roleArn('alice@example.com'), userId: 'AROAIR:alice' } });
    const result = await applyPlan(byRole, { clients: NO_CLIENTS, planFile: s.planFile, identity: { ...OPERATOR, arn: roleArn('bob@example.com') }, executors: s.world.executors });
    expect(result.exitCode).toBe(0);
  });

  it('refuses a stale plan (older than --max-age, 24 hours by default)', async () => {
    const old = new Date(Date.now() - 25 * 3_600_000).toISOString();
    const s = setup([quarantine], { createdAt: old });
    await expect(s.run()).rejects.toThrow(/plan is stale: made 25\.0 hours ago .* more than --max-age 24/);
    expect((await s.run({ maxAgeHours: 48 })).exitCode).toBe(0);
  });

  it('refuses a plan from the future (plan --now ahead of the clock), beyond 15 minutes of clock skew; nothing runs', async () => {
    const days8 = new Date(Date.now() + 8 * 86_400_000).toISOString();
    const s = setup([quarantine], { createdAt: days8 });
    await expect(s.run()).rejects.toThrow(
      new RegExp(`^plan is from the future: made at ${days8.replace(/[.]/g, '\\.')}, 192\\.0 hours after now \\(.*\\): it was planned with --now ahead of the clock, or a clock is wrong; .* make a new plan without --now$`),
    );
    expect(s.world.calls).toEqual([]);
    expect(existsSync(s.journalFile)).toBe(false);
    const skewed = setup([quarantine], { createdAt: new Date(Date.now() + 10 * 60_000).toISOString() });
    expect((await skewed.run()).exitCode).toBe(0);
  });

  it('refuses the whole run when more destructive steps would run than --max-destructive', async () => {
    const s = setup();
    await expect(s.run({ maxDestructive: 1 })).rejects.toThrow('2 destructive step(s) would run, more than --max-destructive 1: refusing the whole run');
    expect(s.world.calls).toEqual([]);
    expect((await s.run({ maxDestructive: 2 })).exitCode).toBe(0);
  });

  it('refuses destructive steps of a plan made from an incomplete inventory, and runs the rest', async () => {
    const s = setup(undefined, { complete: false });
    const result = await s.run();
    expect(statuses(result.steps)).toEqual({
      [key.id]: 'done',
      [quarantine.id]: 'done',
      [deleteKey.id]: 'refused',
      [deleteUser.id]: 'refused',
      [revoke.id]: 'done',
    });
    expect(result.steps.find((r) => r.id === deleteKey.id)!.detail).toContain('incomplete inventory');
    expect(result.exitCode).toBe(1);
  });

  it('never acts on the identity running apply: its access key, its user (and what belongs to it), its role', async () => {
    const ownKey = planStep('deactivateAccessKey', 'iam.accessKey', OPERATOR.accessKeyId!, { ref: { user: 'ci-bot' } });
    const ownUser = planStep('quarantineUser', 'iam.user', 'operator');
    const ownPassword = planStep('deleteLoginProfile', 'iam.loginProfile', 'operator', { ref: { user: 'operator' } });
    const ownPolicy = planStep('detachPolicy', 'iam.policyAttachment', 'user/operator/arn:aws:iam::aws:policy/AdministratorAccess', {
      ref: { principalType: 'user', principalName: 'operator', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    });
    const s = setup([ownKey, ownUser, ownPassword, ownPolicy, quarantine]);
    const result = await s.run();
    expect(statuses(result.steps)).toEqual({ [ownKey.id]: 'skipped', [ownUser.id]: 'skipped', [ownPassword.id]: 'skipped', [ownPolicy.id]: 'skipped', [quarantine.id]: 'done' });
    expect(s.out).toContain(`skipped     ${ownKey.id}: never acts on the identity running apply: access key ${OPERATOR.accessKeyId} is the one this apply runs with`);
    expect(s.out).toContain(`skipped     ${ownUser.id}: never acts on the identity running apply: it belongs to IAM user operator, who runs this apply`);
    expect(runs(s.world)).toEqual([`run ${quarantine.id}`]);
    expect(result.exitCode).toBe(1);

    const roleArn = `arn:aws:sts::${ACCOUNT}:assumed-role/backdoor/session-1`;
    const byRole = makePlan([revoke], { caller: { account: ACCOUNT, arn: roleArn, userId: 'AROA:x' } });
    const asRole = await applyPlan(byRole, { clients: NO_CLIENTS, planFile: s.planFile, journalFile: path.join(s.dir, 'role.journal'), identity: { ...OPERATOR, arn: roleArn }, executors: s.world.executors });
    expect(asRole.steps[0]).toMatchObject({ status: 'skipped', detail: 'never acts on the identity running apply: it belongs to IAM role backdoor, which runs this apply' });
  });

  it('refuses --done for a step that is not a manual step of the plan', async () => {
    const s = setup();
    await expect(s.run({ done: ['nope'] })).rejects.toThrow('--done nope: the plan has no such step');
    await expect(s.run({ done: [quarantine.id] })).rejects.toThrow(`--done ${quarantine.id}: not a manual step`);
  });

  it('refuses a plan whose dependencies are unknown or circular', async () => {
    const a = planStep('quarantineUser', 'iam.user', 'a', { dependsOn: ['quarantineUser user/b'] });
    const b = planStep('quarantineUser', 'iam.user', 'b', { dependsOn: [a.id] });
    await expect(setup([a, b]).run()).rejects.toThrow(/dependencies form a cycle/);
    await expect(setup([a]).run()).rejects.toThrow(`step '${a.id}' depends on 'quarantineUser user/b', which is not a step of the plan`);
  });

  it('asks for confirmation with the summary; a refusal changes nothing', async () => {
    const s = setup();
    let asked = '';
    const result = await s.run({ confirm: async (summary) => ((asked = summary), false) });
    expect(asked).toContain(`for account ${ACCOUNT} as ${OPERATOR.arn}`);
    expect(asked).toContain('5 steps: 5 to run (2 destructive)');
    expect(result).toMatchObject({ aborted: true, exitCode: 1 });
    expect(s.world.calls).toEqual([]);
    expect(existsSync(s.journalFile)).toBe(false);
  });

  it('does not ask when there is nothing to run', async () => {
    const s = setup([quarantine]);
    await s.run();
    const result = await s.run({ confirm: async () => expect.fail('asked') });
    expect(result.steps[0]!.status).toBe('resumed');
  });
});

describe('apply: execution', () => {
  it('runs every step once, each only after the journal holds its dependencies', async () => {
    const s = setup();
    s.world.onRun = (step) => {
      const journaled = new Set(journalLines(s.journalFile).filter((l) => l.type === 'step').map((l) => l.id));
      for (const d of step.dependsOn) expect(journaled.has(d), `${step.id} started before ${d} was journaled`).toBe(true);
    };
    const result = await s.run();
    expect(result.exitCode).toBe(0);
    expect(runs(s.world).sort()).toEqual([key, quarantine, deleteKey, deleteUser, revoke].map((x) => `run ${x.id}`).sort());
    const lines = journalLines(s.journalFile);
    expect(lines[0]).toMatchObject({ type: 'header', kind: 'apply', planDigest: s.plan.digest, accountId: ACCOUNT, caller: OPERATOR.arn, source: s.planFile });
    expect(lines.filter((l) => l.type === 'step').map((l) => [l.id, l.result])).toHaveLength(5);
    // Write-ahead: each step's intent, with its undo data, is on disk before its outcome.
    for (const done of lines.filter((l) => l.type === 'step')) {
      const intent = lines.findIndex((l) => l.type === 'intent' && l.id === done.id);
      expect(intent, `${String(done.id)} has an intent`).toBeGreaterThan(0);
      expect(intent).toBeLessThan(lines.indexOf(done));
      expect(lines[intent]).toMatchObject({ undo: { target: (done.step as { target: { id: string } }).target.id } });
    }
    expect(lines.find((l) => l.type === 'step' && l.id === key.id)).toMatchObject({ type: 'step', result: 'done', undo: { target: key.target.id }, step: key });
    expect(readFileSync(s.journalFile, 'utf8').endsWith('\n')).toBe(true);
  });

  it('keeps at most `concurrency` steps running at once', async () => {
    const many = Array.from({ length: 12 }, (_, i) => planStep('quarantineUser', 'iam.user', `u${i}`));
    const s = setup(many);
    await s.run({ concurrency: 3 });
    expect(s.world.maxInFlight).toBeLessThanOrEqual(3);
    expect(s.world.maxInFlight).toBeGreaterThan(1);
  });

  it('counts a target that is gone as done, without running it', async () => {
    const s = setup([quarantine]);
    s.world.gone.add(quarantine.id);
    const result = await s.run();
    expect(result.steps[0]).toMatchObject({ status: 'already' });
    expect(runs(s.world)).toEqual([]);
    expect(journalLines(s.journalFile)[1]).toMatchObject({ id: quarantine.id, result: 'already' });
  });

  it('runs a step whose target already shows the end state (it says already), rather than calling it changed', async () => {
    const s = setup([key]);
    s.world.changed.set(key.id, { status: 'Inactive' });
    s.world.done.add(key.id);
    const result = await s.run();
    expect(result.steps[0]!.status).toBe('already');
  });

  it('--on-change refuse: a changed target stops the run (steps not yet started do not run), exit 1', async () => {
    const s = setup();
    s.world.changed.set(key.id, { user: 'someone-else' });
    const result = await s.run({ concurrency: 1 });
    const st = statuses(result.steps);
    expect(st[key.id]).toBe('refused');
    expect(result.steps.find((r) => r.id === key.id)!.detail).toBe('the target changed since planning (user was "mallory", is "someone-else"); stopping (--on-change refuse)');
    expect(st[deleteKey.id]).toBe('blocked');
    expect(st[deleteUser.id]).toBe('blocked');
    expect(st[revoke.id]).toBe('not-run');
    expect(result.exitCode).toBe(1);
  });

  it('--on-change skip: a changed target is skipped, its dependents blocked, the rest run', async () => {
    const s = setup();
    s.world.changed.set(revoke.id, { trustedPrincipals: ['arn:aws:iam::777777777777:root'] });
    s.world.changed.set(key.id, { status: 'Active' }); // unchanged
    const result = await s.run({ onChange: 'skip' });
    expect(statuses(result.steps)).toEqual({ [key.id]: 'done', [quarantine.id]: 'done', [deleteKey.id]: 'done', [deleteUser.id]: 'done', [revoke.id]: 'skipped' });
    expect(result.exitCode).toBe(1);
  });

  it('compares lists of values as sets', async () => {
    const s = setup([revoke]);
    s.world.changed.set(revoke.id, { trustedPrincipals: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::666666666666:root'] });
    expect((await s.run()).steps[0]!.status).toBe('done');
  });

  it('a failed step blocks its dependents; its message is shown with secrets masked', async () => {
    const s = setup();
    s.world.failing.set(key.id, 'AccessDenied for secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    const result = await s.run();
    const st = statuses(result.steps);
    expect(st).toMatchObject({ [key.id]: 'failed', [deleteKey.id]: 'blocked', [deleteUser.id]: 'blocked', [quarantine.id]: 'done', [revoke.id]: 'done' });
    expect(s.out.join('\n')).not.toContain('wJalrXUtnFEMI');
    expect(s.out.join('\n')).toContain(`blocked     ${deleteKey.id}: not run: ${key.id} did not complete`);
    expect(result.exitCode).toBe(1);
  });
});

describe('apply: manual steps', () => {
  const password = planStep('manualRootPassword', 'account.root', 'root', { exists: false, instructions: 'Sign in as root.\nChange the password.' });
  const after = planStep('quarantineRole', 'iam.role', 'backdoor', { dependsOn: [password.id] });

  it('never runs them: they stay pending, their dependents wait, exit 4', async () => {
    const s = setup([quarantine, password, after]);
    const result = await s.run();
    expect(statuses(result.steps)).toEqual({ [quarantine.id]: 'done', [password.id]: 'pending', [after.id]: 'waiting' });
    expect(result.exitCode).toBe(4);
    expect(s.out).toContain('      Change the password.');
    expect(s.out).toContain(`      then: rollcall apply ${s.planFile} --done '${password.id}'`);
  });

  it('steps waiting for a manual step do not count against --max-destructive, and the summary says they wait', async () => {
    const del = planStep('deleteUser', 'iam.user', 'mallory', { dependsOn: [password.id] });
    const s = setup([password, del]);
    const result = await s.run({ maxDestructive: 0 });
    expect(statuses(result.steps)).toEqual({ [password.id]: 'pending', [del.id]: 'waiting' });
    expect(s.out[1]).toContain('0 to run (0 destructive)');
    expect(s.out).toContain(`  waits      ${del.id}: after a manual step`);
    await expect(s.run({ maxDestructive: 0, done: [password.id] })).rejects.toThrow('more than --max-destructive 0');
  });

  it('--done records the manual step in the journal, then its dependents run; nothing is repeated', async () => {
    const s = setup([quarantine, password, after]);
    await s.run();
    const result = await s.run({ done: [password.id] });
    expect(statuses(result.steps)).toEqual({ [quarantine.id]: 'resumed', [password.id]: 'manual-done', [after.id]: 'done' });
    expect(result.exitCode).toBe(0);
    expect(runs(s.world)).toEqual([`run ${quarantine.id}`, `run ${after.id}`]);
    const lines = journalLines(s.journalFile);
    expect(lines.map((l) => l.type)).toEqual(['header', 'intent', 'step', 'run', 'step', 'intent', 'step']);
    expect(lines[4]).toMatchObject({ id: password.id, result: 'manual' });
  });
});

describe('apply: journal and resume', () => {
  it('resumes: steps the journal records are not repeated', async () => {
    const s = setup();
    s.world.failing.set(deleteKey.id, 'throttled');
    expect((await s.run()).exitCode).toBe(1);
    s.world.failing.clear();
    const result = await s.run();
    expect(statuses(result.steps)).toEqual({ [key.id]: 'resumed', [quarantine.id]: 'resumed', [deleteKey.id]: 'done', [deleteUser.id]: 'done', [revoke.id]: 'resumed' });
    expect(runs(s.world).filter((c) => c === `run ${key.id}`)).toHaveLength(1);
    expect(result.exitCode).toBe(0);
  });

  it('refuses a journal of another plan', async () => {
    const s = setup();
    await s.run();
    const other = makePlan([quarantine]);
    await expect(applyPlan(other, { clients: NO_CLIENTS, planFile: s.planFile, identity: OPERATOR, executors: s.world.executors })).rejects.toThrow(
      /plan.json.journal is the journal of another plan .* refusing to resume it/,
    );
  });

  it('ignores a last line torn by a crash, and runs that step again', async () => {
    const s = setup([quarantine, revoke]);
    await s.run();
    const lines = readFileSync(s.journalFile, 'utf8').split('\n');
    // Keep the header and the first step (its intent and outcome); tear the second's intent.
    writeFileSync(s.journalFile, `${lines[0]}\n${lines[1]}\n${lines[2]}\n${lines[3]!.slice(0, 20)}`);
    s.world.done.clear();
    const result = await s.run();
    const resumed = result.steps.filter((r) => r.status === 'resumed');
    expect(resumed).toHaveLength(1);
    expect(result.steps.filter((r) => r.status === 'done')).toHaveLength(1);
    expect(() => journalLines(s.journalFile)).not.toThrow();
  });

  it('refuses a journal damaged in the middle', async () => {
    const s = setup([quarantine]);
    await s.run();
    const [header, ...rest] = readFileSync(s.journalFile, 'utf8').split('\n');
    writeFileSync(s.journalFile, [header, '{not json', ...rest].join('\n'));
    await expect(s.run()).rejects.toThrow(/plan.json.journal:2: not a journal line/);
  });
});

describe('apply: dry run', () => {
  it('observes and checks every step, runs none, writes no journal', async () => {
    const s = setup();
    s.world.gone.add(revoke.id);
    s.world.changed.set(quarantine.id, { userId: 'AIDAOTHER' });
    const result = await s.run({ dryRun: true, onChange: 'skip' });
    expect(statuses(result.steps)).toEqual({
      [key.id]: 'would-run',
      [quarantine.id]: 'skipped',
      [deleteKey.id]: 'would-run',
      [deleteUser.id]: 'blocked',
      [revoke.id]: 'already',
    });
    expect(runs(s.world)).toEqual([]);
    expect(existsSync(s.journalFile)).toBe(false);
    expect(s.out[0]).toMatch(/^Dry run \(nothing will be changed\) of plan/);
  });
});

describe('applyExitCode', () => {
  it('is 0 when all is complete, 1 when anything was not done, 4 when only manual steps remain', () => {
    expect(applyExitCode(['done', 'already', 'resumed', 'manual-done'])).toBe(0);
    expect(applyExitCode(['done', 'pending', 'waiting'])).toBe(4);
    expect(applyExitCode(['pending', 'skipped'])).toBe(1);
    expect(applyExitCode(['failed'])).toBe(1);
  });
});
