/**
 * The failing and passing cases of the rules that read a resource's
 * CloudTrail history, for the built-in rules test (builtin-rules.test.ts
 * spreads them into its table; each case's timeline is joined as audit joins
 * it). NOW is 2026-11-22T12:00:00Z; the incident began 2026-11-01.
 */
import type { Baseline } from '../../../src/model/baseline.js';
import type { Resource } from '../../../src/model/resource.js';
import type { TimelineEvent } from '../../../src/timeline/event.js';
import { event, roleArn, rootIdentity, userArn } from '../../helpers/history.js';
import { ACCOUNT, accessKey, baseline, group, policy, role, root, user } from '../../helpers/resources.js';
import { trail } from './cloudtrail-cases.js';

interface Case {
  baseline: Baseline;
  resources: Resource[];
  subjects: string[];
  timeline: TimelineEvent[];
}

const EXPOSED = 'AKIAEXPOSED000000001';
const ROOT_KEY = 'AKIAROOTEXPOSED00001';
const declared = baseline({
  iam: {
    users: [{ name: 'ci' }, { name: 'ops' }],
    roles: [{ name: 'org-access', trustedPrincipals: ['arn:aws:iam::111111111111:root'] }, { name: 'deploy', trustedPrincipals: ['arn:aws:iam::111111111111:root'] }],
    groups: [{ name: 'admins' }],
    policies: [{ name: 'deploy-s3' }],
  },
  incident: { exposedKeys: [EXPOSED, ROOT_KEY], since: '2026-11-01T00:00:00Z' },
});
const closed = baseline({ incident: { since: '2026-11-01T00:00:00Z', until: '2026-11-10T00:00:00Z' } });
const at = (day: number, hhmm = '10:00') => `2026-11-${String(day).padStart(2, '0')}T${hhmm}:00Z`;
const iam = 'iam.amazonaws.com';
const sts = 'sts.amazonaws.com';

/** The attacker (the exposed key of ci) and a legitimate admin, each making the same kinds of calls. */
const byAttacker = (name: string, request: Record<string, unknown>, response?: Record<string, unknown>) =>
  event({ time: at(2), source: iam, name, user: 'ci', keyId: EXPOSED, request, ...(response ? { response } : {}) });
const byAdmin = (name: string, request: Record<string, unknown>) => event({ time: at(2), source: iam, name, user: 'admin', keyId: 'AKIAADMIN00000000001', request });
const session = (name: 'AssumeRole' | 'GetSessionToken' | 'GetFederationToken', o: { keyId?: string; issued: string; expiration: string; request?: Record<string, unknown>; identity?: Record<string, unknown>; day?: number }) =>
  event({
    time: at(o.day ?? 22, '11:00'),
    source: sts,
    name,
    user: 'ci',
    keyId: o.keyId ?? EXPOSED,
    ...(o.identity ? { identity: o.identity } : {}),
    request: o.request ?? {},
    readOnly: true,
    response: {
      credentials: { accessKeyId: o.issued, sessionToken: 'NEVER-SHOWN', expiration: o.expiration },
      ...(name === 'AssumeRole' ? { assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/org-access/x` } } : {}),
      ...(name === 'GetFederationToken' ? { federatedUser: { arn: `arn:aws:sts::${ACCOUNT}:federated-user/x` } } : {}),
    },
  });
const assumeOrgAccess = { roleArn: roleArn('org-access'), roleSessionName: 'x' };

export const HISTORY_CASES: Record<string, { fail: Case; pass: Case }> = {
  'iam-declared-changed-by-attacker': {
    fail: {
      baseline: declared,
      resources: [user('ci'), user('ops'), group('admins'), policy('deploy-s3'), user('backdoor')],
      timeline: [
        // a key and a group given to a declared user, a new version of a declared policy; the attacker's own new user is another rule's
        byAttacker('CreateAccessKey', { userName: 'ops' }, { accessKey: { accessKeyId: 'AKIAGIVEN00000000001', userName: 'ops' } }),
        byAttacker('AddUserToGroup', { userName: 'backdoor', groupName: 'admins' }),
        byAttacker('CreatePolicyVersion', { policyArn: `arn:aws:iam::${ACCOUNT}:policy/deploy-s3`, setAsDefault: true }),
        byAttacker('CreateUser', { userName: 'backdoor' }, { user: { userName: 'backdoor', arn: userArn('backdoor') } }),
      ],
      subjects: ['user/ops', 'group/admins', 'policy/deploy-s3'],
    },
    pass: {
      baseline: declared,
      resources: [user('ci'), user('ops'), group('admins'), policy('deploy-s3')],
      timeline: [
        // the same calls by someone else; the attacker's failed call; the attacker attaching a declared policy changes the user, not the policy
        byAdmin('CreateAccessKey', { userName: 'ops' }),
        byAdmin('AddUserToGroup', { userName: 'ops', groupName: 'admins' }),
        event({ time: at(2), source: iam, name: 'CreatePolicyVersion', user: 'ci', keyId: EXPOSED, request: { policyArn: `arn:aws:iam::${ACCOUNT}:policy/deploy-s3` }, error: 'AccessDenied' }),
        byAttacker('AttachUserPolicy', { userName: 'attacker-made', policyArn: `arn:aws:iam::${ACCOUNT}:policy/deploy-s3` }),
        // the exposed key's own sessions are not changes to its user
        session('GetSessionToken', { issued: 'ASIATOKEN0000000001', expiration: '2026-11-01T00:00:00Z' }),
      ],
      subjects: [],
    },
  },
  'iam-declared-role-changed-by-attacker': {
    fail: {
      baseline: declared,
      resources: [role('org-access', ['arn:aws:iam::666666666666:root']), role('deploy', ['arn:aws:iam::111111111111:root'])],
      timeline: [byAttacker('UpdateAssumeRolePolicy', { roleName: 'org-access' }), byAdmin('UpdateAssumeRolePolicy', { roleName: 'deploy' })],
      subjects: ['role/org-access'],
    },
    pass: {
      baseline: declared,
      // assumed by the attacker (a session, not a change), edited by an admin; an undeclared role the attacker made is another rule's
      resources: [role('org-access', ['arn:aws:iam::111111111111:root']), role('deploy', ['arn:aws:iam::111111111111:root']), role('escalate', ['*'])],
      timeline: [
        session('AssumeRole', { issued: 'ASIAROLE00000000001', expiration: '2026-11-22T13:00:00Z', request: assumeOrgAccess }),
        byAdmin('UpdateAssumeRolePolicy', { roleName: 'deploy' }),
        byAttacker('CreateRole', { roleName: 'escalate' }, { role: { arn: roleArn('escalate') } }),
      ],
      subjects: [],
    },
  },
  'iam-role-attacker-session-active': {
    fail: {
      baseline: declared,
      resources: [role('org-access', ['arn:aws:iam::111111111111:root'])],
      // CloudTrail spells an AssumeRole expiration out, in UTC: 1 PM is after NOW (noon)
      timeline: [session('AssumeRole', { issued: 'ASIAROLE00000000001', expiration: 'Nov 22, 2026, 1:00:00 PM', request: assumeOrgAccess })],
      subjects: ['role/org-access'],
    },
    pass: {
      baseline: declared,
      resources: [role('org-access', ['arn:aws:iam::111111111111:root']), role('deploy', ['arn:aws:iam::111111111111:root'])],
      timeline: [
        // expired at 11:59; a live session of someone else's
        session('AssumeRole', { issued: 'ASIAROLE00000000001', expiration: 'Nov 22, 2026, 11:59:00 AM', request: assumeOrgAccess }),
        session('AssumeRole', { keyId: 'AKIAADMIN00000000001', issued: 'ASIAROLE00000000002', expiration: '2026-11-22T20:00:00Z', request: { roleArn: roleArn('deploy'), roleSessionName: 'y' } }),
      ],
      subjects: [],
    },
  },
  'iam-user-attacker-session-active': {
    fail: {
      baseline: declared,
      resources: [user('ci'), accessKey(EXPOSED, 'ci')],
      timeline: [session('GetFederationToken', { issued: 'ASIAFED000000000001', expiration: '2026-11-23T00:00:00Z', request: { name: 'x' } })],
      subjects: ['user/ci'],
    },
    pass: {
      baseline: declared,
      resources: [user('ci'), user('admin'), role('org-access', ['arn:aws:iam::111111111111:root'])],
      timeline: [
        // expired; someone else's; a live role session is the role's to revoke
        session('GetSessionToken', { issued: 'ASIATOKEN0000000001', expiration: '2026-11-22T11:00:00Z' }),
        event({ time: at(22, '11:00'), source: sts, name: 'GetSessionToken', user: 'admin', keyId: 'AKIAADMIN00000000001', readOnly: true, response: { credentials: { accessKeyId: 'ASIAADMIN0000000001', expiration: '2026-11-23T00:00:00Z' } } }),
        session('AssumeRole', { issued: 'ASIAROLE00000000001', expiration: '2026-11-22T20:00:00Z', request: assumeOrgAccess }),
      ],
      subjects: [],
    },
  },
  'root-attacker-session-active': {
    fail: {
      baseline: declared,
      resources: [root()],
      // the record gives no expiration: a root session lasts at most an hour, so 11:30 + 1h is after NOW
      timeline: [event({ time: at(22, '11:30'), source: sts, name: 'GetSessionToken', identity: rootIdentity(ROOT_KEY), readOnly: true, response: { credentials: { accessKeyId: 'ASIAROOT00000000001' } } })],
      subjects: ['root/root'],
    },
    pass: {
      baseline: declared,
      resources: [root()],
      timeline: [event({ time: at(22, '10:30'), source: sts, name: 'GetSessionToken', identity: rootIdentity(ROOT_KEY), readOnly: true, response: { credentials: { accessKeyId: 'ASIAROOT00000000001' } } })],
      subjects: [],
    },
  },
  'cloudtrail-trail-selectors-changed-during-incident': {
    fail: {
      baseline: closed,
      resources: [trail('main', 'us-east-1', { multiRegion: true }), trail('eu', 'eu-west-1')],
      // by anyone, named by ARN or by name
      timeline: [
        event({ time: at(3), source: 'cloudtrail.amazonaws.com', name: 'PutEventSelectors', user: 'admin', keyId: 'AKIAADMIN00000000001', request: { trailName: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` } }),
        event({ time: at(4), region: 'eu-west-1', source: 'cloudtrail.amazonaws.com', name: 'UpdateTrail', request: { name: 'eu' } }),
      ],
      subjects: ['trail/us-east-1/main', 'trail/eu-west-1/eu'],
    },
    pass: {
      baseline: closed,
      resources: [trail('main', 'us-east-1', { multiRegion: true }), trail('eu', 'eu-west-1')],
      // before the incident, after it ended, refused, and a call that is not a selector change
      timeline: [
        event({ time: '2026-10-20T00:00:00Z', source: 'cloudtrail.amazonaws.com', name: 'PutEventSelectors', request: { trailName: 'main' } }),
        event({ time: at(15), source: 'cloudtrail.amazonaws.com', name: 'PutInsightSelectors', request: { trailName: 'main' } }),
        event({ time: at(3), region: 'eu-west-1', source: 'cloudtrail.amazonaws.com', name: 'UpdateTrail', request: { name: 'eu' }, error: 'AccessDenied' }),
        event({ time: at(3), region: 'eu-west-1', source: 'cloudtrail.amazonaws.com', name: 'StopLogging', request: { name: 'eu' } }),
      ],
      subjects: [],
    },
  },
};
