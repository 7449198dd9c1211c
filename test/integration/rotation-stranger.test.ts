/**
 * Rotation never trusts a stranger's key, end to end against the emulator: an
 * exposed key and an undeclared key on one user, collected, audited, planned
 * by the real planner and applied. With --destructive the stranger key is
 * deleted before a fresh replacement is created (tagged as the pair on the
 * user), and the exposed key is deactivated only once the switch is marked
 * done. Without it the stranger key is deactivated, no replacement is made,
 * and the plan says why.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListAccessKeysCommand, ListUserTagsCommand, UntagUserCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyOptions, type ApplyResult } from '../../src/apply/apply.js';
import { replacementKeyFile } from '../../src/apply/executors/createReplacementKey.js';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/collect/collect.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../src/load/rules.js';
import type { Baseline } from '../../src/model/baseline.js';
import type { Plan } from '../../src/model/plan.js';
import { makePlan } from '../../src/plan/planner.js';
import { resetEmulator } from '../helpers/emulator.js';
import { ACCOUNT } from '../helpers/resources.js';

const USER = 'app-bot';
const RULES = loadRules([builtinRulesDir()]);

let clients: AwsClients;
let iam: IAMClient;
let dir: string;
let exposed: string;
let stranger: string;

beforeEach(async () => {
  await resetEmulator();
  clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
  iam = clients.iam();
  await iam.send(new CreateUserCommand({ UserName: USER }));
  // The application's key, now exposed; then the key an intruder added with it.
  exposed = (await iam.send(new CreateAccessKeyCommand({ UserName: USER }))).AccessKey!.AccessKeyId!;
  stranger = (await iam.send(new CreateAccessKeyCommand({ UserName: USER }))).AccessKey!.AccessKeyId!;
  dir = mkdtempSync(path.join(tmpdir(), 'rollcall-rotation-'));
});
afterEach(() => {
  clients.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const baseline = (...keys: string[]): Baseline => ({
  version: 1,
  account: { id: ACCOUNT },
  regions: { allowed: ['us-east-1'] },
  iam: { users: [{ name: USER, accessKeys: keys.map((id) => ({ id })) }] },
  incident: { exposedKeys: [exposed] },
});

async function plan(destructive: boolean, b: Baseline = baseline(exposed)): Promise<{ plan: Plan; warnings: string[] }> {
  const now = new Date();
  const inventory = await collectInventory(clients, { now, regions: ['us-east-1'] });
  expect(inventory.gaps).toEqual([]);
  const { violations } = evaluate({ inventory, baseline: b, rules: RULES, now });
  return makePlan({ inventory, baseline: b, violations, now, version: '0.0.0-test', destructive });
}

const apply = (p: Plan, o: Partial<ApplyOptions> = {}): Promise<ApplyResult> =>
  applyPlan(p, { clients, planFile: path.join(dir, 'plan.json'), secretsDir: path.join(dir, 'secrets'), out: () => {}, log: () => {}, ...o });
const statusOf = (r: ApplyResult) => Object.fromEntries(r.steps.map((s) => [s.id, s.status]));
const keys = async () => Object.fromEntries(((await iam.send(new ListAccessKeysCommand({ UserName: USER }))).AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId!, k.Status!]));
const rollcallTags = async () =>
  Object.fromEntries(((await iam.send(new ListUserTagsCommand({ UserName: USER }))).Tags ?? []).filter((t) => t.Key!.startsWith('rollcall:')).map((t) => [t.Key!, t.Value!]));

const SWITCH = () => `manualSwitchCredentials accessKey/${exposed}`;
const DEACTIVATE = () => `deactivateAccessKey accessKey/${exposed}`;
const CREATE = `createReplacementKey accessKey/new:${USER}`;

describe('rotation with a stranger key on the exposed key\'s user (emulator, real planner, apply)', () => {
  it('--destructive: the stranger key is deleted first, a fresh replacement is created and tagged as the pair, the exposed key is deactivated only after the switch', async () => {
    const { plan: p } = await plan(true);
    const rotation = p.steps.filter((s) => s.target.ref.user === USER).map((s) => s.id);
    expect(rotation).toEqual([`deactivateAccessKey accessKey/${stranger}`, `deleteAccessKey accessKey/${stranger}`, CREATE, SWITCH(), DEACTIVATE()]);
    expect(p.steps.find((s) => s.id === CREATE)!.dependsOn).toEqual([`deleteAccessKey accessKey/${stranger}`]);
    const sw = p.steps.find((s) => s.id === SWITCH())!;
    expect(sw.target.ref.replacement).toBe(`new:${USER}`);
    expect(sw.instructions).toContain(`apply first deletes access key ${stranger}`);

    // First run: everything but the switch (a person's) and the exposed key's deactivation, which waits for it.
    const first = await apply(p);
    expect(statusOf(first)).toMatchObject({
      [`deactivateAccessKey accessKey/${stranger}`]: 'done',
      [`deleteAccessKey accessKey/${stranger}`]: 'done',
      [CREATE]: 'done',
      [SWITCH()]: 'pending',
      [DEACTIVATE()]: 'waiting',
    });
    const now = await keys();
    expect(Object.keys(now)).not.toContain(stranger);
    const fresh = Object.keys(now).filter((k) => k !== exposed);
    expect(fresh).toHaveLength(1);
    const replacement = fresh[0]!;
    expect(now).toEqual({ [exposed]: 'Active', [replacement]: 'Active' });
    expect(readFileSync(replacementKeyFile(path.join(dir, 'secrets'), USER), 'utf8')).toContain(`aws_access_key_id = ${replacement}`);
    // The pair, recorded on the user; the stranger's deactivation tag went with it.
    expect(await rollcallTags()).toEqual({ [`rollcall:replacement:${replacement}`]: exposed });

    // A run stopped between the key and its tag (the tag removed here): applied again with a fresh journal, the
    // step finds its key and writes the missing tag, through apply's write-ahead clients.
    await iam.send(new UntagUserCommand({ UserName: USER, TagKeys: [`rollcall:replacement:${replacement}`] }));
    const rerun = await apply(p, { journalFile: path.join(dir, 'rerun.journal') });
    expect(statusOf(rerun)[CREATE]).toBe('already');
    expect(await rollcallTags()).toEqual({ [`rollcall:replacement:${replacement}`]: exposed });
    expect(await keys()).toEqual({ [exposed]: 'Active', [replacement]: 'Active' });

    // Planned again before the switch is done (the baseline not yet updated): the user's other key is now rollcall's
    // replacement, found by its tag; the switch names it, and nothing is created or deleted.
    const again = await plan(true);
    const sw2 = again.plan.steps.find((s) => s.id === SWITCH())!;
    expect(sw2.target.ref.replacement).toBe(replacement);
    expect(sw2.description).toContain(`to the replacement key ${replacement}`);
    expect(sw2.instructions).toContain(`user ${USER}'s tag rollcall:replacement:${replacement} says so`);
    expect(again.plan.steps.map((s) => s.action)).not.toContain('createReplacementKey');
    expect(again.plan.steps.find((s) => s.id === `deleteAccessKey accessKey/${replacement}`)).toBeUndefined();

    // The person switched the application to the replacement: the exposed key's deactivation runs now.
    const switched = await apply(p, { done: [SWITCH()] });
    expect(statusOf(switched)).toMatchObject({ [CREATE]: 'resumed', [SWITCH()]: 'manual-done', [DEACTIVATE()]: 'done' });
    expect(await keys()).toEqual({ [exposed]: 'Inactive', [replacement]: 'Active' });
    const tags = await rollcallTags();
    expect(tags[`rollcall:replacement:${replacement}`]).toBe(exposed);
    expect(Object.keys(tags).sort()).toEqual([`rollcall:deactivated:${exposed}`, `rollcall:replacement:${replacement}`]);
  });

  it('without --destructive: the stranger key is deactivated, no replacement is created, and the plan says what blocks the rotation', async () => {
    const { plan: p, warnings } = await plan(false);
    const rotation = p.steps.filter((s) => s.target.ref.user === USER).map((s) => s.id);
    // The two deactivations share a phase: they come in the order of the keys' (random) ids.
    expect(rotation[0]).toBe(SWITCH());
    expect(rotation.slice(1).sort()).toEqual([DEACTIVATE(), `deactivateAccessKey accessKey/${stranger}`].sort());
    expect(p.steps.find((s) => s.id === DEACTIVATE())!.dependsOn).toEqual([SWITCH()]);
    expect(p.steps.map((s) => s.action)).not.toContain('createReplacementKey');
    const sw = p.steps.find((s) => s.id === SWITCH())!;
    expect(sw.target.ref).toEqual({ user: USER, blockedBy: stranger });
    expect(sw.instructions).toContain(`Plan again with --destructive, which deletes ${stranger} before it creates the replacement`);
    expect(warnings.find((w) => w.startsWith(`Access key ${exposed} of user ${USER} cannot be rotated yet`))).toContain(`neither declared in the baseline nor the replacement rollcall created for ${exposed}`);

    const first = await apply(p);
    expect(statusOf(first)).toMatchObject({ [`deactivateAccessKey accessKey/${stranger}`]: 'done', [SWITCH()]: 'pending', [DEACTIVATE()]: 'waiting' });
    expect(await keys()).toEqual({ [exposed]: 'Active', [stranger]: 'Inactive' });
    expect(Object.keys(await rollcallTags())).toEqual([`rollcall:deactivated:${stranger}`]);
    expect(existsSync(path.join(dir, 'secrets'))).toBe(false);
  });

  it('a second key the baseline declares is the replacement, as before: nothing is contained or created', async () => {
    const { plan: p } = await plan(true, baseline(exposed, stranger));
    expect(p.steps.filter((s) => s.target.ref.user === USER).map((s) => s.id)).toEqual([SWITCH(), DEACTIVATE()]);
    expect(p.steps.find((s) => s.id === SWITCH())!.target.ref.replacement).toBe(stranger);
  });
});
