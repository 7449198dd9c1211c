/**
 * What the history rules plan: the attacker's live role sessions revoked, a
 * user's session and federation tokens bound by its quarantine, the trust of
 * a declared role the attacker edited restored, and, for sessions obtained
 * with root credentials, a warning that only their expiry ends them.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import { makePlan } from '../../../src/plan/planner.js';
import { withEvidence } from '../../../src/timeline/evidence.js';
import { event, historyFor, roleArn, rootIdentity } from '../../helpers/history.js';
import { NOW, baseline, inventory, role, root, user } from '../../helpers/resources.js';

const EXPOSED = 'AKIAEXPOSED000000001';
const b = baseline({
  iam: { users: [{ name: 'ci' }], roles: [{ name: 'org-access', trustedPrincipals: ['arn:aws:iam::111111111111:root'] }] },
  incident: { exposedKeys: [EXPOSED], since: '2026-11-01T00:00:00Z' },
});
const sts = 'sts.amazonaws.com';
const resources = [
  user('ci'),
  role('org-access', ['arn:aws:iam::111111111111:root', 'arn:aws:iam::666666666666:root'], {
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::666666666666:root'] }, Action: 'sts:AssumeRole' }] },
  }),
  root(),
];
const events = [
  event({ time: '2026-11-22T10:00:00Z', source: 'iam.amazonaws.com', name: 'UpdateAssumeRolePolicy', user: 'ci', keyId: EXPOSED, request: { roleName: 'org-access' } }),
  event({ time: '2026-11-22T11:00:00Z', source: sts, name: 'AssumeRole', user: 'ci', keyId: EXPOSED, readOnly: true, request: { roleArn: roleArn('org-access'), roleSessionName: 'x' }, response: { credentials: { accessKeyId: 'ASIAROLE000000000001', expiration: 'Nov 22, 2026, 11:00:00 PM' } } }),
  event({ time: '2026-11-22T11:05:00Z', source: sts, name: 'GetSessionToken', user: 'ci', keyId: EXPOSED, readOnly: true, response: { credentials: { accessKeyId: 'ASIATOKEN00000000001', expiration: '2026-11-23T11:05:00Z' } } }),
  event({ time: '2026-11-22T11:40:00Z', source: sts, name: 'GetSessionToken', identity: rootIdentity('AKIAROOT000000000001'), readOnly: true, response: { credentials: { accessKeyId: 'ASIAROOT000000000001' } } }),
];
const rules = loadRules([builtinRulesDir()]);

function planWith(seeds: string[]) {
  const bb = { ...b, incident: { ...b.incident, exposedKeys: seeds } };
  const history = historyFor({ events }, resources, bb);
  const inv = inventory(resources);
  const violations = withEvidence(evaluate({ inventory: inv, baseline: bb, rules, now: NOW, history }).violations, history);
  return makePlan({ inventory: inv, baseline: bb, violations, now: NOW, version: '9.9.9', destructive: false, rootSessions: history.rootSessions }).plan;
}

describe('planning from the history', () => {
  it("revokes the role's sessions, quarantines the user whose tokens the attacker holds, restores the declared trust", () => {
    const plan = planWith([EXPOSED]);
    const ids = plan.steps.map((s) => s.id);
    expect(ids).toContain('revokeRoleSessions role/org-access');
    expect(ids).toContain('quarantineUser user/ci');
    expect(ids).toContain('restoreRoleTrust role/org-access');
    expect(plan.warnings?.some((w) => w.code === 'root-sessions')).toBe(false);
  });

  it("revokes the sessions of the role an instance the attacker launched runs with: AWS gave them, and they outlive the instance", () => {
    const ec2Role = role('web-app', ['ec2.amazonaws.com']);
    const launched = [
      event({ time: '2026-11-22T11:20:00Z', region: 'eu-west-1', source: 'ec2.amazonaws.com', name: 'RunInstances', user: 'ci', keyId: EXPOSED, response: { instancesSet: { items: [{ instanceId: 'i-0attacker' }] } } }),
      event({
        time: '2026-11-22T11:30:00Z',
        region: 'eu-west-1',
        source: 'ec2.amazonaws.com',
        name: 'AuthorizeSecurityGroupIngress',
        identity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/web-app/i-0attacker', accessKeyId: 'ASIAINSTANCE00000001', sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn('web-app') } } },
        request: { groupId: 'sg-1' },
      }),
    ];
    const bb = { ...b, iam: { ...b.iam, roles: [...(b.iam?.roles ?? []), { name: 'web-app', trustedPrincipals: ['ec2.amazonaws.com'] }] } };
    const all = [...resources, ec2Role];
    const history = historyFor({ events: launched }, all, bb);
    const inv = inventory(all);
    const violations = withEvidence(evaluate({ inventory: inv, baseline: bb, rules, now: NOW, history }).violations, history);
    const plan = makePlan({ inventory: inv, baseline: bb, violations, now: NOW, version: '9.9.9', destructive: false, rootSessions: history.rootSessions }).plan;
    expect(plan.steps.map((s) => s.id)).toContain('revokeRoleSessions role/web-app');
    expect(violations.find((v) => v.ruleId === 'iam-role-attacker-session-active')?.subject).toBe('role/web-app');
  });

  it('warns that sessions obtained with root credentials end only when they expire, and when', () => {
    const plan = planWith([EXPOSED, 'AKIAROOT000000000001']);
    const w = plan.warnings!.find((x) => x.code === 'root-sessions')!;
    expect(w.text).toContain('ASIAROOT000000000001 (GetSessionToken, 2026-11-22T11:40:00.000Z)');
    expect(w.text).toContain('the last ends 2026-11-22T12:40:00.000Z');
    expect(w.text).toContain('only their expiry');
    // the root rule's review step says the same to whoever works through the plan
    expect(plan.steps.find((s) => s.id === 'manualReview root/root')?.instructions).toMatch(/only its expiry does/);
  });

  it("carries the plan's time in the revocation step: a cut-off older than it is moved forward when applied", () => {
    const revoke = planWith([EXPOSED]).steps.find((s) => s.id === 'revokeRoleSessions role/org-access')!;
    expect(revoke.target.ref).toMatchObject({ notBefore: NOW.toISOString() });
  });

  it("warns of the attacker's sessions of another account's role, naming the role and the account that must revoke them", () => {
    const foreignRole = 'arn:aws:iam::999999999999:role/partner-admin';
    const assumed = [
      event({ time: '2026-11-22T11:00:00Z', source: sts, name: 'AssumeRole', user: 'ci', keyId: EXPOSED, readOnly: true, request: { roleArn: foreignRole, roleSessionName: 'x' }, response: { credentials: { accessKeyId: 'ASIAFOREIGN000000001', expiration: '2026-11-22T23:00:00Z' } } }),
    ];
    const history = historyFor({ events: assumed }, resources, b);
    const inv = inventory(resources);
    const violations = withEvidence(evaluate({ inventory: inv, baseline: b, rules, now: NOW, history }).violations, history);
    const plan = makePlan({ inventory: inv, baseline: b, violations, now: NOW, version: '9.9.9', destructive: false, rootSessions: history.rootSessions, foreignRoleSessions: history.foreignRoleSessions }).plan;
    const w = plan.warnings!.find((x) => x.code === 'foreign-role-sessions')!;
    expect(w.text).toContain(foreignRole);
    expect(w.text).toContain('Revoke that role\'s sessions in account 999999999999');
    expect(w.text).toContain('ASIAFOREIGN000000001');
    // expired: nothing to warn of
    const later = new Date('2026-11-23T00:00:00Z');
    const quiet = makePlan({ inventory: inv, baseline: b, violations: [], now: later, version: '9.9.9', destructive: false, foreignRoleSessions: history.foreignRoleSessions }).plan;
    expect(quiet.warnings?.some((x) => x.code === 'foreign-role-sessions')).toBe(false);
  });

  it('an expired root session warns of nothing', () => {
    const later = new Date('2026-11-22T13:00:00Z');
    const bb = { ...b, incident: { ...b.incident, exposedKeys: [EXPOSED, 'AKIAROOT000000000001'] } };
    const history = historyFor({ events }, resources, bb, undefined, later);
    const plan = makePlan({ inventory: inventory(resources), baseline: bb, violations: [], now: later, version: '9.9.9', destructive: false, rootSessions: history.rootSessions }).plan;
    expect(plan.warnings ?? []).toEqual([]);
  });
});
