/**
 * kill -9 at every change apply makes to the seeded compromise: the CLI runs
 * behind a proxy that lets the emulator carry out the Nth change, holds its
 * answer and kills the CLI, so the run dies between the call and its journal
 * line. Then apply runs again (it resumes), then undo. The end state must be
 * an uninterrupted run's, and the state after undo an uninterrupted undo's;
 * no access key may exist whose secret nobody holds. And two runs at once:
 * exactly one runs, no change is sent twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeededAccount } from '../../src/demo/seed-compromise.js';
import { makeClients, seedAccount } from '../helpers/apply-fixture.js';
import { ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { emulatorEndpoint } from '../helpers/emulator.js';
import { startKillProxy, type KillProxy } from '../helpers/kill-proxy.js';

const CLI = path.join(ROOT, 'dist', 'bin', 'rollcall.js');

/** The CLI as a child we can kill, pointed at `endpoint`. */
function start(args: string[], endpoint: string): { child: ChildProcess; done: Promise<CliResult & { signal: NodeJS.Signals | null }> } {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, AWS_ENDPOINT_URL: endpoint }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
  return { child, done };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function workDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'rollcall-crash-'));
  dirs.push(d);
  return d;
}

/**
 * Everything in IAM the plan and undo touch, named so that two runs compare:
 * a key rollcall created is `REPLACEMENT`, a time in a tag is `TIME`.
 */
async function iamState(iam: IAMClient, seeded: SeededAccount): Promise<Record<string, unknown>> {
  const known = new Set(Object.values(seeded.keys));
  const key = (id: string) => (known.has(id) ? id : 'REPLACEMENT');
  const out: Record<string, unknown> = {};
  for (const u of (await iam.send(new ListUsersCommand({}))).Users ?? []) {
    const UserName = u.UserName!;
    const keys = (await iam.send(new ListAccessKeysCommand({ UserName }))).AccessKeyMetadata ?? [];
    const tags = (await iam.send(new ListUserTagsCommand({ UserName }))).Tags ?? [];
    out[`user ${UserName}`] = {
      keys: keys.map((k) => `${key(k.AccessKeyId!)} ${k.Status}`).sort(),
      inline: ((await iam.send(new ListUserPoliciesCommand({ UserName }))).PolicyNames ?? []).sort(),
      attached: ((await iam.send(new ListAttachedUserPoliciesCommand({ UserName }))).AttachedPolicies ?? []).map((p) => p.PolicyArn).sort(),
      groups: ((await iam.send(new ListGroupsForUserCommand({ UserName }))).Groups ?? []).map((g) => g.GroupName).sort(),
      password: await iam.send(new GetLoginProfileCommand({ UserName })).then(
        () => true,
        () => false,
      ),
      tags: tags
        .filter((t) => t.Key!.startsWith('rollcall:'))
        .map((t) => `${t.Key!.replace(/AKIA\w+/, (id) => key(id))}=${/^\d{4}-\d\d-\d\dT/.test(t.Value ?? '') ? 'TIME' : (t.Value ?? '').replace(/AKIA\w+/g, (id) => key(id))}`)
        .sort(),
    };
  }
  for (const r of (await iam.send(new ListRolesCommand({}))).Roles ?? []) {
    const RoleName = r.RoleName!;
    out[`role ${RoleName}`] = {
      inline: ((await iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames ?? []).sort(),
      attached: ((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName }))).AttachedPolicies ?? []).map((p) => p.PolicyArn).sort(),
    };
  }
  out.policies = ((await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? []).map((p) => p.PolicyName).sort();
  return out;
}

/** No key exists whose secret nobody holds: every key rollcall created is the one its secrets file names. */
async function orphanKeys(iam: IAMClient, seeded: SeededAccount, secretsDir: string): Promise<string[]> {
  const known = new Set(Object.values(seeded.keys));
  const saved = new Set(
    (existsSync(secretsDir) ? readdirSync(secretsDir) : []).map((f) => /^aws_access_key_id = (\S+)$/m.exec(readFileSync(path.join(secretsDir, f), 'utf8'))?.[1]),
  );
  const orphans: string[] = [];
  for (const u of (await iam.send(new ListUsersCommand({}))).Users ?? []) {
    for (const k of (await iam.send(new ListAccessKeysCommand({ UserName: u.UserName! }))).AccessKeyMetadata ?? []) {
      if (!known.has(k.AccessKeyId!) && !saved.has(k.AccessKeyId!)) orphans.push(`${u.UserName} ${k.AccessKeyId}`);
    }
  }
  return orphans;
}

interface Run {
  dir: string;
  planFile: string;
  secretsDir: string;
  approve: string;
}

let planText: string;
let seeded: SeededAccount;
let applied: Record<string, unknown>;
let undone: Record<string, unknown>;
let writes: number;
/** The changes an uninterrupted run sends, by operation, sorted. */
let referenceWrites: string[];
let proxy: KillProxy;

/** A freshly seeded account (the same ids every time) and the reviewed plan in a new folder. */
async function fresh(): Promise<Run> {
  seeded = await seedAccount();
  const dir = workDir();
  const planFile = path.join(dir, 'plan.json');
  writeFileSync(planFile, planText);
  return { dir, planFile, secretsDir: path.join(dir, 'secrets'), approve: (JSON.parse(planText) as { digest: string }).digest.slice(0, 12) };
}

const applyArgs = (r: Run) => ['apply', r.planFile, '--yes', '--approve', r.approve, '--secrets-dir', r.secretsDir];

beforeAll(async () => {
  proxy = await startKillProxy(emulatorEndpoint());
  seeded = await seedAccount();
  const dir = workDir();
  const planned = await runCli(['plan', '-q', '-b', 'baselines/example.yaml', '--destructive', '--regions', 'us-east-1', '-o', path.join(dir, 'plan.json')]);
  expect(planned.code, planned.stderr).toBe(0);
  planText = readFileSync(path.join(dir, 'plan.json'), 'utf8');

  // The uninterrupted run: its end state, its undo's end state, and how many changes it sends.
  const r = await fresh();
  const clients = makeClients();
  try {
    proxy.calls.length = 0;
    const a = await start(applyArgs(r), proxy.endpoint).done;
    expect(a.code, a.stderr).toBe(4); // the manual steps wait for a person
    writes = proxy.calls.filter((c) => c.write).length;
    referenceWrites = proxy.calls.filter((c) => c.write).map((c) => c.operation).sort();
    applied = await iamState(clients.iam(), seeded);
    const u = await runCli(['undo', `${r.planFile}.journal`, '--yes']);
    expect(u.code, u.stdout + u.stderr).toBe(0);
    undone = await iamState(clients.iam(), seeded);
  } finally {
    clients.destroy();
  }
}, 180_000);

afterAll(() => proxy?.close());

describe('kill -9 between a change and its journal line, at every change of the seeded compromise', () => {
  it('the plan makes enough changes to be worth killing', () => {
    expect(writes).toBeGreaterThanOrEqual(15);
  });

  it('killed at each change in turn: resume reaches the uninterrupted end state, and undo the uninterrupted undo', async () => {
    const clients = makeClients();
    try {
      for (let k = 1; k <= writes; k++) {
        const r = await fresh();
        const at = `killed at change ${k} of ${writes}`;
        const run = start(applyArgs(r), proxy.endpoint);
        proxy.killAt(k, () => run.child.kill('SIGKILL'));
        const killed = await run.done;
        expect(killed.signal, `${at}: ${killed.stdout}${killed.stderr}`).toBe('SIGKILL');

        const resumed = await runCli(applyArgs(r));
        expect(resumed.code, `${at}: ${resumed.stdout}${resumed.stderr}`).toBe(4);
        expect(resumed.stdout, at).not.toMatch(/^(failed|refused|blocked) /m);
        expect(await orphanKeys(clients.iam(), seeded, r.secretsDir), at).toEqual([]);
        expect(await iamState(clients.iam(), seeded), at).toEqual(applied);

        const undo = await runCli(['undo', `${r.planFile}.journal`, '--yes']);
        expect(undo.code, `${at}: ${undo.stdout}${undo.stderr}`).toBe(0);
        expect(undo.stdout, at).not.toMatch(/^failed /m);
        expect(await iamState(clients.iam(), seeded), at).toEqual(undone);
        expect(existsSync(`${r.planFile}.journal.lock`), at).toBe(false);
        rmSync(r.dir, { recursive: true, force: true });
      }
    } finally {
      proxy.killAt(0, () => {});
      clients.destroy();
    }
  }, 900_000);
});

describe('two runs at once', () => {
  it('two applies of one plan: exactly one runs, the other is refused naming it, no change is sent twice', async () => {
    const r = await fresh();
    proxy.calls.length = 0;
    const held = proxy.holdNextWrite();
    const first = start(applyArgs(r), proxy.endpoint);
    await held.reached; // the first run is inside its first change, holding the lock
    // The second run goes through a proxy of its own, which sees every call it makes.
    const own = await startKillProxy(emulatorEndpoint());
    try {
      const second = await start(applyArgs(r), own.endpoint).done;
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/rollcall: refused: another run holds .*plan\.json\.journal\.lock: rollcall apply .* \(pid \d+ on /);
      expect(own.calls.filter((c) => c.write)).toEqual([]);
    } finally {
      await own.close();
    }
    held.release();
    expect((await first.done).code).toBe(4);
    // Between them, the two runs made the changes of one uninterrupted run.
    expect([...new Set(proxy.calls.filter((c) => c.write).map((c) => c.operation))].sort()).toEqual([...new Set(referenceWrites)].sort());
    const lines = readFileSync(`${r.planFile}.journal`, 'utf8').split('\n').filter((l) => l !== '');
    expect(() => lines.map((l) => JSON.parse(l) as unknown)).not.toThrow();
  });

  it('an undo while apply runs is refused; afterwards it runs', async () => {
    const r = await fresh();
    const held = proxy.holdNextWrite();
    const first = start(applyArgs(r), proxy.endpoint);
    await held.reached;
    // The journal exists once apply has its lock.
    const undo = await runCli(['undo', `${r.planFile}.journal`, '--yes']);
    expect(undo.code).toBe(2);
    expect(undo.stderr).toMatch(/another run holds .*\.lock: rollcall apply/);
    held.release();
    expect((await first.done).code).toBe(4);
    expect((await runCli(['undo', `${r.planFile}.journal`, '--yes'])).code).toBe(0);
  });
});
