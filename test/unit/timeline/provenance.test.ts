/**
 * Provenance on the multi-hop scenario: an exposed key creates a
 * user, whose new key creates a role and starts instances in two regions,
 * then sessions are obtained and used; beside it, a legitimate admin's
 * calls that must never be taken for the attacker's.
 */
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../src/timeline/event.js';
import { normaliseRecord } from '../../../src/timeline/normalise.js';
import { traceProvenance } from '../../../src/timeline/provenance.js';
import { ctRecord, type RecordSpec } from '../../helpers/cloudtrail-records.js';
import { ACCOUNT } from '../../helpers/resources.js';

const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-11-03T00:00:00Z') };
const EXPOSED = 'AKIAEXPOSED0000000001';
const at = (hhmm: string) => `2026-11-01T${hhmm}:00Z`;
const ev = (s: RecordSpec): TimelineEvent => {
  const e = normaliseRecord(ctRecord(s), WINDOW);
  if (!e) throw new Error(`not kept: ${s.name}`);
  return e;
};
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const roleSession = (role: string, session: string, keyId: string) => ({
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
  accessKeyId: keyId,
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/${role}` } },
});

/** The scenario, in time order; each event named for the assertions. */
function scenario() {
  const e = {
    // The exposed key (build-bot's) creates a user and gives it a key and a password.
    createUser: ev({ time: at('10:00'), source: 'iam.amazonaws.com', name: 'CreateUser', user: 'build-bot', request: { userName: 'backdoor' }, response: { user: { userName: 'backdoor', arn: userArn('backdoor') } } }),
    createKey: ev({ time: at('10:01'), source: 'iam.amazonaws.com', name: 'CreateAccessKey', user: 'build-bot', request: { userName: 'backdoor' }, response: { accessKey: { accessKeyId: 'AKIABACKDOOR', userName: 'backdoor', secretAccessKey: 'NEVER' } } }),
    refusedKey: ev({ time: at('10:02'), source: 'iam.amazonaws.com', name: 'CreateAccessKey', user: 'build-bot', request: { userName: 'admin' }, response: { accessKey: { accessKeyId: 'AKIAREFUSED' } }, error: 'AccessDenied' }),
    alicePassword: ev({ time: at('10:03'), source: 'iam.amazonaws.com', name: 'UpdateLoginProfile', user: 'build-bot', request: { userName: 'alice' } }),
    // The new user's key creates a role, edits a declared role's trust, starts instances in two regions.
    createRole: ev({ time: at('11:00'), source: 'iam.amazonaws.com', name: 'CreateRole', user: 'backdoor', keyId: 'AKIABACKDOOR', request: { roleName: 'escalate' }, response: { role: { arn: `arn:aws:iam::${ACCOUNT}:role/escalate` } } }),
    trust: ev({ time: at('11:01'), source: 'iam.amazonaws.com', name: 'UpdateAssumeRolePolicy', user: 'backdoor', keyId: 'AKIABACKDOOR', request: { roleName: 'deploy' } }),
    runEast: ev({ time: at('11:02'), region: 'us-east-1', source: 'ec2.amazonaws.com', name: 'RunInstances', user: 'backdoor', keyId: 'AKIABACKDOOR', response: { instancesSet: { items: [{ instanceId: 'i-east' }] } } }),
    runWest: ev({ time: at('11:03'), region: 'eu-west-1', source: 'ec2.amazonaws.com', name: 'RunInstances', user: 'backdoor', keyId: 'AKIABACKDOOR', response: { instancesSet: { items: [{ instanceId: 'i-west' }] } } }),
    // Sessions: AssumeRole into the new role, GetSessionToken for the new user; each used.
    assume: ev({ time: at('12:00'), source: 'sts.amazonaws.com', name: 'AssumeRole', user: 'backdoor', keyId: 'AKIABACKDOOR', request: { roleArn: `arn:aws:iam::${ACCOUNT}:role/escalate`, roleSessionName: 'x' }, response: { credentials: { accessKeyId: 'ASIAROLE', sessionToken: 'NEVER', expiration: 'Nov 1, 2026, 1:00:00 PM' }, assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/escalate/x` } } }),
    fn: ev({ time: at('12:05'), region: 'eu-west-1', source: 'lambda.amazonaws.com', name: 'CreateFunction20150331', identity: roleSession('escalate', 'x', 'ASIAROLE'), request: { functionName: 'miner', role: `arn:aws:iam::${ACCOUNT}:role/lambda-exec` }, response: { functionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:miner` } }),
    token: ev({ time: at('12:10'), source: 'sts.amazonaws.com', name: 'GetSessionToken', user: 'backdoor', keyId: 'AKIABACKDOOR', response: { credentials: { accessKeyId: 'ASIATOKEN', expiration: '2026-11-02T00:10:00Z' } } }),
    stop: ev({ time: at('12:11'), source: 'cloudtrail.amazonaws.com', name: 'StopLogging', user: 'backdoor', keyId: 'ASIATOKEN', request: { name: 'main' } }),
    // A workload's role session: the instance's role acting from i-west, and the function's.
    fromInstance: ev({ time: at('12:20'), region: 'eu-west-1', source: 'ec2.amazonaws.com', name: 'AuthorizeSecurityGroupIngress', identity: roleSession('ec2-app', 'i-west', 'ASIAINSTANCE'), request: { groupId: 'sg-1' } }),
    fromFunction: ev({ time: at('12:21'), region: 'eu-west-1', source: 'iam.amazonaws.com', name: 'CreateUser', identity: roleSession('lambda-exec', 'miner', 'ASIAFUNCTION'), request: { userName: 'second' } }),
    // Alice's console, after the attacker set her password: the attacker's; her own long-term key: hers.
    aliceLogin: ev({ time: at('13:00'), source: 'signin.amazonaws.com', name: 'ConsoleLogin', identity: { type: 'IAMUser', arn: userArn('alice') } }),
    aliceConsole: ev({ time: at('13:01'), source: 'iam.amazonaws.com', name: 'CreateGroup', identity: { type: 'IAMUser', arn: userArn('alice'), accessKeyId: 'ASIACONSOLE' }, console: true, request: { groupName: 'g' } }),
    aliceKey: ev({ time: at('13:02'), source: 'iam.amazonaws.com', name: 'TagUser', user: 'alice', keyId: 'AKIAALICE', request: { userName: 'alice' } }),
    // Legitimate calls: alice's console before the attacker's change, an admin, an unrelated session named like an attacker's instance.
    aliceBefore: ev({ time: at('09:00'), source: 'signin.amazonaws.com', name: 'ConsoleLogin', identity: { type: 'IAMUser', arn: userArn('alice') } }),
    admin: ev({ time: at('10:30'), source: 'iam.amazonaws.com', name: 'CreateUser', user: 'admin', keyId: 'AKIAADMIN', request: { userName: 'carol' } }),
    earlyNamesake: ev({ time: at('10:59'), region: 'eu-west-1', source: 'ec2.amazonaws.com', name: 'CreateKeyPair', identity: roleSession('ec2-app', 'i-west', 'ASIAEARLIER'), request: { keyName: 'k' } }),
  };
  return e;
}

describe('provenance: what it must not claim', () => {
  const fn = ev({ time: at('10:00'), region: 'eu-west-1', source: 'lambda.amazonaws.com', name: 'CreateFunction20150331', keyId: EXPOSED, request: { functionName: 'GitHubActions', role: `arn:aws:iam::${ACCOUNT}:role/lambda-exec` } });
  const password = ev({ time: at('10:00'), source: 'iam.amazonaws.com', name: 'UpdateLoginProfile', keyId: EXPOSED, request: { userName: 'ALICE' } });
  const aliceConsole = (time: string, keyId = 'ASIACONSOLE1') => ev({ time, source: 'ec2.amazonaws.com', name: 'RunInstances', identity: { type: 'IAMUser', arn: userArn('alice'), accessKeyId: keyId }, console: true });

  it("a function's name is anybody's session name: only sessions of the function's own execution role are its", () => {
    const ci = ev({ time: at('11:00'), source: 'iam.amazonaws.com', name: 'CreateAccessKey', identity: roleSession('deploy', 'GitHubActions', 'ASIACI'), request: { userName: 'svc' }, response: { accessKey: { accessKeyId: 'AKIASVC' } } });
    const own = ev({ time: at('11:01'), source: 'iam.amazonaws.com', name: 'CreateUser', identity: roleSession('lambda-exec', 'GitHubActions', 'ASIAFN'), request: { userName: 'x' } });
    const p = traceProvenance([fn, ci, own], [EXPOSED]);
    expect(p.attackerOf(ci)).toBeUndefined();
    expect(p.footholds.map((f) => f.id)).not.toContain('AKIASVC');
    expect(p.attackerOf(own)).toMatchObject({ kind: 'workload', id: 'GitHubActions' });
    expect(p.sessions.map((s) => s.role)).toEqual([`arn:aws:iam::${ACCOUNT}:role/lambda-exec`]);
  });

  it("a password the attacker set: the console's calls are the attacker's (names matched without case), not the owner's MFA session from her own key", () => {
    const mfa = ev({ time: at('11:00'), source: 'sts.amazonaws.com', name: 'GetSessionToken', user: 'alice', keyId: 'AKIAALICE', response: { credentials: { accessKeyId: 'ASIAMFA' } } });
    const withMfa = ev({ time: at('11:01'), source: 'sts.amazonaws.com', name: 'AssumeRole', identity: { type: 'IAMUser', arn: userArn('alice'), accessKeyId: 'ASIAMFA' }, request: { roleArn: `arn:aws:iam::${ACCOUNT}:role/prod-admin`, roleSessionName: 'alice' }, response: { credentials: { accessKeyId: 'ASIAPROD' } } });
    const inConsole = aliceConsole(at('11:02'));
    const p = traceProvenance([password, mfa, withMfa, inConsole], [EXPOSED]);
    expect(p.attackerOf(inConsole)).toMatchObject({ kind: 'console', id: 'ALICE' });
    expect(p.attackerOf(withMfa)).toBeUndefined();
    expect(p.sessions).toEqual([]);
  });

  it("someone else's password reset ends the console foothold; the attacker's own does not", () => {
    const reset = ev({ time: at('12:00'), source: 'iam.amazonaws.com', name: 'UpdateLoginProfile', user: 'admin', keyId: 'AKIAADMIN', request: { userName: 'alice' } });
    const before = aliceConsole(at('11:00'), 'ASIAC1');
    const after = aliceConsole(at('12:30'), 'ASIAC2');
    let p = traceProvenance([password, before, reset, after], [EXPOSED]);
    expect(p.attackerOf(before)).toBeDefined();
    expect(p.attackerOf(after)).toBeUndefined();
    expect(p.footholds.find((f) => f.kind === 'console')?.until).toBe(reset.time);
    // The same reset made by the attacker's key keeps the foothold open.
    const again = ev({ time: at('12:00'), source: 'iam.amazonaws.com', name: 'UpdateLoginProfile', keyId: EXPOSED, request: { userName: 'alice' } });
    p = traceProvenance([password, before, again, after], [EXPOSED]);
    expect(p.attackerOf(after)).toBeDefined();
  });

  it("a function whose code the attacker replaced: its sessions from then on, of the role the timeline says it runs with", () => {
    const created = ev({ time: at('09:00'), region: 'eu-west-1', source: 'lambda.amazonaws.com', name: 'CreateFunction20150331', user: 'admin', keyId: 'AKIAADMIN', request: { functionName: 'orders', role: `arn:aws:iam::${ACCOUNT}:role/lambda-orders` } });
    const replaced = ev({ time: at('10:00'), region: 'eu-west-1', source: 'lambda.amazonaws.com', name: 'UpdateFunctionCode20150331v2', keyId: EXPOSED, request: { functionName: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:orders` } });
    const earlier = ev({ time: at('09:30'), source: 'iam.amazonaws.com', name: 'CreateUser', identity: roleSession('lambda-orders', 'orders', 'ASIAORDERS1'), request: { userName: 'a' } });
    const later = ev({ time: at('10:30'), source: 'iam.amazonaws.com', name: 'CreateUser', identity: roleSession('lambda-orders', 'orders', 'ASIAORDERS2'), request: { userName: 'b' } });
    const p = traceProvenance([created, replaced, earlier, later], [EXPOSED]);
    expect(p.attackerOf(later)).toMatchObject({ kind: 'workload', id: 'orders', role: `arn:aws:iam::${ACCOUNT}:role/lambda-orders` });
    expect(p.attackerOf(earlier)).toBeUndefined();
    expect(p.attackerOf(created)).toBeUndefined();
  });

  it("a role whose trust the attacker wrote: its sessions from outside the account are the attacker's, the account's own are not", () => {
    const trust = ev({ time: at('10:00'), source: 'iam.amazonaws.com', name: 'UpdateAssumeRolePolicy', keyId: EXPOSED, request: { roleName: 'Deploy' } });
    const deployArn = `arn:aws:iam::${ACCOUNT}:role/deploy`;
    const external = ev({ time: at('11:00'), source: 'sts.amazonaws.com', name: 'AssumeRole', identity: { type: 'AWSAccount', principalId: 'AIDAX:x', accountId: '666666666666' }, request: { roleArn: deployArn, roleSessionName: 'x' }, response: { credentials: { accessKeyId: 'ASIAEXTERNAL' } } });
    const viaOidc = ev({ time: at('11:05'), source: 'sts.amazonaws.com', name: 'AssumeRoleWithWebIdentity', identity: { type: 'WebIdentityUser', principalId: 'token.actions.githubusercontent.com:repo:evil/x' }, request: { roleArn: deployArn, roleSessionName: 'gh' }, response: { credentials: { accessKeyId: 'ASIAOIDC' } } });
    const inside = ev({ time: at('11:10'), source: 'sts.amazonaws.com', name: 'AssumeRole', user: 'ci', keyId: 'AKIACI', request: { roleArn: deployArn, roleSessionName: 'ci' }, response: { credentials: { accessKeyId: 'ASIACI' } } });
    const before = ev({ time: at('09:00'), source: 'sts.amazonaws.com', name: 'AssumeRole', identity: { type: 'AWSAccount', principalId: 'AIDAX:x', accountId: '666666666666' }, request: { roleArn: deployArn, roleSessionName: 'y' }, response: { credentials: { accessKeyId: 'ASIABEFORE' } } });
    const p = traceProvenance([trust, external, viaOidc, inside, before], [EXPOSED]);
    expect(p.attackerOf(external)).toMatchObject({ kind: 'trust', id: 'Deploy' });
    expect(p.attackerOf(viaOidc)).toMatchObject({ kind: 'trust', id: 'Deploy' });
    expect(p.attackerOf(inside)).toBeUndefined();
    expect(p.attackerOf(before)).toBeUndefined();
    expect(p.sessions.map((x) => [x.accessKeyId, x.how, x.role])).toEqual([
      ['ASIAEXTERNAL', 'AssumeRole', deployArn],
      ['ASIAOIDC', 'AssumeRole', deployArn],
    ]);
  });

  it("a console foothold holds only in the account whose call gave it", () => {
    const elsewhere = ev({ time: at('11:00'), source: 'signin.amazonaws.com', name: 'ConsoleLogin', identity: { type: 'IAMUser', arn: 'arn:aws:iam::210987654321:user/alice' } });
    const here = ev({ time: at('11:00'), source: 'signin.amazonaws.com', name: 'ConsoleLogin', identity: { type: 'IAMUser', arn: userArn('alice') } });
    const p = traceProvenance([password, elsewhere, here], [EXPOSED]);
    expect(p.attackerOf(here)).toBeDefined();
    expect(p.attackerOf(elsewhere)).toBeUndefined();
  });
});

describe('provenance: the exposed keys followed to a fixed point', () => {
  it('finds every hop of the multi-hop scenario, in any order, and nothing of the legitimate calls', () => {
    const e = scenario();
    const all = Object.values(e);
    for (const order of [all, [...all].reverse()]) {
      const p = traceProvenance(order, [EXPOSED, 'AKIANEVERUSED']);
      expect(p.unseenSeeds).toEqual(['AKIANEVERUSED']);
      expect(p.footholds.map((f) => [f.kind, f.id, f.hop]).sort()).toEqual(
        [
          ['exposedKey', EXPOSED, 0],
          ['exposedKey', 'AKIANEVERUSED', 0],
          ['user', 'backdoor', 1],
          ['accessKey', 'AKIABACKDOOR', 1],
          ['console', 'alice', 1],
          ['trust', 'escalate', 2],
          ['trust', 'deploy', 2],
          ['workload', 'i-east', 2],
          ['workload', 'i-west', 2],
          ['session', 'ASIAROLE', 2],
          ['session', 'ASIATOKEN', 2],
          ['workload', 'miner', 3],
          ['user', 'second', 4],
        ].sort(),
      );
      const backdoorKey = p.footholds.find((f) => f.id === 'AKIABACKDOOR')!;
      expect(backdoorKey.via).toBe(e.createKey);
      expect(backdoorKey.from).toBe(`exposedKey:${EXPOSED}`);

      const attackers = new Set(p.events);
      const expected = [e.createUser, e.createKey, e.refusedKey, e.alicePassword, e.createRole, e.trust, e.runEast, e.runWest, e.assume, e.fn, e.token, e.stop, e.fromInstance, e.fromFunction, e.aliceLogin, e.aliceConsole];
      for (const x of expected) expect(attackers.has(x), `${x.name} at ${x.time}`).toBe(true);
      for (const x of [e.aliceKey, e.aliceBefore, e.admin, e.earlyNamesake]) expect(attackers.has(x), `${x.name} at ${x.time}`).toBe(false);
      expect(p.events).toHaveLength(expected.length);
      expect(p.events.map((x) => x.time)).toEqual([...p.events.map((x) => x.time)].sort());
      expect(p.attackerOf(e.stop)).toMatchObject({ kind: 'session', id: 'ASIATOKEN' });
      expect(p.attackerOf(e.admin)).toBeUndefined();
    }
  });

  it("lists the attacker's sessions with what ends each: the role to revoke, the user to deny, or root's", () => {
    const e = scenario();
    const p = traceProvenance(Object.values(e), [EXPOSED]);
    expect(p.sessions.map((s) => ({ ...s, event: s.event.name }))).toEqual([
      { accessKeyId: 'ASIAROLE', how: 'AssumeRole', event: 'AssumeRole', role: `arn:aws:iam::${ACCOUNT}:role/escalate`, root: false, principal: `arn:aws:sts::${ACCOUNT}:assumed-role/escalate/x`, expiration: 'Nov 1, 2026, 1:00:00 PM' },
      { accessKeyId: 'ASIATOKEN', how: 'GetSessionToken', event: 'GetSessionToken', user: userArn('backdoor'), root: false, expiration: '2026-11-02T00:10:00Z' },
      // The roles of the instance and the function the attacker launched: AWS gave their sessions, which outlive the workloads.
      { accessKeyId: 'ASIAINSTANCE', how: 'AssumeRole', event: 'AuthorizeSecurityGroupIngress', role: `arn:aws:iam::${ACCOUNT}:role/ec2-app`, root: false, principal: `arn:aws:sts::${ACCOUNT}:assumed-role/ec2-app/i-west`, workload: 'i-west' },
      { accessKeyId: 'ASIAFUNCTION', how: 'AssumeRole', event: 'CreateUser', role: `arn:aws:iam::${ACCOUNT}:role/lambda-exec`, root: false, principal: `arn:aws:sts::${ACCOUNT}:assumed-role/lambda-exec/miner`, workload: 'miner' },
    ]);
    // A session of the same role with another session name (not the attacker's workload) is not listed.
    expect(p.sessions.map((s) => s.accessKeyId)).not.toContain('ASIAEARLIER');
    const rootKey = 'AKIAROOTKEY';
    const root = { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: rootKey };
    const fed = ev({ time: at('14:00'), source: 'sts.amazonaws.com', name: 'GetFederationToken', identity: root, request: { name: 'ops' }, response: { credentials: { accessKeyId: 'ASIAFED' }, federatedUser: { arn: `arn:aws:sts::${ACCOUNT}:federated-user/ops` } } });
    const used = ev({ time: at('14:01'), source: 'iam.amazonaws.com', name: 'CreateUser', identity: { type: 'FederatedUser', arn: `arn:aws:sts::${ACCOUNT}:federated-user/ops`, accessKeyId: 'ASIAFED' }, request: { userName: 'third' } });
    const q = traceProvenance([used, fed], [rootKey]);
    expect(q.sessions).toEqual([expect.objectContaining({ accessKeyId: 'ASIAFED', how: 'GetFederationToken', root: true, principal: `arn:aws:sts::${ACCOUNT}:federated-user/ops` })]);
    expect(q.sessions[0]!.user).toBeUndefined();
    expect(q.events).toEqual([fed, used]);
  });

  it('no seeds, or seeds the timeline never saw: no attacker events, nothing invented', () => {
    const all = Object.values(scenario());
    expect(traceProvenance(all, []).events).toEqual([]);
    const p = traceProvenance(all, ['AKIAOTHER']);
    expect(p.events).toEqual([]);
    expect(p.footholds).toEqual([{ kind: 'exposedKey', id: 'AKIAOTHER', hop: 0 }]);
    expect(p.unseenSeeds).toEqual(['AKIAOTHER']);
  });

  it('a user created by the attacker is matched by its ARN when the record gave one: a namesake under another path is not', () => {
    const e = scenario();
    const namesake = ev({ time: at('15:00'), source: 'iam.amazonaws.com', name: 'CreateGroup', identity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/other-path/backdoor`, accessKeyId: 'AKIANAMESAKE' }, request: { groupName: 'x' } });
    const p = traceProvenance([...Object.values(e), namesake], [EXPOSED]);
    expect(p.attackerOf(namesake)).toBeUndefined();
  });
});
