/**
 * One apply or undo at a time per journal (the lock), what was reviewed is
 * what runs (--approve), and the write-ahead journal: intents before
 * changes, settled on resume, enforced on the clients.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IAMClient, ListUsersCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan, checkApproval, settleOutcome, type ApplyOptions } from '../../../src/apply/apply.js';
import { acquireLock, lockFileOf } from '../../../src/apply/lock.js';
import { undoJournal } from '../../../src/apply/undo.js';
import { guardWrites } from '../../../src/apply/write-ahead.js';
import type { AwsClients } from '../../../src/aws/clients.js';
import { ApplyRefused } from '../../../src/errors.js';
import { makePlan, planStep } from '../../helpers/plans.js';
import { fakeWorld, journalLines, NO_CLIENTS, OPERATOR, tempDir } from './fakes.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};

/** A pid no process has: one that just exited (the kernel does not reuse it at once). */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('the journal lock', () => {
  it('is exclusive, names its holder when it refuses, and is gone once released', () => {
    const journal = path.join(dir(), 'plan.json.journal');
    const lock = acquireLock(journal, 'rollcall apply plan.json');
    const holder = JSON.parse(readFileSync(lockFileOf(journal), 'utf8')) as Record<string, unknown>;
    expect(holder).toMatchObject({ pid: process.pid, host: os.hostname(), command: 'rollcall apply plan.json' });
    const err = (() => {
      try {
        acquireLock(journal, 'rollcall undo plan.json.journal');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ApplyRefused);
    expect(err?.message).toContain(`another run holds ${lockFileOf(journal)}: rollcall apply plan.json (pid ${process.pid} on ${os.hostname()}, since `);
    lock.release();
    expect(existsSync(lockFileOf(journal))).toBe(false);
    acquireLock(journal, 'again').release();
  });

  it("takes over a lock whose holder died on this host, and says whose it was", () => {
    const journal = path.join(dir(), 'plan.json.journal');
    const pid = Number(deadPid());
    writeFileSync(lockFileOf(journal), JSON.stringify({ pid, host: os.hostname(), started: '2026-11-29T00:00:00.000Z', command: 'rollcall apply plan.json' }));
    const lock = acquireLock(journal, 'rollcall apply plan.json');
    expect(lock.tookOver).toMatchObject({ pid, command: 'rollcall apply plan.json' });
    expect(JSON.parse(readFileSync(lockFileOf(journal), 'utf8'))).toMatchObject({ pid: process.pid });
    expect(existsSync(`${lockFileOf(journal)}.takeover`)).toBe(false);
    lock.release();
  });

  it('never assumes a holder on another host is dead, and refuses a lock file it cannot read', () => {
    const journal = path.join(dir(), 'plan.json.journal');
    writeFileSync(lockFileOf(journal), JSON.stringify({ pid: Number(deadPid()), host: 'other-host', started: 'x', command: 'rollcall apply' }));
    expect(() => acquireLock(journal, 'rollcall apply')).toThrow(/another run holds .* on other-host/);
    writeFileSync(lockFileOf(journal), '{"pid": 12');
    expect(() => acquireLock(journal, 'rollcall apply')).toThrow('exists but names no holder: if no apply or undo of this journal is running, delete it');
  });

  it('release leaves a lock that is not its own', () => {
    const journal = path.join(dir(), 'plan.json.journal');
    const lock = acquireLock(journal, 'a');
    const theirs = JSON.stringify({ pid: process.pid, host: os.hostname(), started: 'later', command: 'b' });
    writeFileSync(lockFileOf(journal), theirs);
    lock.release();
    expect(readFileSync(lockFileOf(journal), 'utf8')).toBe(theirs);
  });
});

const key = planStep('deactivateAccessKey', 'iam.accessKey', 'AKIAMALLORY000000001', { ref: { user: 'mallory' }, precondition: { user: 'mallory', status: 'Active' } });
const quarantine = planStep('quarantineUser', 'iam.user', 'mallory', { precondition: { userId: 'AIDAMALLORY' } });
const deleteUser = planStep('deleteUser', 'iam.user', 'mallory', { dependsOn: [quarantine.id, key.id] });

function setup() {
  const planFile = path.join(dir(), 'plan.json');
  const world = fakeWorld();
  const plan = makePlan([key, quarantine, deleteUser]);
  const run = (o: Partial<ApplyOptions> = {}) => applyPlan(plan, { clients: NO_CLIENTS, planFile, identity: OPERATOR, executors: world.executors, ...o });
  return { planFile, journalFile: `${planFile}.journal`, world, plan, run };
}

describe('one apply or undo at a time', () => {
  it('two applies of one plan at once: exactly one runs, no step runs twice, the journal stays valid and the lock is gone', async () => {
    const s = setup();
    const [a, b] = await Promise.allSettled([s.run(), s.run()]);
    const ran = [a, b].filter((r) => r.status === 'fulfilled');
    const refused = [a, b].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ran).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(ApplyRefused);
    expect(String(refused[0]!.reason.message)).toMatch(/another run holds .*plan\.json\.journal\.lock: rollcall apply/);
    const runs = s.world.calls.filter((c) => c.startsWith('run '));
    expect(runs.sort()).toEqual([key, quarantine, deleteUser].map((x) => `run ${x.id}`).sort());
    const steps = journalLines(s.journalFile).filter((l) => l.type === 'step');
    expect(steps.map((l) => l.id).sort()).toEqual([key, quarantine, deleteUser].map((x) => x.id).sort());
    expect(existsSync(lockFileOf(s.journalFile))).toBe(false);
  });

  it('an undo while the apply runs is refused, and changes nothing', async () => {
    const s = setup();
    let undone: Promise<unknown> | undefined;
    s.world.onRun = (step) => {
      if (step.id === quarantine.id) undone = undoJournal({ clients: NO_CLIENTS, journalFile: s.journalFile, identity: OPERATOR, executors: s.world.executors }).catch((e: unknown) => e);
    };
    expect((await s.run({ concurrency: 1 })).exitCode).toBe(0);
    const err = (await undone) as Error;
    expect(err).toBeInstanceOf(ApplyRefused);
    expect(err.message).toMatch(/another run holds .*\.lock: rollcall apply/);
    expect(s.world.calls.filter((c) => c.startsWith('undo '))).toEqual([]);
    expect(existsSync(`${s.journalFile}.undo`)).toBe(false);
  });

  it('--dry-run takes no lock and writes nothing', async () => {
    const s = setup();
    const held = acquireLock(s.journalFile, 'another apply');
    expect((await s.run({ dryRun: true })).exitCode).toBe(0);
    await expect(s.run()).rejects.toThrow('another run holds');
    held.release();
  });
});

describe('--approve: what was reviewed is what runs', () => {
  const plan = makePlan([quarantine]);
  it('takes the digest or a prefix of 12 or more hex digits, in any case', () => {
    expect(() => checkApproval(plan, plan.digest)).not.toThrow();
    expect(() => checkApproval(plan, plan.digest.slice(0, 12).toUpperCase())).not.toThrow();
    expect(() => checkApproval(plan, undefined)).not.toThrow();
  });
  it('refuses a short or malformed approval, and a plan with another digest', () => {
    expect(() => checkApproval(plan, plan.digest.slice(0, 11))).toThrow('--approve takes the plan\'s digest, at least 12 hex digits');
    expect(() => checkApproval(plan, 'not-a-digest-at-all')).toThrow('at least 12 hex digits');
    const other = plan.digest.startsWith('0') ? '1'.repeat(12) : '0'.repeat(12);
    expect(() => checkApproval(plan, other)).toThrow(`the plan's digest is ${plan.digest.slice(0, 12)}…, not the approved ${other}…: this is not the plan that was reviewed`);
  });
  it('apply refuses an edited plan before it reads anything', async () => {
    const s = setup();
    const edited = makePlan([key, quarantine]);
    await expect(applyPlan(edited, { clients: NO_CLIENTS, planFile: s.planFile, identity: OPERATOR, executors: s.world.executors, approve: s.plan.digest.slice(0, 12) })).rejects.toThrow(
      'this is not the plan that was reviewed',
    );
    expect(s.world.calls).toEqual([]);
    expect(existsSync(s.journalFile)).toBe(false);
  });
});

describe('write-ahead: intents and how a resumed run settles them', () => {
  it('an intent without an outcome is settled: the killed run acted, so its undo data (read before the change) is recorded', () => {
    const intent = { user: 'mallory', accessKeyId: 'AKIA1' };
    expect(settleOutcome('deactivateAccessKey', { result: 'already' }, intent)).toEqual({ result: 'done', undo: intent });
    expect(settleOutcome('throttleFunction', { result: 'done', undo: { previousReservedConcurrency: 0 } }, { previousReservedConcurrency: 5 })).toEqual({
      result: 'done',
      undo: { previousReservedConcurrency: 5 },
    });
    expect(settleOutcome('deleteLoginProfile', { result: 'already' }, {})).toEqual({ result: 'done' });
    expect(settleOutcome('deactivateAccessKey', { result: 'already' }, {})).toEqual({ result: 'already' });
    expect(settleOutcome('quarantineUser', { result: 'already' }, undefined)).toEqual({ result: 'already' });
  });

  it('a resumed run settles an interrupted step from its intent; undo then reverses it', async () => {
    const s = setup();
    // A run killed right after quarantining: its intent is on disk, its outcome is not.
    s.world.failing.set(quarantine.id, 'killed');
    await s.run({ concurrency: 1 });
    s.world.failing.clear();
    const lines = journalLines(s.journalFile);
    expect(lines.filter((l) => l.id === quarantine.id).map((l) => l.type)).toEqual(['intent']);
    s.world.done.add(quarantine.id); // the kill came after the change reached AWS
    const resumed = await s.run();
    expect(resumed.steps.find((r) => r.id === quarantine.id)?.status).toBe('done');
    const settled = journalLines(s.journalFile).filter((l) => l.type === 'step' && l.id === quarantine.id);
    expect(settled).toMatchObject([{ result: 'done', undo: { target: 'mallory' } }]);
    const undo = await undoJournal({ clients: NO_CLIENTS, journalFile: s.journalFile, identity: OPERATOR, executors: s.world.executors });
    expect(undo.steps.find((r) => r.id === quarantine.id)?.status).toBe('undone');
  });

  it('a last line torn by a crash is ignored with a warning; damage before it is refused with its line', async () => {
    const s = setup();
    await s.run({ concurrency: 1 });
    const text = readFileSync(s.journalFile, 'utf8');
    writeFileSync(s.journalFile, `${text}{"type":"intent","id":"deleteUser user/mal`);
    const logs: string[] = [];
    const resumed = await s.run({ log: (l) => logs.push(l) });
    expect(resumed.exitCode).toBe(0);
    expect(logs).toContain(`warning: ${s.journalFile}: its last line was torn by a crash while being written; it is ignored (what it recorded is settled by observing)`);
    const lines = text.split('\n');
    writeFileSync(s.journalFile, [lines[0], '{"type":"step",', ...lines.slice(1)].join('\n'));
    await expect(s.run()).rejects.toThrow(`${s.journalFile}:2: not a journal line (the file is damaged; move it away to start over)`);
  });

  it('undo refuses a journal with an interrupted step until apply settles it', async () => {
    const s = setup();
    s.world.failing.set(quarantine.id, 'killed');
    await s.run({ concurrency: 1 });
    await expect(undoJournal({ clients: NO_CLIENTS, journalFile: s.journalFile, identity: OPERATOR, executors: s.world.executors })).rejects.toThrow(
      `apply was interrupted in ${quarantine.id}: whether that step changed the account is not yet known; run \`rollcall apply ${s.planFile}\` again to settle it`,
    );
  });

  it('the clients refuse a change before its intent is journaled, and let reads through', async () => {
    const iam = mockClient(IAMClient);
    try {
      iam.on(ListUsersCommand).resolves({ Users: [] });
      iam.on(UpdateAccessKeyCommand).resolves({});
      const client = new IAMClient({ region: 'us-east-1' });
      let intended = false;
      const clients = guardWrites({ iam: () => client } as unknown as AwsClients, () => intended, 'step-1');
      await expect(clients.iam().send(new ListUsersCommand({}))).resolves.toEqual({ Users: [] });
      await expect(clients.iam().send(new UpdateAccessKeyCommand({ UserName: 'u', AccessKeyId: 'k', Status: 'Inactive' }))).rejects.toThrow(
        'internal error: step step-1 called UpdateAccessKey before journaling its intent; nothing was sent',
      );
      expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
      intended = true;
      await clients.iam().send(new UpdateAccessKeyCommand({ UserName: 'u', AccessKeyId: 'k', Status: 'Inactive' }));
      expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
      expect(clients.iam()).toBeInstanceOf(IAMClient);
    } finally {
      iam.restore();
    }
  });
});
