/**
 * restoreRoleTrust end to end against the emulator: a role whose trust policy
 * an intruder widened (with a legitimate statement carrying an external id),
 * collected, audited with the built-in rules, planned by the real planner and
 * applied: the role is contained first, then trusts exactly what the baseline
 * declares (the legitimate statement kept with its condition, the declared
 * service added); a trust policy changed after planning is refused; undo puts
 * the earlier document back as it was, byte for byte.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateRoleCommand, GetRoleCommand, IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyOptions, type ApplyResult } from '../../src/apply/apply.js';
import { undoJournal } from '../../src/apply/undo.js';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/collect/collect.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../src/load/rules.js';
import type { Baseline } from '../../src/model/baseline.js';
import type { Plan } from '../../src/model/plan.js';
import { makePlan } from '../../src/plan/planner.js';
import { resetEmulator } from '../helpers/emulator.js';
import { ACCOUNT } from '../helpers/resources.js';

const ROLE = 'partner-access';
const RULES = loadRules([builtinRulesDir()]);
const PARTNER = 'arn:aws:iam::111111111111:root';
const INTRUDER = 'arn:aws:iam::666666666666:root';
const partner = { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: PARTNER }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'partner-7' } } };
/** The document as the intruder left it: the partner's statement, and their own. Spacing as a person would type it. */
const WIDENED = JSON.stringify({ Version: '2012-10-17', Statement: [partner, { Effect: 'Allow', Principal: { AWS: INTRUDER }, Action: 'sts:AssumeRole' }] }, null, 1);

let clients: AwsClients;
let iam: IAMClient;
let dir: string;

beforeEach(async () => {
  await resetEmulator();
  clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
  iam = clients.iam();
  await iam.send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: WIDENED }));
  dir = mkdtempSync(path.join(tmpdir(), 'rollcall-trust-'));
});
afterEach(() => {
  clients.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const baseline: Baseline = {
  version: 1,
  account: { id: ACCOUNT },
  regions: { allowed: ['us-east-1'] },
  iam: { roles: [{ name: ROLE, trustedPrincipals: ['111111111111', 'ec2.amazonaws.com'] }] },
};

async function plan(): Promise<Plan> {
  const now = new Date();
  const inventory = await collectInventory(clients, { now, regions: ['us-east-1'] });
  expect(inventory.gaps).toEqual([]);
  const { violations } = evaluate({ inventory, baseline, rules: RULES, now });
  return makePlan({ inventory, baseline, violations, now, version: '0.0.0-test', destructive: false }).plan;
}

const apply = (p: Plan, o: Partial<ApplyOptions> = {}): Promise<ApplyResult> =>
  applyPlan(p, { clients, planFile: path.join(dir, 'plan.json'), secretsDir: path.join(dir, 'secrets'), out: () => {}, log: () => {}, ...o });
const statusOf = (r: ApplyResult) => Object.fromEntries(r.steps.map((s) => [s.id, s.status]));
const trustText = async () => decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: ROLE }))).Role!.AssumeRolePolicyDocument!);
const RESTORE = `restoreRoleTrust role/${ROLE}`;

describe('restoreRoleTrust (emulator, real collector, planner, apply and undo)', () => {
  it('contains the role, then makes it trust exactly the baseline; a new audit finds no untrusted principal; undo puts the earlier document back byte for byte', async () => {
    const p = await plan();
    const ids = p.steps.filter((s) => s.target.subject === `role/${ROLE}`).map((s) => s.id);
    expect(ids).toEqual([`quarantineRole role/${ROLE}`, `revokeRoleSessions role/${ROLE}`, RESTORE, `manualReview role/${ROLE}`]);
    const restore = p.steps.find((s) => s.id === RESTORE)!;
    expect(restore.dependsOn).toEqual([`quarantineRole role/${ROLE}`, `revokeRoleSessions role/${ROLE}`]);

    const applied = await apply(p);
    expect(statusOf(applied)).toMatchObject({ [`quarantineRole role/${ROLE}`]: 'done', [`revokeRoleSessions role/${ROLE}`]: 'done', [RESTORE]: 'done' });
    expect(JSON.parse(await trustText())).toEqual({
      Version: '2012-10-17',
      Statement: [partner, { Sid: 'RollcallBaselineTrust', Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com'] }, Action: 'sts:AssumeRole' }],
    });
    const after = await plan();
    expect(after.steps.map((s) => s.action)).not.toContain('restoreRoleTrust');

    const undone = await undoJournal({ clients, journalFile: applied.journalFile });
    expect(undone.exitCode).toBe(0);
    expect(undone.steps.find((s) => s.id === RESTORE)?.status).toBe('undone');
    expect(await trustText()).toBe(WIDENED);
  });

  it('a trust policy changed after planning is refused, and left as it is', async () => {
    const p = await plan();
    const changed = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::777777777777:root' }, Action: 'sts:AssumeRole' }] });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: ROLE, PolicyDocument: changed }));
    const only = { ...p, steps: p.steps.filter((s) => s.id === RESTORE).map((s) => ({ ...s, dependsOn: [] })) };
    const applied = await apply(only, { onChange: 'skip' });
    expect(applied.steps[0]).toMatchObject({ id: RESTORE, status: 'skipped', detail: expect.stringContaining('the target changed since planning (trustedPrincipals was') });
    expect(await trustText()).toBe(changed);
  });
});
