import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import type { Baseline } from '../../../src/model/baseline.js';
import type { Resource } from '../../../src/model/resource.js';
import {
  NOW,
  accessKey,
  attachment,
  baseline,
  daysAgo,
  fn,
  group,
  instance,
  spotFleet,
  spotRequest,
  tagged,
  inlinePolicy,
  inventory,
  loginProfile,
  membership,
  policy,
  role,
  root,
  user,
} from '../../helpers/resources.js';
import { CLOUDTRAIL_CASES } from './cloudtrail-cases.js';
import { CONFIG_CASES, configRow } from './config-cases.js';
import { INCIDENT_CASES } from './incident-cases.js';
import { HISTORY_CASES } from './history-cases.js';
import { historyFor } from '../../helpers/history.js';
import type { TimelineEvent } from '../../../src/timeline/event.js';

interface Case {
  baseline: Baseline;
  resources: Resource[];
  /** The exact subjects the rule must report (empty: the passing case). */
  subjects: string[];
  /** For a rule that reads history: the CloudTrail timeline joined to the resources. */
  timeline?: TimelineEvent[];
}

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const declaredCi = baseline({
  iam: {
    users: [{ name: 'ci', console: false, accessKeys: [{ id: 'AKIADECLARED00000001', maxAgeDays: 30 }], policies: [ADMIN], inlinePolicies: ['s3-read'], groups: ['deployers'] }],
    roles: [{ name: 'org-access', trustedPrincipals: ['111111111111'], policies: ['deploy'] }],
    groups: [{ name: 'deployers' }],
    policies: [{ name: 'deploy' }],
  },
  incident: { exposedKeys: ['AKIAEXPOSED000000001'], since: '2026-11-01T00:00:00Z' },
});

/** Keys by count: `rot` keeps one key (rotated every 30 days), `pair` two. */
const counted = baseline({
  iam: {
    users: [
      { name: 'rot', accessKeys: { count: 1, maxAgeDays: 30 } },
      { name: 'pair', accessKeys: { count: 2 } },
    ],
  },
});

const regional = baseline({
  regions: { allowed: ['us-east-1', 'eu-west-1'] },
  iam: { roles: [{ name: 'app-ec2' }, { name: 'lambda-exec' }] },
  resources: {
    'ec2.instance': [
      { id: 'i-0000000000000001a' },
      { region: 'us-east-1', tags: { team: 'web' }, max: 2, description: 'web fleet' },
    ],
    'ec2.spotRequest': [{ region: 'eu-west-1', name: 'batch-*' }],
    'ec2.spotFleetRequest': [{ id: 'sfr-declared' }],
    'lambda.function': [{ region: '*', name: 'orders-*' }, { id: 'billing-export', region: 'eu-west-1' }],
    'config.resource': [{ configType: 'AWS::S3::Bucket', id: 'AWS::S3::Bucket/logs', region: 'us-east-1' }],
  },
});

const cases: Record<string, { fail: Case; pass: Case }> = {
  ...CLOUDTRAIL_CASES,
  ...CONFIG_CASES,
  ...INCIDENT_CASES,
  ...HISTORY_CASES,
  'ec2-instance-undeclared': {
    fail: {
      baseline: regional,
      resources: [instance('i-0000000000000001a', 'us-east-1'), instance('i-0miner', 'ap-south-1', { instanceType: 'p3.16xlarge' }), instance('i-0web', 'eu-west-1', {}, { team: 'web' })],
      subjects: ['instance/ap-south-1/i-0miner', 'instance/eu-west-1/i-0web'],
    },
    pass: {
      baseline: regional,
      // terminated instances are gone: never judged
      resources: [instance('i-0000000000000001a', 'us-east-1'), instance('i-0web', 'us-east-1', {}, { team: 'web' }), instance('i-0old', 'us-east-1', { state: 'terminated' })],
      subjects: [],
    },
  },
  'ec2-spot-request-undeclared': {
    fail: {
      baseline: regional,
      resources: [spotRequest('sir-batch', 'eu-west-1', { name: 'batch-1' }), spotRequest('sir-miner', 'eu-west-1'), spotRequest('sir-far', 'sa-east-1', { name: 'batch-2' })],
      subjects: ['spotRequest/eu-west-1/sir-miner', 'spotRequest/sa-east-1/sir-far'],
    },
    pass: { baseline: regional, resources: [spotRequest('sir-batch', 'eu-west-1', { name: 'batch-1' }), spotRequest('sir-gone', 'us-east-1', { state: 'cancelled' })], subjects: [] },
  },
  'ec2-spot-fleet-undeclared': {
    fail: { baseline: regional, resources: [spotFleet('sfr-declared', 'us-east-1'), spotFleet('sfr-miner', 'us-west-2')], subjects: ['spotFleet/us-west-2/sfr-miner'] },
    pass: { baseline: regional, resources: [spotFleet('sfr-declared', 'us-east-1'), spotFleet('sfr-old', 'us-east-1', { state: 'cancelled' })], subjects: [] },
  },
  'lambda-function-undeclared': {
    fail: {
      baseline: regional,
      resources: [fn('orders-api', 'us-east-1'), fn('billing-export', 'us-east-1'), fn('xmr-worker', 'ap-northeast-1')],
      subjects: ['function/ap-northeast-1/xmr-worker', 'function/us-east-1/billing-export'],
    },
    pass: { baseline: regional, resources: [fn('orders-api', 'us-east-1'), fn('orders-api', 'ap-south-1'), fn('billing-export', 'eu-west-1')], subjects: [] },
  },
  'resource-region-not-allowed': {
    fail: {
      baseline: regional,
      resources: [
        instance('i-0miner', 'ap-south-1'),
        spotRequest('sir-far', 'sa-east-1'),
        spotFleet('sfr-far', 'us-west-2'),
        fn('orders-api', 'ap-south-1'),
        tagged('arn:aws:ec2:me-south-1:123456789012:volume/vol-1', 'me-south-1'),
        instance('i-0ok', 'eu-west-1'),
      ],
      subjects: ['instance/ap-south-1/i-0miner', 'spotRequest/sa-east-1/sir-far', 'spotFleet/us-west-2/sfr-far', 'function/ap-south-1/orders-api', 'tagged/me-south-1/arn:aws:ec2:me-south-1:123456789012:volume/vol-1'],
    },
    pass: {
      baseline: regional,
      resources: [instance('i-0ok', 'eu-west-1'), fn('orders-api', 'us-east-1'), instance('i-0gone', 'ap-south-1', { state: 'terminated' })],
      subjects: [],
    },
  },
  'ec2-instance-undeclared-role': {
    fail: {
      baseline: regional,
      resources: [instance('i-0a', 'us-east-1', { roles: ['app-ec2', 'admin-backdoor'], instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/x' })],
      subjects: ['instance/us-east-1/i-0a'],
    },
    pass: { baseline: regional, resources: [instance('i-0a', 'us-east-1', { roles: ['app-ec2'] }), instance('i-0b', 'us-east-1', { roles: [] })], subjects: [] },
  },
  'lambda-function-undeclared-role': {
    fail: { baseline: regional, resources: [fn('orders-api', 'us-east-1', { roleArn: 'arn:aws:iam::123456789012:role/admin-backdoor' })], subjects: ['function/us-east-1/orders-api'] },
    pass: { baseline: regional, resources: [fn('orders-api', 'us-east-1')], subjects: [] },
  },
  'ec2-instance-count-over-max': {
    fail: {
      baseline: regional,
      resources: ['i-1', 'i-2', 'i-3'].map((id) => instance(id, 'us-east-1', {}, { team: 'web' })),
      subjects: ['instance/us-east-1/{team=web}'],
    },
    pass: {
      baseline: regional,
      resources: [...['i-1', 'i-2'].map((id) => instance(id, 'us-east-1', {}, { team: 'web' })), instance('i-3', 'us-east-1', { state: 'terminated' }, { team: 'web' })],
      subjects: [],
    },
  },
  'resource-missing': {
    fail: {
      baseline: regional,
      resources: [fn('billing-export', 'us-east-1'), configRow('AWS::S3::Bucket', 'other', 'us-east-1')],
      subjects: ['instance/*/i-0000000000000001a', 'spotFleet/*/sfr-declared', 'function/eu-west-1/billing-export', 'config/us-east-1/AWS::S3::Bucket/logs'],
    },
    pass: {
      baseline: regional,
      resources: [instance('i-0000000000000001a', 'us-east-1'), spotFleet('sfr-declared', 'us-east-1'), fn('billing-export', 'eu-west-1'), configRow('AWS::S3::Bucket', 'logs', 'us-east-1')],
      subjects: [],
    },
  },
  'iam-user-undeclared': {
    fail: { baseline: declaredCi, resources: [user('ci'), user('attacker')], subjects: ['user/attacker'] },
    pass: { baseline: declaredCi, resources: [user('ci')], subjects: [] },
  },
  'iam-access-key-undeclared': {
    fail: {
      baseline: declaredCi,
      resources: [accessKey('AKIADECLARED00000001', 'ci'), accessKey('AKIASECONDKEY0000001', 'ci')],
      subjects: ['accessKey/AKIASECONDKEY0000001'],
    },
    pass: { baseline: declaredCi, resources: [accessKey('AKIADECLARED00000001', 'ci')], subjects: [] },
  },
  'iam-access-key-beyond-count': {
    fail: {
      baseline: counted,
      resources: [
        // both active: the younger one is beyond the count, whatever its id
        accessKey('AKIAAAAYOUNGER000001', 'rot', { createDate: daysAgo(1) }),
        accessKey('AKIAZZZOLDER00000001', 'rot', { createDate: daysAgo(20) }),
        // an inactive key gives way to an active one, even a younger one (a rotation's old key)
        accessKey('AKIAPAIROLD000000001', 'pair', { createDate: daysAgo(50), status: 'Inactive' }),
        accessKey('AKIAPAIRA00000000001', 'pair', { createDate: daysAgo(9) }),
        accessKey('AKIAPAIRB00000000001', 'pair', { createDate: daysAgo(3) }),
      ],
      subjects: ['accessKey/AKIAAAAYOUNGER000001', 'accessKey/AKIAPAIROLD000000001'],
    },
    pass: {
      baseline: counted,
      // a finished rotation: the new key alone; keys of other users are not counted here
      resources: [accessKey('AKIANEWKEY0000000001', 'rot', { createDate: daysAgo(1) }), accessKey('AKIAPAIRA00000000001', 'pair'), accessKey('AKIAPAIRB00000000001', 'pair'), accessKey('AKIAELSE000000000001', 'other')],
      subjects: [],
    },
  },
  'iam-access-key-displaced-older': {
    fail: {
      baseline: counted,
      resources: [
        // rot's own key is inactive, and a newer active one takes its one slot (a rotation's second half, or an intruder's key)
        accessKey('AKIAROTOLD0000000001', 'rot', { createDate: daysAgo(200), status: 'Inactive' }),
        accessKey('AKIAROTNEW0000000001', 'rot', { createDate: daysAgo(2) }),
      ],
      subjects: ['accessKey/AKIAROTNEW0000000001'],
    },
    pass: {
      baseline: counted,
      resources: [
        // both active: the younger one is beyond the count (another rule), and displaces nothing
        accessKey('AKIAROTOLD0000000001', 'rot', { createDate: daysAgo(200) }),
        accessKey('AKIAROTNEW0000000001', 'rot', { createDate: daysAgo(2) }),
        // pair keeps two: an inactive old key and two active ones would be three; here the count holds both
        accessKey('AKIAPAIROLD000000001', 'pair', { createDate: daysAgo(50), status: 'Inactive' }),
        accessKey('AKIAPAIRA00000000001', 'pair', { createDate: daysAgo(9) }),
      ],
      subjects: [],
    },
  },
  'iam-access-key-below-count': {
    fail: {
      baseline: counted,
      // `pair` has one key of two, `rot` none of one: a free slot each
      resources: [accessKey('AKIAPAIRA00000000001', 'pair')],
      subjects: ['accessKey/pair/*', 'accessKey/rot/*'],
    },
    pass: {
      baseline: counted,
      resources: [accessKey('AKIAROT0000000000001', 'rot'), accessKey('AKIAPAIRA00000000001', 'pair'), accessKey('AKIAPAIRB00000000001', 'pair', { status: 'Inactive' })],
      subjects: [],
    },
  },
  'iam-exposed-key-active': {
    fail: { baseline: declaredCi, resources: [accessKey('AKIAEXPOSED000000001', 'ci')], subjects: ['accessKey/AKIAEXPOSED000000001'] },
    pass: { baseline: declaredCi, resources: [accessKey('AKIAEXPOSED000000001', 'ci', { status: 'Inactive' }), accessKey('AKIADECLARED00000001', 'ci')], subjects: [] },
  },
  'iam-exposed-key-present': {
    fail: { baseline: declaredCi, resources: [accessKey('AKIAEXPOSED000000001', 'ci', { status: 'Inactive' })], subjects: ['accessKey/AKIAEXPOSED000000001'] },
    pass: { baseline: declaredCi, resources: [accessKey('AKIAEXPOSED000000001', 'ci')], subjects: [] },
  },
  'iam-console-password-undeclared': {
    fail: { baseline: declaredCi, resources: [loginProfile('ci')], subjects: ['loginProfile/ci'] },
    pass: {
      baseline: baseline({ iam: { users: [{ name: 'alice', console: true }] } }),
      resources: [loginProfile('alice')],
      subjects: [],
    },
  },
  'iam-policy-attachment-undeclared': {
    fail: {
      baseline: declaredCi,
      resources: [attachment('user', 'ci', ADMIN), attachment('role', 'org-access', ADMIN), attachment('role', 'org-access', 'arn:aws:iam::123456789012:policy/deploy')],
      subjects: [`attachment/role/org-access/${ADMIN}`],
    },
    pass: { baseline: declaredCi, resources: [attachment('user', 'ci', ADMIN), attachment('role', 'org-access', 'arn:aws:iam::123456789012:policy/deploy')], subjects: [] },
  },
  'iam-inline-policy-undeclared': {
    fail: { baseline: declaredCi, resources: [inlinePolicy('user', 'ci', 's3-read'), inlinePolicy('group', 'deployers', 'star', true)], subjects: ['inlinePolicy/group/deployers/star'] },
    // A deny-only document grants nothing (rollcall's own quarantine is one): iam-deny-policy-undeclared reports it.
    pass: { baseline: declaredCi, resources: [inlinePolicy('user', 'ci', 's3-read'), inlinePolicy('role', 'org-access', 'rollcall-quarantine', false, true)], subjects: [] },
  },
  'iam-deny-policy-undeclared': {
    fail: {
      baseline: declaredCi,
      resources: [
        inlinePolicy('role', 'org-access', 'rollcall-quarantine', false, true),
        inlinePolicy('user', 'ci', 'lockout', false, true),
        policy('deny-responders', { denyOnly: true }),
        inlinePolicy('user', 'ci', 's3-read', false, true),
        inlinePolicy('group', 'deployers', 'star', true),
        policy('escalate', { allowsAll: true }),
      ],
      subjects: ['inlinePolicy/role/org-access/rollcall-quarantine', 'inlinePolicy/user/ci/lockout', 'policy/deny-responders'],
    },
    pass: {
      baseline: declaredCi,
      resources: [inlinePolicy('user', 'ci', 's3-read', false, true), policy('deploy', { denyOnly: true }), inlinePolicy('user', 'ci', 'extra'), policy('escalate')],
      subjects: [],
    },
  },
  'iam-role-undeclared': {
    fail: { baseline: declaredCi, resources: [role('org-access', ['arn:aws:iam::111111111111:root']), role('backdoor', ['arn:aws:iam::999999999999:root'])], subjects: ['role/backdoor'] },
    pass: {
      baseline: baseline({ iam: { roles: [{ name: 'AWSServiceRoleFor*' }] } }),
      resources: [role('AWSServiceRoleForSupport', ['support.amazonaws.com'])],
      subjects: [],
    },
  },
  'iam-role-trusts-anyone': {
    // Declared or not: a trust in "*" is reported either way.
    fail: {
      baseline: baseline({ iam: { roles: [{ name: 'open', trustedPrincipals: ['*'] }] } }),
      resources: [role('open', ['*']), role('hidden', ['arn:aws:iam::111111111111:root', '*'])],
      subjects: ['role/hidden', 'role/open'],
    },
    pass: {
      baseline: declaredCi,
      resources: [role('org-access', ['arn:aws:iam::111111111111:root']), role('svc', ['lambda.amazonaws.com']), role('glob', ['arn:aws:iam::111111111111:role/*'])],
      subjects: [],
    },
  },
  'iam-role-untrusted-principal': {
    fail: {
      baseline: declaredCi,
      resources: [role('org-access', ['arn:aws:iam::111111111111:root', 'arn:aws:iam::999999999999:root'])],
      subjects: ['role/org-access'],
    },
    pass: {
      // A bare account id in the baseline equals the root ARN AWS stores.
      baseline: declaredCi,
      resources: [role('org-access', ['arn:aws:iam::111111111111:root']), role('undeclared', ['*'])],
      subjects: [],
    },
  },
  'iam-group-undeclared': {
    fail: { baseline: declaredCi, resources: [group('deployers'), group('shadow-admins')], subjects: ['group/shadow-admins'] },
    pass: { baseline: declaredCi, resources: [group('deployers')], subjects: [] },
  },
  'iam-customer-policy-undeclared': {
    fail: { baseline: declaredCi, resources: [policy('deploy'), policy('escalate', { allowsAll: true })], subjects: ['policy/escalate'] },
    pass: { baseline: declaredCi, resources: [policy('deploy'), policy('deny-only', { denyOnly: true })], subjects: [] },
  },
  'iam-group-membership-undeclared': {
    fail: { baseline: declaredCi, resources: [membership('ci', 'deployers'), membership('ci', 'admins')], subjects: ['membership/ci/admins'] },
    pass: { baseline: declaredCi, resources: [membership('ci', 'deployers')], subjects: [] },
  },
  'root-access-keys-present': {
    fail: { baseline: declaredCi, resources: [root({ accessKeysPresent: true })], subjects: ['root/root'] },
    pass: { baseline: baseline({ root: { accessKeys: 'allowed' } }), resources: [root({ accessKeysPresent: true })], subjects: [] },
  },
  'root-mfa-disabled': {
    fail: { baseline: declaredCi, resources: [root({ mfaEnabled: false })], subjects: ['root/root'] },
    pass: { baseline: declaredCi, resources: [root({ mfaEnabled: true })], subjects: [] },
  },
  'iam-access-key-too-old': {
    fail: {
      baseline: declaredCi,
      // declared limit 30 days; undeclared keys fall back to 90.
      resources: [accessKey('AKIADECLARED00000001', 'ci', { createDate: daysAgo(31) }), accessKey('AKIAOTHER00000000001', 'x', { createDate: daysAgo(91) })],
      subjects: ['accessKey/AKIADECLARED00000001', 'accessKey/AKIAOTHER00000000001'],
    },
    pass: {
      baseline: declaredCi,
      resources: [
        accessKey('AKIADECLARED00000001', 'ci', { createDate: daysAgo(29) }),
        accessKey('AKIAOTHER00000000001', 'x', { createDate: daysAgo(89) }),
        accessKey('AKIAOLDINACTIVE00001', 'x', { createDate: daysAgo(400), status: 'Inactive' }),
      ],
      subjects: [],
    },
  },
  'iam-access-key-unused': {
    fail: {
      baseline: declaredCi,
      resources: [accessKey('AKIANEVERUSED0000001', 'x', { createDate: daysAgo(120) }), accessKey('AKIAIDLE000000000001', 'x', { createDate: daysAgo(400), lastUsedDate: daysAgo(91) })],
      subjects: ['accessKey/AKIAIDLE000000000001', 'accessKey/AKIANEVERUSED0000001'],
    },
    pass: { baseline: declaredCi, resources: [accessKey('AKIABUSY000000000001', 'x', { createDate: daysAgo(400), lastUsedDate: daysAgo(1) })], subjects: [] },
  },
  'iam-user-console-without-mfa': {
    fail: { baseline: declaredCi, resources: [user('alice', { passwordEnabled: true, mfaActive: false })], subjects: ['user/alice'] },
    pass: { baseline: declaredCi, resources: [user('alice', { passwordEnabled: true, mfaActive: true }), user('bot', { passwordEnabled: false })], subjects: [] },
  },
  'iam-user-two-active-keys': {
    fail: { baseline: declaredCi, resources: [user('ci', { accessKeyCount: 2, activeAccessKeyCount: 2 })], subjects: ['user/ci'] },
    pass: { baseline: declaredCi, resources: [user('ci', { accessKeyCount: 2, activeAccessKeyCount: 1 })], subjects: [] },
  },
  'iam-user-missing': {
    fail: { baseline: declaredCi, resources: [user('someone-else')], subjects: ['user/ci'] },
    pass: { baseline: declaredCi, resources: [user('ci')], subjects: [] },
  },
  'iam-access-key-missing': {
    fail: { baseline: declaredCi, resources: [accessKey('AKIAROTATED000000001', 'ci')], subjects: ['accessKey/AKIADECLARED00000001'] },
    pass: { baseline: declaredCi, resources: [accessKey('AKIADECLARED00000001', 'ci')], subjects: [] },
  },
};

const rules = loadRules([builtinRulesDir()]);

describe('built-in rules', () => {
  it('every built-in rule has a failing and a passing case here', () => {
    expect(rules.map((r) => r.id).sort()).toEqual(Object.keys(cases).sort());
  });

  for (const rule of rules) {
    const c = cases[rule.id];
    if (!c) continue;
    for (const [kind, tc] of Object.entries(c) as ['fail' | 'pass', Case][]) {
      it(`${rule.id}: ${kind}`, () => {
        const history = tc.timeline ? historyFor({ events: tc.timeline }, tc.resources, tc.baseline) : undefined;
        const { violations } = evaluate({ inventory: inventory(tc.resources), baseline: tc.baseline, rules: [rule], now: NOW, ...(history ? { history } : {}) });
        expect(violations.every((v) => v.status === 'fail' && v.ruleId === rule.id)).toBe(true);
        expect(violations.map((v) => v.subject).sort()).toEqual([...tc.subjects].sort());
        for (const v of violations) {
          expect(v.message).not.toMatch(/\{\{|undefined|\[object Object\]/);
          expect(v.message.length).toBeGreaterThan(20);
        }
      });
    }
  }

  it("iam-deny-policy-undeclared says whether the deny is rollcall's containment or someone else's", () => {
    const rule = rules.find((r) => r.id === 'iam-deny-policy-undeclared')!;
    const resources = [
      inlinePolicy('role', 'org-access', 'rollcall-quarantine', false, true),
      inlinePolicy('user', 'ci', 'rollcall-revoke-sessions', false, true),
      inlinePolicy('user', 'ci', 'lockout', false, true),
      policy('deny-responders', { denyOnly: true, attachmentCount: 2 }),
    ];
    const { violations } = evaluate({ inventory: inventory(resources), baseline: declaredCi, rules: [rule], now: NOW });
    expect(Object.fromEntries(violations.map((v) => [v.subject, v.message]))).toEqual({
      'inlinePolicy/role/org-access/rollcall-quarantine':
        'Inline policy rollcall-quarantine on role org-access only denies and is not declared in the baseline: by its name, the containment rollcall apply puts in place; once the role is safe again, lift it by deleting this policy (rollcall undo would also reverse every other step of that apply), or declare it while it stays.',
      'inlinePolicy/user/ci/rollcall-revoke-sessions':
        'Inline policy rollcall-revoke-sessions on user ci only denies and is not declared in the baseline: by its name, the containment rollcall apply puts in place; once the user is safe again, lift it by deleting this policy (rollcall undo would also reverse every other step of that apply), or declare it while it stays.',
      'inlinePolicy/user/ci/lockout':
        'Inline policy lockout on user ci only denies and is not declared in the baseline: it grants nothing, but an intruder can use a deny to lock responders out; find out who added it and why.',
      'policy/deny-responders':
        'Customer managed policy deny-responders (attached 2 time(s)) only denies and is not declared in the baseline: it grants nothing, but an intruder can use a deny to lock responders out; find out who added it and why.',
    });
    expect(violations.every((v) => v.severity === 'info' && v.remediation.join() === 'manualReview')).toBe(true);
  });
});
