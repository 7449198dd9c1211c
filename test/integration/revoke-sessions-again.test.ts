/**
 * A role the attacker assumed again after a first revocation, end to end
 * against the emulator: the role already carries rollcall's revocation with
 * an old cut-off; the timeline shows a session issued after it. The real
 * collector reads the revocation (the role's inline policy), the join counts
 * only the new session as live, the planner plans the revocation again with
 * the plan's time, and apply moves the cut-off forward instead of calling the
 * old one done. A second audit then finds no live session (nothing to plan
 * again); undo puts the old revocation back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateRoleCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { undoJournal } from '../../src/apply/undo.js';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/collect/collect.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../src/load/rules.js';
import type { Baseline } from '../../src/model/baseline.js';
import { makePlan } from '../../src/plan/planner.js';
import { event, historyFor, roleArn } from '../helpers/history.js';
import { resetEmulator } from '../helpers/emulator.js';
import { ACCOUNT } from '../helpers/resources.js';

const ROLE = 'org-access';
const EXPOSED = 'AKIAEXPOSED000000001';
const RULES = loadRules([builtinRulesDir()]).filter((r) => r.id === 'iam-role-attacker-session-active');
const OLD_CUTOFF = '2026-11-01T00:00:00.000Z';
const OLD = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'RollcallRevokeOlderSessions', Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': OLD_CUTOFF } } }] });
const baseline: Baseline = { version: 1, account: { id: ACCOUNT }, incident: { exposedKeys: [EXPOSED], since: '2026-10-15T00:00:00Z' } };
/** Sessions the attacker obtained: one before the old revocation, one after it (no end in the records). */
const assume = (time: string, keyId: string) =>
  event({ time, source: 'sts.amazonaws.com', name: 'AssumeRole', user: 'ci', keyId: EXPOSED, readOnly: true, request: { roleArn: roleArn(ROLE), roleSessionName: 's' }, response: { credentials: { accessKeyId: keyId } } });
const EVENTS = [assume('2026-10-20T00:00:00Z', 'ASIABEFORE0000000001'), assume('2026-11-20T00:00:00Z', 'ASIAAGAIN00000000001')];

let clients: AwsClients;
let iam: IAMClient;
let dir: string;

beforeEach(async () => {
  await resetEmulator();
  clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
  iam = clients.iam();
  await iam.send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }] }) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'rollcall-revoke-sessions', PolicyDocument: OLD }));
  dir = mkdtempSync(path.join(tmpdir(), 'rollcall-revoke-'));
});
afterEach(() => {
  clients.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function audit() {
  const now = new Date();
  const inventory = await collectInventory(clients, { now, regions: ['us-east-1'] });
  expect(inventory.gaps).toEqual([]);
  const history = historyFor({ events: EVENTS, window: { since: '2026-10-01T00:00:00Z', until: now.toISOString() }, regions: ['us-east-1'] }, inventory.resources, baseline, inventory.regions, now, { collectedAt: inventory.collectedAt });
  const { violations } = evaluate({ inventory, baseline, rules: RULES, now, history });
  return { now, inventory, history, violations };
}

const cutoffNow = async () => {
  const doc = JSON.parse(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'rollcall-revoke-sessions' }))).PolicyDocument!));
  return doc.Statement[0].Condition.DateLessThan['aws:TokenIssueTime'] as string;
};

describe('revoking a role again (emulator, real collector, planner, apply and undo)', () => {
  it('moves an older cut-off forward, after which no session is live; undo puts the older one back', async () => {
    const first = await audit();
    const sessions = first.history.byResource.get(`iam.role\u0000global\u0000${ROLE}`)!.sessions;
    expect(sessions.map((s) => [s.accessKeyId, s.revokedAt])).toEqual([['ASIABEFORE0000000001', OLD_CUTOFF], ['ASIAAGAIN00000000001', undefined]]);
    expect(first.violations.map((v) => [v.status, v.subject])).toEqual([['fail', `role/${ROLE}`]]);

    const plan = makePlan({ inventory: first.inventory, baseline, violations: first.violations, now: first.now, version: '0.0.0-test', destructive: false }).plan;
    const revoke = plan.steps.find((s) => s.id === `revokeRoleSessions role/${ROLE}`)!;
    expect(revoke.target.ref.notBefore).toBe(plan.createdAt);
    const applied = await applyPlan({ ...plan, steps: [revoke] }, { clients, planFile: path.join(dir, 'plan.json'), secretsDir: path.join(dir, 'secrets'), out: () => {}, log: () => {} });
    expect(applied.steps.map((s) => [s.id, s.status])).toEqual([[revoke.id, 'done']]);
    expect(Date.parse(await cutoffNow())).toBeGreaterThanOrEqual(Date.parse(plan.createdAt));

    const second = await audit();
    expect(second.violations).toEqual([]);

    const undone = await undoJournal({ clients, journalFile: applied.journalFile });
    expect(undone.exitCode).toBe(0);
    expect(await cutoffNow()).toBe(OLD_CUTOFF);
  });
});
