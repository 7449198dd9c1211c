import { existsSync, readFileSync, statSync } from 'node:fs';
import { GetRolePolicyCommand, GetUserPolicyCommand, ListUserTagsCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyOptions } from '../../src/apply/apply.js';
import { identify, type RunIdentity } from '../../src/apply/guards.js';
import { replacementKeyFile } from '../../src/apply/executors/createReplacementKey.js';
import { undoJournal } from '../../src/apply/undo.js';
import type { AwsClients } from '../../src/aws/clients.js';
import type { SeededAccount } from '../../src/demo/seed-compromise.js';
import type { Plan, PlanStep } from '../../src/model/plan.js';
import { compromisePlan, inTemp, makeClients, seedAccount, snapshot, ADMIN } from '../helpers/apply-fixture.js';
import { makePlan } from '../helpers/plans.js';
import { tempDir } from '../unit/apply/fakes.js';

let seeded: SeededAccount;
let clients: AwsClients;
let caller: RunIdentity;
let plan: Plan;
let steps: Record<string, PlanStep>;
let dir: string;
let out: string[];
let logs: string[];

beforeEach(async () => {
  seeded = await seedAccount();
  clients = makeClients();
  caller = await identify(clients);
  ({ plan, steps } = await compromisePlan(clients.iam(), seeded, caller));
  dir = tempDir();
  out = [];
  logs = [];
});
afterEach(() => clients.destroy());

const apply = (o: Partial<ApplyOptions> = {}) => applyPlan(plan, { clients, ...inTemp(dir), out: (l) => out.push(l), log: (l) => logs.push(l), ...o });
/** The user's `rollcall:deactivated:*` tags, `key=value`. */
const deactivationTags = async (user: string) =>
  ((await clients.iam().send(new ListUserTagsCommand({ UserName: user }))).Tags ?? []).filter((t) => t.Key?.startsWith('rollcall:deactivated:')).map((t) => `${t.Key}=${t.Value}`);
const decode = (doc: string | undefined) => JSON.parse(decodeURIComponent(doc ?? '')) as { Statement: Record<string, unknown>[] };

describe('apply on the seeded compromise (emulator)', () => {
  it('deactivates, quarantines, detaches, removes from the group, deletes the password and inline grant, revokes sessions', async () => {
    const before = await snapshot(clients.iam());
    const started = Date.now();
    const result = await apply();
    const finished = Date.now();
    expect(result.steps.filter((s) => s.status !== 'done')).toEqual([]);
    expect(result.exitCode).toBe(0);

    const after = await snapshot(clients.iam());
    const { backupAdmin, ciDeployerSecond, ciDeployer, legacyBot } = seeded.keys;
    const replacement = (after['legacy-bot keys'] as string[]).find((k) => !k.startsWith(legacyBot))!;
    expect(after).toEqual({
      ...before,
      'backup-admin keys': [`${backupAdmin} Inactive`],
      'backup-admin inline': ['rollcall-quarantine'],
      'backup-admin attached': [],
      'backup-admin password': false,
      'ci-deployer keys': [`${ciDeployer} Active`, `${ciDeployerSecond} Inactive`].sort(),
      'legacy-bot keys': [`${legacyBot} Active`, replacement].sort(),
      'legacy-bot inline': ['legacy-s3-read'],
      'legacy-bot groups': [],
      'support-audit inline': ['rollcall-quarantine', 'rollcall-revoke-sessions'],
    });
    expect(replacement).toMatch(/ Active$/);

    const iam = clients.iam();
    const quarantine = decode((await iam.send(new GetUserPolicyCommand({ UserName: 'backup-admin', PolicyName: 'rollcall-quarantine' }))).PolicyDocument);
    expect(quarantine.Statement).toEqual([{ Sid: 'RollcallQuarantine', Effect: 'Deny', Action: '*', Resource: '*' }]);
    const revoke = decode((await iam.send(new GetRolePolicyCommand({ RoleName: 'support-audit', PolicyName: 'rollcall-revoke-sessions' }))).PolicyDocument);
    expect(revoke.Statement[0]).toMatchObject({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': expect.any(String) } } });
    const cutoff = Date.parse((revoke.Statement[0]!.Condition as { DateLessThan: Record<string, string> }).DateLessThan['aws:TokenIssueTime']!);
    // Sessions issued before the run are cut off: the cutoff is the run's own time, however long the run took.
    expect(cutoff).toBeGreaterThanOrEqual(started);
    expect(cutoff).toBeLessThanOrEqual(finished);
  });

  it('is idempotent: applied again (a fresh journal), every step is already done', async () => {
    await apply();
    const before = await snapshot(clients.iam());
    const again = await apply({ journalFile: `${dir}/second.journal` });
    expect(again.steps.map((s) => [s.id, s.status])).toEqual(plan.steps.map((s) => [s.id, 'already']));
    expect(again.exitCode).toBe(0);
    expect(await snapshot(clients.iam())).toEqual(before);
  });

  it('with the same journal, repeats nothing', async () => {
    await apply();
    const again = await apply();
    expect(new Set(again.steps.map((s) => s.status))).toEqual(new Set(['resumed']));
  });

  it('dry run: reports what it would do and changes nothing', async () => {
    const before = await snapshot(clients.iam());
    const result = await apply({ dryRun: true });
    expect(new Set(result.steps.map((s) => s.status))).toEqual(new Set(['would-run']));
    expect(await snapshot(clients.iam())).toEqual(before);
    expect(existsSync(`${inTemp(dir).planFile}.journal`)).toBe(false);
  });

  it('refuses a step whose target changed since planning', async () => {
    const changed = { ...steps.attackerKey!, precondition: { exists: true, props: { user: 'backup-admin', status: 'Active', createDate: '2001-01-01T00:00:00.000Z' } } };
    plan = makePlan([changed], { caller: plan.caller });
    const result = await apply();
    expect(result.steps[0]).toMatchObject({ status: 'refused' });
    expect(result.steps[0]!.detail).toMatch(/createDate was "2001-01-01T00:00:00.000Z", is "20/);
    expect(result.exitCode).toBe(1);
  });

  it('tags the user of each key it deactivates with the time of the deactivation; undo removes the tags', async () => {
    const start = new Date().toISOString();
    const applied = await apply();
    const end = new Date().toISOString();
    const { backupAdmin, ciDeployerSecond } = seeded.keys;
    const [adminTag] = await deactivationTags('backup-admin');
    expect(adminTag).toMatch(new RegExp(`^rollcall:deactivated:${backupAdmin}=\\d{4}-.*Z$`));
    const at = adminTag!.split('=')[1]!;
    expect(at >= start && at <= end).toBe(true);
    expect(await deactivationTags('ci-deployer')).toEqual([expect.stringMatching(new RegExp(`^rollcall:deactivated:${ciDeployerSecond}=`))]);
    expect(await deactivationTags('legacy-bot')).toEqual([]); // not deactivated by this plan
    await undoJournal({ clients, journalFile: applied.journalFile });
    for (const user of ['backup-admin', 'ci-deployer']) expect(await deactivationTags(user)).toEqual([]);
  });

  it('undo restores the deactivated keys, the quarantined user and role, the detached policy, the group and the inline grant', async () => {
    const before = await snapshot(clients.iam());
    const applied = await apply();
    const replacementFile = replacementKeyFile(inTemp(dir).secretsDir, 'legacy-bot');
    expect(existsSync(replacementFile)).toBe(true);
    const undone = await undoJournal({ clients, journalFile: applied.journalFile, out: (l) => out.push(l) });
    expect(undone.exitCode).toBe(0);
    expect(undone.steps.filter((s) => s.status === 'irreversible').map((s) => s.id)).toEqual([steps.loginProfile!.id]);
    expect(await snapshot(clients.iam())).toEqual({ ...before, 'backup-admin password': false });
    expect(existsSync(replacementFile)).toBe(false);
    const again = await undoJournal({ clients, journalFile: applied.journalFile });
    expect(new Set(again.steps.map((s) => s.status))).toEqual(new Set(['resumed', 'irreversible']));
  });

  it('writes the replacement key’s secret to a new 0600 file, and nowhere else', async () => {
    const result = await apply();
    const file = replacementKeyFile(inTemp(dir).secretsDir, 'legacy-bot');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const keyId = /aws_access_key_id = (\S+)/.exec(text)![1]!;
    const secret = /aws_secret_access_key = (\S+)/.exec(text)![1]!;
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect(result.steps.find((s) => s.action === 'createReplacementKey')).toMatchObject({ status: 'done' });
    const journal = readFileSync(result.journalFile, 'utf8');
    expect(journal).toContain(keyId);
    for (const place of [journal, out.join('\n'), logs.join('\n'), JSON.stringify(result)]) expect(place).not.toContain(secret);
    expect(logs.join('\n')).toContain(`created access key ${keyId} for user legacy-bot; its secret is in ${file} (mode 0600)`);
    expect(JSON.stringify(await snapshot(clients.iam()))).toContain(keyId);
  });

  it('detaches from the quarantined user only the planned policy', async () => {
    await apply();
    const left = await snapshot(clients.iam());
    expect(left['backup-admin attached']).not.toContain(ADMIN);
    expect(left['support-audit attached']).toEqual([ADMIN]);
  });
});
