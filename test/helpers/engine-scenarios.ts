/**
 * Accounts the engine is tested on: every built-in rule failing and passing,
 * gaps, exceptions, timelines and hostile props. Shared by the test of the
 * compiled engine against the interpreted one and the test of the inventory
 * read by worker threads against the engine fed whole.
 */
import type { Baseline } from '../../src/model/baseline.js';
import type { Gap } from '../../src/model/inventory.js';
import type { Resource } from '../../src/model/resource.js';
import type { TimelineEvent } from '../../src/timeline/event.js';
import {
  accessKey,
  attachment,
  baseline,
  daysAgo,
  fn,
  group,
  inlinePolicy,
  instance,
  loginProfile,
  membership,
  policy,
  role,
  root,
  spotFleet,
  spotRequest,
  tagged,
  user,
} from './resources.js';
import { CLOUDTRAIL_CASES } from '../unit/rules/cloudtrail-cases.js';
import { CONFIG_CASES } from '../unit/rules/config-cases.js';
import { HISTORY_CASES } from '../unit/rules/history-cases.js';
import { INCIDENT_CASES } from '../unit/rules/incident-cases.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

export interface Scenario {
  name: string;
  baseline: Baseline;
  resources: Resource[];
  gaps?: Gap[];
  timeline?: TimelineEvent[];
}

export const declared = baseline({
  regions: { allowed: ['us-east-1', 'eu-west-1'] },
  root: { mfa: 'required', accessKeys: 'forbidden' },
  iam: {
    users: [
      { name: 'ci', console: false, accessKeys: [{ id: 'AKIADECLARED00000001', maxAgeDays: 30 }, { id: 'AKIAGONE000000000001' }], policies: [ADMIN], inlinePolicies: ['s3-read'], groups: ['deployers'] },
      { name: 'alice', console: true },
      { name: 'rot', accessKeys: { count: 1, maxAgeDays: 30 } },
      { name: 'pair', accessKeys: { count: 2 } },
      { name: 'gone-user' },
      { name: 'bots-*' },
    ],
    roles: [
      { name: 'org-access', trustedPrincipals: ['111111111111'], policies: ['deploy'] },
      { name: 'app-ec2' },
      { name: 'lambda-exec' },
    ],
    groups: [{ name: 'deployers' }],
    policies: [{ name: 'deploy' }],
  },
  resources: {
    'ec2.instance': [{ id: 'i-0000000000000001a' }, { region: 'us-east-1', tags: { team: 'web' }, max: 1, description: 'web fleet' }, { id: 'i-missing00000000001' }],
    'ec2.spotRequest': [{ region: 'eu-west-1', name: 'batch-*' }],
    'ec2.spotFleetRequest': [{ id: 'sfr-declared' }],
    'lambda.function': [{ region: '*', name: 'orders-*' }, { id: 'billing-export', region: 'eu-west-1' }],
  },
  incident: { exposedKeys: ['AKIAEXPOSED000000001', 'AKIAEXPOSED000000002'], since: '2026-11-01T00:00:00Z' },
  exceptions: [
    { rule: 'iam-user-undeclared', subject: 'user/legacy-*', reason: 'SEC-1', expires: '2027-01-31' },
    { rule: '*', subject: 'instance/eu-west-1/*', reason: 'SEC-2', expires: '2026-11-01' },
    { rule: 'resource-region-not-allowed', subject: 'tagged/ap-south-1/*', reason: 'SEC-3', expires: '2027-01-31' },
    { rule: 'iam-role-undeclared', subject: 'role/nobody', reason: 'SEC-4', expires: '2027-01-31' },
  ],
});

/** Most of what the non-timeline rules judge, failing and passing, in one account. */
export const mixed: Resource[] = [
  root({ mfaEnabled: false, accessKeysPresent: true }),
  user('ci', { accessKeyCount: 2, activeAccessKeyCount: 2 }),
  user('alice', { passwordEnabled: true, mfaActive: false }),
  user('legacy-bot'),
  user('intruder', { passwordEnabled: true }),
  user('bots-7'),
  user('rot'),
  user('pair'),
  accessKey('AKIADECLARED00000001', 'ci', { createDate: daysAgo(31) }),
  accessKey('AKIAEXPOSED000000001', 'ci', { createDate: daysAgo(5), lastUsedDate: daysAgo(1) }),
  accessKey('AKIAEXPOSED000000002', 'alice', { status: 'Inactive' }),
  accessKey('AKIAOTHER00000000001', 'intruder', { createDate: daysAgo(91) }),
  accessKey('AKIANEVERUSED0000001', 'intruder', { createDate: daysAgo(120) }),
  accessKey('AKIAROT0000000000001', 'rot', { createDate: daysAgo(40), status: 'Inactive' }),
  accessKey('AKIAROT0000000000002', 'rot', { createDate: daysAgo(2) }),
  accessKey('AKIAPAIR000000000001', 'pair', { createDate: daysAgo(10) }),
  loginProfile('alice'),
  loginProfile('intruder'),
  role('org-access', ['arn:aws:iam::999999999999:root']),
  role('app-ec2', ['ec2.amazonaws.com']),
  role('lambda-exec', ['lambda.amazonaws.com']),
  role('backdoor', ['*']),
  group('deployers'),
  group('admins'),
  policy('deploy'),
  policy('exfil', { allowsAll: true }),
  policy('deny-responders', { denyOnly: true, attachmentCount: 2 }),
  attachment('user', 'ci', ADMIN),
  attachment('user', 'intruder', ADMIN),
  inlinePolicy('user', 'ci', 's3-read'),
  inlinePolicy('role', 'org-access', 'everything', true),
  inlinePolicy('user', 'ci', 'lockout', false, true),
  membership('ci', 'deployers'),
  membership('ci', 'admins'),
  instance('i-0000000000000001a', 'us-east-1', { roles: ['app-ec2'], instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/app-ec2' }),
  instance('i-0000000000000002b', 'us-east-1', {}, { team: 'web' }),
  instance('i-0000000000000003c', 'us-east-1', {}, { team: 'web' }),
  instance('i-0000000000000004d', 'ap-south-1', { instanceType: 'p3.16xlarge', keyName: 'miner', roles: ['stolen'], instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/stolen' }, { Name: 'miner' }),
  instance('i-0000000000000005e', 'eu-west-1', { state: 'terminated' }),
  instance('i-0000000000000006f', 'eu-west-1', { state: 'stopped' }),
  spotRequest('sir-1', 'eu-west-1', { name: 'batch-1' }),
  spotRequest('sir-2', 'sa-east-1'),
  spotRequest('sir-3', 'sa-east-1', { state: 'cancelled' }),
  spotFleet('sfr-declared', 'us-east-1'),
  spotFleet('sfr-intruder', 'ap-south-1'),
  fn('orders-api', 'us-east-1'),
  fn('billing-export', 'eu-west-1'),
  fn('miner', 'ap-south-1', { roleArn: 'arn:aws:iam::123456789012:role/stolen' }),
  tagged('arn:aws:ec2:ap-south-1:123456789012:volume/vol-1', 'ap-south-1'),
  tagged('arn:aws:s3:::bucket-1', 'us-east-1'),
  tagged('arn:aws:sns:sa-east-1:123456789012:topic', 'sa-east-1', { owner: 'x', Name: 'y' }),
];

/** Values an intruder controls, shaped to trip a path resolver: prototype keys, arrays for strings, nulls. */
const hostileProps = JSON.parse(
  '{"__proto__": {"state": "running", "roles": ["admin"]}, "constructor": "x", "roles": null, "state": ["terminated"], "name": {"hasOwnProperty": 1}, "launchTime": 5, "keyName": "hasOwnProperty"}',
) as Record<string, never>;
export const hostile: Resource[] = [
  { ...instance('i-00000000000000h01', 'us-east-1'), props: hostileProps, tags: JSON.parse('{"__proto__": "web", "Name": "constructor"}') as Record<string, string> },
  { ...user('constructor'), props: JSON.parse('{"__proto__": {"passwordEnabled": true}, "passwordEnabled": "true", "mfaActive": null}') as Record<string, never> },
  { ...accessKey('AKIAHOSTILE000000001', '__proto__'), props: JSON.parse('{"user": "__proto__", "status": ["Active"], "createDate": {"__proto__": 1}, "lastActivity": "not a date"}') as Record<string, never> },
  { ...role('toString', []), props: JSON.parse('{"trustedPrincipals": [null, "*", {"a": 1}], "name": "toString"}') as Record<string, never> },
  fn('__proto__', 'us-east-1', { roles: ['constructor', 'hasOwnProperty'] }),
];

const fromCases = (set: Record<string, { fail: { baseline: Baseline; resources: Resource[]; timeline?: TimelineEvent[] }; pass: { baseline: Baseline; resources: Resource[]; timeline?: TimelineEvent[] } }>, label: string): Scenario[] =>
  Object.entries(set).flatMap(([id, c]) =>
    (['fail', 'pass'] as const).map((kind) => ({ name: `${label} ${id} ${kind}`, baseline: c[kind].baseline, resources: c[kind].resources, ...(c[kind].timeline ? { timeline: c[kind].timeline } : {}) })),
  );

export const scenarios: Scenario[] = [
  { name: 'mixed', baseline: declared, resources: mixed },
  { name: 'mixed, nothing declared', baseline: baseline({ regions: { allowed: ['us-east-1'] } }), resources: mixed },
  {
    name: 'mixed with gaps (a region of instances, IAM roles, Lambda everywhere)',
    baseline: declared,
    resources: mixed,
    gaps: [
      { type: 'ec2.instance', region: 'us-east-1', operation: 'ec2:DescribeInstances', code: 'AccessDenied', message: 'no' },
      { type: 'iam.role', region: 'global', operation: 'iam:GetAccountAuthorizationDetails', code: 'Throttling', message: 'slow' },
      { type: 'tagged.resource', region: 'sa-east-1', operation: 'tagging:GetResources', code: 'TimeoutError', message: 'late' },
    ],
  },
  { name: 'hostile props', baseline: declared, resources: [...mixed, ...hostile] },
  ...fromCases(CLOUDTRAIL_CASES, 'cloudtrail'),
  ...fromCases(CONFIG_CASES, 'config'),
  ...fromCases(INCIDENT_CASES, 'incident'),
  ...fromCases(HISTORY_CASES, 'history'),
];
