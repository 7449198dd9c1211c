/**
 * The timeline joined to an inventory: each event to the live resources it
 * names (by the kind of each target), the attacker's calls and sessions, and
 * where the timeline is blind; then the history rules judged on it (unknown
 * where it is blind, not judged without it) and the evidence on violations.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import { historyKey, historyOf, type History } from '../../../src/model/history.js';
import type { Resource } from '../../../src/model/resource.js';
import { withEvidence } from '../../../src/timeline/evidence.js';
import { isoTime } from '../../../src/timeline/join.js';
import { event, historyFor, roleArn, rootIdentity, userArn } from '../../helpers/history.js';
import { ACCOUNT, NOW, accessKey, attachment, baseline, fn, group, inlinePolicy, instance, inventory, loginProfile, membership, policy, role, root, spotFleet, spotRequest, user } from '../../helpers/resources.js';
import { trail } from '../rules/cloudtrail-cases.js';

const EXPOSED = 'AKIAEXPOSED000000001';
const incident = baseline({
  iam: { users: [{ name: 'ci' }], roles: [{ name: 'org-access', trustedPrincipals: ['arn:aws:iam::111111111111:root'] }] },
  incident: { exposedKeys: [EXPOSED], since: '2026-11-01T00:00:00Z' },
});
const t = (hhmm: string) => `2026-11-02T${hhmm}:00Z`;
/** As the timeline writes a time back. */
const written = (hhmm: string) => `2026-11-02T${hhmm}:00.000Z`;
const iam = 'iam.amazonaws.com';
const byExposed = { user: 'ci', keyId: EXPOSED };
const byBackdoor = { user: 'backdoor', keyId: 'AKIABACKDOOR00000001' };

/** The multi-hop scenario, and the resources it left. */
function world() {
  const events = {
    createUser: event({ time: t('10:00'), source: iam, name: 'CreateUser', ...byExposed, ip: '198.51.100.9', agent: 'evil/1.0', request: { userName: 'backdoor' }, response: { user: { userName: 'backdoor', arn: userArn('backdoor') } } }),
    createKey: event({ time: t('10:01'), source: iam, name: 'CreateAccessKey', ...byExposed, request: { userName: 'backdoor' }, response: { accessKey: { accessKeyId: 'AKIABACKDOOR00000001', userName: 'backdoor', secretAccessKey: 'NEVER' } } }),
    password: event({ time: t('10:02'), source: iam, name: 'CreateLoginProfile', ...byBackdoor, request: { userName: 'backdoor' } }),
    inline: event({ time: t('10:03'), source: iam, name: 'PutUserPolicy', ...byBackdoor, request: { userName: 'backdoor', policyName: 'all' } }),
    trust: event({ time: t('10:04'), source: iam, name: 'UpdateAssumeRolePolicy', ...byBackdoor, request: { roleName: 'org-access' } }),
    attach: event({ time: t('10:05'), source: iam, name: 'AttachRolePolicy', ...byBackdoor, request: { roleName: 'org-access', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
    group: event({ time: t('10:06'), source: iam, name: 'AddUserToGroup', ...byBackdoor, request: { userName: 'backdoor', groupName: 'admins' } }),
    version: event({ time: t('10:07'), source: iam, name: 'CreatePolicyVersion', ...byBackdoor, request: { policyArn: `arn:aws:iam::${ACCOUNT}:policy/deploy` } }),
    runEast: event({ time: t('11:00'), region: 'us-east-1', source: 'ec2.amazonaws.com', name: 'RunInstances', ...byBackdoor, response: { instancesSet: { items: [{ instanceId: 'i-east' }] } } }),
    runWest: event({ time: t('11:01'), region: 'eu-west-1', source: 'ec2.amazonaws.com', name: 'RunInstances', ...byBackdoor, response: { instancesSet: { items: [{ instanceId: 'i-west' }] } } }),
    spot: event({ time: t('11:02'), region: 'eu-west-1', source: 'ec2.amazonaws.com', name: 'RequestSpotInstances', ...byBackdoor, response: { spotInstanceRequestSet: { item: [{ spotInstanceRequestId: 'sir-1' }] } } }),
    fleet: event({ time: t('11:03'), region: 'eu-west-1', source: 'ec2.amazonaws.com', name: 'RequestSpotFleet', ...byBackdoor, response: { RequestSpotFleetResponse: { spotFleetRequestId: 'sfr-1' } } }),
    fn: event({ time: t('11:04'), region: 'eu-west-1', source: 'lambda.amazonaws.com', name: 'CreateFunction20150331', ...byBackdoor, request: { functionName: 'miner' }, response: { functionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:miner` } }),
    selectors: event({ time: t('11:05'), source: 'cloudtrail.amazonaws.com', name: 'PutEventSelectors', ...byBackdoor, request: { trailName: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` } }),
    assume: event({ time: t('12:00'), source: 'sts.amazonaws.com', name: 'AssumeRole', ...byBackdoor, readOnly: true, request: { roleArn: roleArn('org-access'), roleSessionName: 's' }, response: { credentials: { accessKeyId: 'ASIAROLE000000000001', sessionToken: 'NEVER', expiration: 'Nov 22, 2026, 1:00:00 PM' }, assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/org-access/s` } } }),
    token: event({ time: t('12:01'), source: 'sts.amazonaws.com', name: 'GetSessionToken', ...byBackdoor, readOnly: true, response: { credentials: { accessKeyId: 'ASIATOKEN00000000001', expiration: '2026-11-23T00:00:00Z' } } }),
    rootToken: event({ time: '2026-11-22T11:30:00Z', source: 'sts.amazonaws.com', name: 'GetFederationToken', identity: rootIdentity(EXPOSED), readOnly: true, request: { name: 'x' }, response: { credentials: { accessKeyId: 'ASIAROOT000000000001' }, federatedUser: { arn: `arn:aws:sts::${ACCOUNT}:federated-user/x` } } }),
    // someone else's calls on the same things, and a refused one of the attacker's
    admin: event({ time: t('09:00'), source: iam, name: 'TagUser', user: 'admin', keyId: 'AKIAADMIN00000000001', request: { userName: 'ci' } }),
    refused: event({ time: t('10:30'), source: iam, name: 'DeleteUser', ...byBackdoor, request: { userName: 'ci' }, error: 'AccessDenied' }),
  };
  const resources: Resource[] = [
    user('ci'), user('backdoor'), accessKey('AKIABACKDOOR00000001', 'backdoor'), loginProfile('backdoor'), inlinePolicy('user', 'backdoor', 'all'),
    role('org-access', ['*']), attachment('role', 'org-access', 'arn:aws:iam::aws:policy/AdministratorAccess'), group('admins'), membership('backdoor', 'admins'), policy('deploy'),
    instance('i-east', 'us-east-1'), instance('i-west', 'eu-west-1'), spotRequest('sir-1', 'eu-west-1'), spotFleet('sfr-1', 'eu-west-1'), fn('miner', 'eu-west-1'),
    trail('main', 'us-east-1', { multiRegion: true }), root(),
  ];
  return { events, resources };
}

const names = (h: History, r: Resource) => historyOf(h, r).events.map((e) => e.name);
const find = (rs: Resource[], type: string, id: string) => rs.find((r) => r.type === type && r.id === id)!;

describe('joining a timeline to the inventory', () => {
  it('gives each resource the events that named it, by the kind of each target, with who made them', () => {
    const { events, resources } = world();
    const h = historyFor({ events: Object.values(events) }, resources, incident);
    const r = (type: string, id: string) => find(resources, type, id);
    expect(names(h, r('iam.user', 'backdoor'))).toEqual(['CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'PutUserPolicy', 'AddUserToGroup']);
    expect(names(h, r('iam.user', 'ci'))).toEqual(['TagUser']); // the refused DeleteUser is not a change
    expect(names(h, r('iam.accessKey', 'AKIABACKDOOR00000001'))).toEqual(['CreateAccessKey']);
    expect(names(h, r('iam.loginProfile', 'backdoor'))).toEqual(['CreateLoginProfile']);
    expect(names(h, r('iam.inlinePolicy', 'user/backdoor/all'))).toEqual(['PutUserPolicy']);
    expect(names(h, r('iam.role', 'org-access'))).toEqual(['UpdateAssumeRolePolicy', 'AttachRolePolicy']); // AssumeRole is a session, not a change
    expect(names(h, r('iam.policyAttachment', 'role/org-access/arn:aws:iam::aws:policy/AdministratorAccess'))).toEqual(['AttachRolePolicy']);
    expect(names(h, r('iam.group', 'admins'))).toEqual(['AddUserToGroup']);
    expect(names(h, r('iam.groupMembership', 'backdoor/admins'))).toEqual(['AddUserToGroup']);
    expect(names(h, r('iam.policy', 'deploy'))).toEqual(['CreatePolicyVersion']);
    expect(names(h, r('ec2.instance', 'i-east'))).toEqual(['RunInstances']);
    expect(names(h, r('ec2.instance', 'i-west'))).toEqual(['RunInstances']);
    expect(names(h, r('ec2.spotRequest', 'sir-1'))).toEqual(['RequestSpotInstances']);
    expect(names(h, r('ec2.spotFleetRequest', 'sfr-1'))).toEqual(['RequestSpotFleet']);
    expect(names(h, r('lambda.function', 'miner'))).toEqual(['CreateFunction20150331']);
    expect(names(h, r('cloudtrail.trail', 'main'))).toEqual(['PutEventSelectors']);

    const created = historyOf(h, r('iam.user', 'backdoor')).created!;
    expect(created).toMatchObject({ name: 'CreateUser', time: written('10:00'), region: 'us-east-1', sourceIp: '198.51.100.9', userAgent: 'evil/1.0', attacker: true, hop: 0, foothold: `exposedKey:${EXPOSED}` });
    expect(created.actor).toEqual({ type: 'IAMUser', arn: userArn('ci'), accessKeyId: EXPOSED });
    expect(historyOf(h, r('ec2.instance', 'i-west')).created).toMatchObject({ attacker: true, hop: 1, foothold: 'accessKey:AKIABACKDOOR00000001' });
    expect(historyOf(h, r('iam.user', 'ci')).events[0]!.attacker).toBe(false);
    // the secret in a record never reaches a history
    expect(JSON.stringify([...h.byResource.values()])).not.toContain('NEVER');
  });

  it("puts the attacker's sessions on the role, the user and the root user behind them", () => {
    const { events, resources } = world();
    const h = historyFor({ events: Object.values(events) }, resources, incident);
    expect(historyOf(h, find(resources, 'iam.role', 'org-access')).sessions).toEqual([
      { accessKeyId: 'ASIAROLE000000000001', how: 'AssumeRole', time: written('12:00'), expiration: '2026-11-22T13:00:00.000Z', root: false, principal: `arn:aws:sts::${ACCOUNT}:assumed-role/org-access/s`, sourceIp: '203.0.113.7', hop: 2 },
    ]);
    expect(historyOf(h, find(resources, 'iam.user', 'backdoor')).sessions.map((s) => [s.accessKeyId, s.how, s.expiration])).toEqual([['ASIATOKEN00000000001', 'GetSessionToken', '2026-11-23T00:00:00.000Z']]);
    // root: no expiration in the record, so the one-hour cap
    expect(h.rootSessions.map((s) => [s.accessKeyId, s.how, s.expiration, s.root])).toEqual([['ASIAROOT000000000001', 'GetFederationToken', '2026-11-22T12:30:00.000Z', true]]);
    expect(historyOf(h, find(resources, 'account.root', 'root')).sessions).toHaveLength(1);
  });

  it('names nothing in another region or another account, and a name it cannot place', () => {
    const resources = [instance('i-east', 'eu-west-1'), user('ci')];
    const events = [
      event({ time: t('11:00'), region: 'us-east-1', source: 'ec2.amazonaws.com', name: 'RunInstances', ...byExposed, response: { instancesSet: { items: [{ instanceId: 'i-east' }] } } }),
      event({ time: t('11:00'), source: iam, name: 'CreateAccessKey', ...byExposed, request: { userName: 'arn:aws:iam::999999999999:user/ci' } }),
    ];
    const h = historyFor({ events }, resources, incident);
    expect(h.byResource.size).toBe(0);
  });

  it('reads both ways CloudTrail writes a time, and nothing else', () => {
    expect(isoTime('Nov 22, 2026, 1:00:00 PM')).toBe('2026-11-22T13:00:00.000Z');
    expect(isoTime('Nov 2, 2026, 12:05:09 AM')).toBe('2026-11-02T00:05:09.000Z');
    expect(isoTime('2026-11-23T00:00:00Z')).toBe('2026-11-23T00:00:00.000Z');
    expect(isoTime('2026-11-23T01:00:00+01:00')).toBe('2026-11-23T00:00:00.000Z');
    for (const bad of ['2026-11-23T00:00:00', 'tomorrow', '', 'March 7']) expect(isoTime(bad)).toBeUndefined();
  });
});

describe('where the timeline is blind', () => {
  const rules = loadRules([builtinRulesDir()]);
  const historyRules = rules.filter((r) => ['iam-role-attacker-session-active', 'cloudtrail-trail-selectors-changed-during-incident', 'iam-declared-role-changed-by-attacker'].includes(r.id));

  it('is nowhere for a complete timeline that covers the incident', () => {
    const { events, resources } = world();
    const h = historyFor({ events: Object.values(events) }, resources, incident);
    expect(h.blind).toEqual({ regions: new Map() });
    expect(h.notes).toEqual([]);
  });

  it('is a region it could not read, or did not read; a global type is blind wherever any region is', () => {
    const { events, resources } = world();
    const h = historyFor(
      { events: Object.values(events), regions: ['us-east-1'], gaps: [{ region: 'us-east-1', source: 'trail-bucket', operation: 's3:GetObject', error: 'AccessDenied', key: 'AWSLogs/x.json.gz' }] },
      resources,
      incident,
    );
    expect([...h.blind.regions]).toEqual([
      ['us-east-1', ['s3:GetObject (AWSLogs/x.json.gz): AccessDenied']],
      ['eu-west-1', ['not read by the timeline']],
    ]);
    const { violations } = evaluate({ inventory: inventory(resources), baseline: incident, rules: historyRules, now: NOW, history: h });
    expect(violations.every((v) => v.status === 'unknown')).toBe(true);
    expect(violations.map((v) => v.subject).sort()).toEqual(['role/*', 'role/*', 'trail/eu-west-1/*', 'trail/us-east-1/*']);
    expect(violations.find((v) => v.subject === 'trail/us-east-1/*')!.message).toBe('Cannot evaluate: the CloudTrail timeline is incomplete (s3:GetObject (AWSLogs/x.json.gz): AccessDenied)');
  });

  it('is everywhere when its window starts after the incident began, or ends before a closed incident ended, or it cannot be joined', () => {
    const late = historyFor({ events: [], window: { since: '2026-11-05T00:00:00Z', until: NOW.toISOString() } }, [], incident);
    expect(late.blind.everywhere).toBe('the timeline starts 2026-11-05T00:00:00Z, after the incident began (2026-11-01T00:00:00Z)');
    const closed = baseline({ incident: { since: '2026-11-01T00:00:00Z', until: '2026-11-10T00:00:00Z' } });
    const short = historyFor({ events: [], window: { since: '2026-10-30T00:00:00Z', until: '2026-11-09T00:00:00Z' } }, [], closed);
    expect(short.blind.everywhere).toBe('the timeline ends 2026-11-09T00:00:00Z, before the incident ended (2026-11-10T00:00:00Z)');
    const old = historyFor({ events: [], withoutSubjects: true }, [], incident);
    expect(old.blind.everywhere).toMatch(/written by an earlier rollcall/);
    const { events, resources } = world();
    const { violations } = evaluate({ inventory: inventory(resources), baseline: incident, rules: historyRules, now: NOW, history: { ...historyFor({ events: Object.values(events) }, resources, incident), blind: late.blind } });
    expect(violations.map((v) => [v.status, v.subject]).sort()).toEqual([['unknown', 'role/*'], ['unknown', 'role/*'], ['unknown', 'trail/*']]);
    expect(violations[0]!.message).toContain('after the incident began');
  });

  it('notes an open incident read up to the timeline end, and a baseline without incident.since', () => {
    const h = historyFor({ events: [], window: { since: '2026-10-01T00:00:00Z', until: '2026-11-22T11:50:00Z' } }, [], incident);
    expect(h.blind.everywhere).toBeUndefined();
    expect(h.notes).toEqual(['The timeline ends 2026-11-22T11:50:00Z: what happened since is not in it.']);
    expect(historyFor({ events: [] }, [], baseline()).notes[0]).toMatch(/sets no incident.since/);
  });

  it('without a timeline, a history rule is not judged at all (no pass, no unknown)', () => {
    const { resources } = world();
    const { violations } = evaluate({ inventory: inventory(resources), baseline: incident, rules: historyRules, now: NOW });
    expect(violations).toEqual([]);
  });
});

describe('evidence on violations', () => {
  it('says who created the resource and what the attacker did to it; nothing for a resource the timeline never named', () => {
    const { events, resources } = world();
    const h = historyFor({ events: Object.values(events) }, resources, incident);
    const rules = loadRules([builtinRulesDir()]).filter((r) => ['iam-user-undeclared', 'iam-declared-role-changed-by-attacker', 'iam-role-attacker-session-active', 'iam-user-undeclared'].includes(r.id));
    const evaluated = evaluate({ inventory: inventory([...resources, user('quiet')]), baseline: incident, rules, now: NOW, history: h }).violations;
    const out = withEvidence(evaluated, h);
    const of = (rule: string, subject: string) => out.find((v) => v.ruleId === rule && v.subject === subject)!;
    expect(of('iam-user-undeclared', 'user/backdoor').evidence).toMatchObject({
      created: { name: 'CreateUser', attacker: true, hop: 0, sourceIp: '198.51.100.9' },
      attackerChanges: [{ name: 'CreateAccessKey' }, { name: 'CreateLoginProfile' }, { name: 'PutUserPolicy' }, { name: 'AddUserToGroup' }],
      sessions: [{ accessKeyId: 'ASIATOKEN00000000001' }],
    });
    expect(of('iam-declared-role-changed-by-attacker', 'role/org-access').evidence!.attackerChanges.map((e) => e.name)).toEqual(['UpdateAssumeRolePolicy', 'AttachRolePolicy']);
    expect(of('iam-role-attacker-session-active', 'role/org-access').evidence!.sessions.map((s) => s.accessKeyId)).toEqual(['ASIAROLE000000000001']);
    expect(of('iam-user-undeclared', 'user/quiet').evidence).toBeUndefined();
    expect(historyKey('iam.user', 'global', 'quiet')).not.toBe(historyKey('iam.user', 'global', 'backdoor'));
  });

  it('keeps at most 20 changes and counts the rest', () => {
    const events = Array.from({ length: 25 }, (_, i) => event({ time: `2026-11-02T10:${String(i).padStart(2, '0')}:00Z`, source: iam, name: 'TagUser', ...byExposed, request: { userName: 'ci' } }));
    const h = historyFor({ events }, [user('ci')], incident);
    const [v] = withEvidence([{ ruleId: 'x', title: 'x', severity: 'high', status: 'fail', subject: 'user/ci', resourceType: 'iam.user', resourceId: 'ci', region: 'global', message: 'm', fingerprint: 'f', remediation: [] }], h);
    expect(v!.evidence!.attackerChanges).toHaveLength(20);
    expect(v!.evidence!.more).toBe(5);
  });
});

describe('a key the caller makes for itself', () => {
  it('is a key given to the calling user: its history names the user too', () => {
    const e = event({ time: t('10:00'), source: iam, name: 'CreateAccessKey', ...byExposed, response: { accessKey: { accessKeyId: 'AKIASELF000000000001', secretAccessKey: 'NEVER' } } });
    const resources = [user('ci'), accessKey('AKIASELF000000000001', 'ci')];
    const h = historyFor({ events: [e] }, resources, incident);
    expect(names(h, resources[0]!)).toEqual(['CreateAccessKey']);
    expect(historyOf(h, resources[0]!).events[0]!.attacker).toBe(true);
    expect(historyOf(h, resources[1]!).created?.name).toBe('CreateAccessKey');
  });
});

describe('IAM names, whatever their case', () => {
  it('joins a call that spells a user, role, group or policy in another case to it, and shows the name as written', () => {
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    const resources = [user('alice'), attachment('user', 'alice', admin), role('Deploy', ['*']), group('admins'), policy('deploy-s3')];
    const events = [
      event({ time: t('10:00'), source: iam, name: 'AttachUserPolicy', ...byExposed, request: { userName: 'ALICE', policyArn: admin } }),
      event({ time: t('10:01'), source: iam, name: 'UpdateAssumeRolePolicy', ...byExposed, request: { roleName: 'deploy' } }),
      event({ time: t('10:02'), source: iam, name: 'TagUser', ...byExposed, request: { userName: `arn:aws:iam::${ACCOUNT}:user/Alice` } }),
      event({ time: t('10:03'), source: iam, name: 'CreatePolicyVersion', ...byExposed, request: { policyArn: `arn:aws:iam::${ACCOUNT}:policy/Deploy-S3` } }),
    ];
    const h = historyFor({ events }, resources, incident);
    expect(names(h, resources[0]!)).toEqual(['AttachUserPolicy', 'TagUser']);
    expect(names(h, resources[1]!)).toEqual(['AttachUserPolicy']);
    expect(names(h, resources[2]!)).toEqual(['UpdateAssumeRolePolicy']);
    expect(names(h, resources[4]!)).toEqual(['CreatePolicyVersion']);
    // the history is the resource's, under its own name
    expect([...h.byResource.keys()]).toContain(historyKey('iam.role', 'global', 'Deploy'));
  });
});

describe('an open incident, a stale timeline', () => {
  const rules = loadRules([builtinRulesDir()]).filter((r) => r.id === 'iam-declared-role-changed-by-attacker');
  const resources = [role('org-access', ['*'])];

  it('ending well before the inventory was collected is blind everywhere, and says to read it again', () => {
    // written 3 days before the audit: yesterday's trust edit is not in it
    const stale = historyFor({ events: [], window: { since: '2026-10-01T00:00:00Z', until: '2026-11-19T12:00:00Z' } }, resources, incident);
    expect(stale.blind.everywhere).toMatch(/^the timeline ends 2026-11-19T12:00:00Z, long before the inventory was collected \(2026-11-22T12:00:00.000Z\).*run rollcall timeline again, or use --timeline live$/);
    const { violations } = evaluate({ inventory: inventory(resources), baseline: incident, rules, now: NOW, history: stale });
    expect(violations.map((v) => [v.status, v.subject])).toEqual([['unknown', 'role/*']]);
    // an incident without incident.since is open too; a baseline without an incident has none to be stale for
    const sinceless = baseline({ incident: { exposedKeys: [EXPOSED] } });
    expect(historyFor({ events: [], window: { since: '2026-10-01T00:00:00Z', until: '2026-11-19T12:00:00Z' } }, resources, sinceless).blind.everywhere).toMatch(/long before the inventory was collected/);
    expect(historyFor({ events: [], window: { since: '2026-10-01T00:00:00Z', until: '2026-11-19T12:00:00Z' } }, resources, baseline()).blind.everywhere).toBeUndefined();
  });

  it('ending within the delivery margin of the inventory is only a note; a closed incident it covers is not stale', () => {
    const fresh = historyFor({ events: [], window: { since: '2026-10-01T00:00:00Z', until: '2026-11-22T11:50:00Z' } }, resources, incident);
    expect(fresh.blind.everywhere).toBeUndefined();
    expect(fresh.notes).toEqual(['The timeline ends 2026-11-22T11:50:00Z: what happened since is not in it.']);
    const closed = baseline({ incident: { exposedKeys: [EXPOSED], since: '2026-11-01T00:00:00Z', until: '2026-11-10T00:00:00Z' } });
    expect(historyFor({ events: [], window: { since: '2026-10-01T00:00:00Z', until: '2026-11-10T00:00:00Z' } }, resources, closed).blind.everywhere).toBeUndefined();
    // the inventory's time counts, not the audit's: a saved inventory older than the timeline's end
    expect(historyFor({ events: [], window: { since: '2026-10-01T00:00:00Z', until: '2026-11-19T12:00:00Z' } }, resources, incident, undefined, NOW, { collectedAt: '2026-11-19T12:10:00Z' }).blind.everywhere).toBeUndefined();
  });
});

describe("a trail's bucket that went silent", () => {
  const rules = loadRules([builtinRulesDir()]).filter((r) => r.id === 'iam-declared-role-changed-by-attacker');
  const resources = [role('org-access', ['*'])];
  const ct = 'cloudtrail.amazonaws.com';
  const stop = event({ time: t('10:00'), source: ct, name: 'StopLogging', user: 'admin', keyId: 'AKIAADMIN00000000001', request: { name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` } });
  const deleted = event({ time: t('10:30'), source: ct, name: 'DeleteTrail', user: 'admin', keyId: 'AKIAADMIN00000000001', request: { name: 'other' } });
  const start = event({ time: t('11:00'), source: ct, name: 'StartLogging', user: 'admin', keyId: 'AKIAADMIN00000000001', request: { name: 'main' } });
  const refusedStart = event({ time: t('11:00'), source: ct, name: 'StartLogging', user: 'admin', keyId: 'AKIAADMIN00000000001', request: { name: 'main' }, error: 'AccessDenied' });

  it('after a StopLogging or DeleteTrail with no StartLogging since is blind everywhere, naming the trail and the time', () => {
    const h = historyFor({ events: [stop], source: 'trail-bucket' }, resources, incident);
    expect(h.blind.everywhere).toBe(`trail main stopped logging at ${stop.time} (StopLogging) and did not start again: its bucket holds nothing since, so nothing after then can be seen`);
    const { violations } = evaluate({ inventory: inventory(resources), baseline: incident, rules, now: NOW, history: h });
    expect(violations.map((v) => [v.status, v.subject])).toEqual([['unknown', 'role/*']]);
    // a refused StartLogging starts nothing; a deleted trail is silent too
    expect(historyFor({ events: [stop, refusedStart], source: 'trail-bucket' }, resources, incident).blind.everywhere).toMatch(/^trail main stopped/);
    expect(historyFor({ events: [deleted], source: 'trail-bucket' }, resources, incident).blind.everywhere).toMatch(/^trail other stopped logging at .* \(DeleteTrail\)/);
    // an ARN that is no trail's is named whole
    const odd = event({ time: t('10:00'), source: ct, name: 'StopLogging', user: 'admin', keyId: 'AKIAADMIN00000000001', request: { name: 'arn:aws:cloudtrail:us-east-1:1:x' } });
    expect(historyFor({ events: [odd], source: 'trail-bucket' }, resources, incident).blind.everywhere).toMatch(/^trail arn:aws:cloudtrail:us-east-1:1:x stopped/);
  });

  it('is not silent once the trail logs again, nor when the timeline came from the event history', () => {
    expect(historyFor({ events: [stop, start], source: 'trail-bucket' }, resources, incident).blind.everywhere).toBeUndefined();
    expect(historyFor({ events: [stop], source: 'lookup' }, resources, incident).blind.everywhere).toBeUndefined();
  });
});

describe('a timeline that did not read where IAM records its events', () => {
  const rules = loadRules([builtinRulesDir()]).filter((r) => ['iam-declared-role-changed-by-attacker', 'cloudtrail-trail-selectors-changed-during-incident'].includes(r.id));
  const resources = [role('org-access', ['*']), trail('main', 'eu-west-1')];

  it('is blind for IAM and the root user, with a note, and judges the regional rules still', () => {
    const h = historyFor({ events: [], regions: ['eu-west-1'] }, resources, incident, ['global', 'eu-west-1']);
    expect(h.blind.global).toEqual(["IAM's events are recorded in us-east-1, which the timeline did not read"]);
    expect(h.notes.some((n) => n.includes('blind for IAM and the root user'))).toBe(true);
    const { violations } = evaluate({ inventory: inventory(resources), baseline: incident, rules, now: NOW, history: h });
    expect(violations.map((v) => [v.status, v.subject])).toEqual([['unknown', 'role/*']]);
    expect(violations[0]!.message).toContain('us-east-1');
  });

  it("is judged when it read the partition's IAM region; with no region known for the partition, IAM is blind", () => {
    expect(historyFor({ events: [], regions: ['cn-north-1'] }, resources, incident, ['global', 'cn-north-1'], NOW, { iamEventRegion: 'cn-north-1' }).blind.global).toBeUndefined();
    expect(historyFor({ events: [], regions: ['eu-west-1'] }, resources, incident, ['global', 'eu-west-1'], NOW, { iamEventRegion: undefined }).blind.global).toEqual(['no region is known where this partition records IAM events']);
    // an inventory without IAM judges no global type: nothing to be blind for
    expect(historyFor({ events: [], regions: ['eu-west-1'] }, resources, incident, ['eu-west-1']).blind.global).toBeUndefined();
  });
});

describe("a role's sessions after a revocation", () => {
  const rules = loadRules([builtinRulesDir()]).filter((r) => r.id === 'iam-role-attacker-session-active');
  const assume = (time: string, keyId: string) =>
    event({ time, source: 'sts.amazonaws.com', name: 'AssumeRole', ...byExposed, readOnly: true, request: { roleArn: roleArn('org-access'), roleSessionName: 's' }, response: { credentials: { accessKeyId: keyId } } });
  const revocation = (cutoff: string): Resource => ({
    ...inlinePolicy('role', 'org-access', 'rollcall-revoke-sessions', false, true),
    props: {
      principalType: 'role', principalName: 'org-access', policyName: 'rollcall-revoke-sessions', allowsAll: false, denyOnly: true,
      document: { Version: '2012-10-17', Statement: [{ Sid: 'RollcallRevokeOlderSessions', Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff } } }] },
    },
  });

  it('a session issued before the cut-off in place ended then, even when its record does not say when it ends', () => {
    const resources = [role('org-access', ['*']), revocation('2026-11-22T11:00:00.000Z')];
    const h = historyFor({ events: [assume(t('10:00'), 'ASIAOLD0000000000001')] }, resources, incident);
    expect(historyOf(h, resources[0]!).sessions).toMatchObject([{ accessKeyId: 'ASIAOLD0000000000001', revokedAt: '2026-11-22T11:00:00.000Z', expiration: '2026-11-22T11:00:00.000Z' }]);
    expect(evaluate({ inventory: inventory(resources), baseline: incident, rules, now: NOW, history: h }).violations).toEqual([]);
  });

  it('a session issued after the cut-off is still live: the rule fails again', () => {
    const resources = [role('org-access', ['*']), revocation('2026-11-22T11:00:00.000Z')];
    const h = historyFor({ events: [assume(t('10:00'), 'ASIAOLD0000000000001'), assume('2026-11-22T11:30:00Z', 'ASIANEW0000000000001')] }, resources, incident);
    expect(historyOf(h, resources[0]!).sessions.map((s) => [s.accessKeyId, s.revokedAt])).toEqual([['ASIAOLD0000000000001', '2026-11-22T11:00:00.000Z'], ['ASIANEW0000000000001', undefined]]);
    const { violations } = evaluate({ inventory: inventory(resources), baseline: incident, rules, now: NOW, history: h });
    expect(violations.map((v) => [v.status, v.subject])).toEqual([['fail', 'role/org-access']]);
  });
});

describe("another account's role", () => {
  it('is no session of this account: it is listed with the account that must revoke it, and a note says so', () => {
    const foreignRole = 'arn:aws:iam::999999999999:role/partner-admin';
    const e = event({ time: t('10:00'), source: 'sts.amazonaws.com', name: 'AssumeRole', ...byExposed, readOnly: true, request: { roleArn: foreignRole, roleSessionName: 's' }, response: { credentials: { accessKeyId: 'ASIAFOREIGN000000001', expiration: '2026-11-22T22:00:00Z' } } });
    const h = historyFor({ events: [e] }, [role('partner-admin', ['*'])], incident);
    expect(h.byResource.size).toBe(0);
    expect(h.foreignRoleSessions).toMatchObject([{ roleArn: foreignRole, accountId: '999999999999', sessions: [{ accessKeyId: 'ASIAFOREIGN000000001' }] }]);
    expect(h.notes.some((n) => n.includes(foreignRole) && n.includes('revoked in account 999999999999'))).toBe(true);
  });
});
