import { describe, expect, it } from 'vitest';
import { ACTIONS, ACTION_KINDS } from '../../../src/actions/registry.js';
import type { StepAction } from '../../../src/model/action.js';
import { declaredKeys } from '../../../src/model/baseline.js';
import { digestOf } from '../../../src/model/digest.js';
import { trail, withAccount } from '../rules/cloudtrail-cases.js';
import { configRow, withTypes } from '../rules/config-cases.js';
import { PLAN_FORMAT, type Plan, type PlanStep } from '../../../src/model/plan.js';
import { subjectOf, type Resource } from '../../../src/model/resource.js';
import type { Violation } from '../../../src/model/violation.js';
import { ROOT_INSTRUCTIONS, supportText } from '../../../src/plan/instructions.js';
import { ACTION_ORDER, PHASES, phaseOf } from '../../../src/plan/order.js';
import { knownFacts, preconditionOf } from '../../../src/plan/describe.js';
import { DEFAULT_GRACE_DAYS, makePlan } from '../../../src/plan/planner.js';
import { ruleTypes } from '../../../src/model/rule.js';
import {
  ACCOUNT,
  NOW,
  accessKey,
  attachment,
  daysAgo,
  fn,
  group,
  inlinePolicy,
  instance,
  inventory,
  loginProfile,
  membership,
  policy,
  role,
  root,
  spotFleet,
  spotRequest,
  tagged,
  user,
} from '../../helpers/resources.js';
import { ADMIN, EXPOSED, RULES, ci, compromise, declaring, incidentBaseline, planFor, violationsOf, expectTopological, ids, pos, step } from './fixtures.js';

const actions = (plan: Plan) => plan.steps.map((s) => s.action);


const CONTAIN_AND_CUT = [
  'createReplacementKey accessKey/new:legacy-bot',
  `manualSwitchCredentials accessKey/${EXPOSED}`,
  'deactivateAccessKey accessKey/AKIABACKUP0000000001',
  'deactivateAccessKey accessKey/AKIACISECOND00000001',
  `deactivateAccessKey accessKey/${EXPOSED}`,
  'quarantineUser user/backup-admin',
  'quarantineRole role/org',
  'quarantineRole role/support-audit',
  'revokeRoleSessions role/org',
  'revokeRoleSessions role/support-audit',
  'throttleFunction function/us-east-1/sys-update-check',
  'stopInstance instance/us-east-1/i-0miner',
  'cancelSpotRequest spotRequest/us-east-1/sir-1',
  `detachPolicy attachment/role/support-audit/${ADMIN}`,
  `detachPolicy attachment/user/backup-admin/${ADMIN}`,
  'removeUserFromGroup membership/legacy-bot/admins',
];
const MANUAL = ['manualRootPassword root/root', 'manualRootMfa root/root', 'manualReview role/org', 'manualReview user/backup-admin', 'manualReview user/ci', 'manualContactSupport root/root'];
const DESTROY = [
  'deleteLoginProfile loginProfile/backup-admin',
  'deleteInlinePolicy inlinePolicy/user/legacy-bot/maintenance',
  'deleteAccessKey accessKey/AKIABACKUP0000000001',
  'deleteAccessKey accessKey/AKIACISECOND00000001',
  'terminateInstance instance/us-east-1/i-0miner',
  'deleteFunction function/us-east-1/sys-update-check',
  'deleteUser user/backup-admin',
  'deleteRole role/support-audit',
  'deletePolicy policy/ops-break-glass',
];

describe('makePlan: reversible first', () => {
  it('by default plans only non-destructive steps, contain -> cut -> manual, and says what it left out', () => {
    const { plan, warnings } = planFor(compromise());
    expect(ids(plan)).toEqual([...CONTAIN_AND_CUT, ...MANUAL]);
    expect(plan.steps.filter((s) => s.destructive)).toEqual([]);
    expect(plan).toMatchObject({ format: PLAN_FORMAT, tool: { name: 'rollcall', version: '9.9.9' }, accountId: ACCOUNT, complete: true, destructive: false, createdAt: NOW.toISOString() });
    expect(warnings).toContain(
      `Reversible first: 9 destructive steps not planned (${[...DESTROY].sort().join(', ')}); plan with --destructive to include them.`,
    );
    expect(plan.warnings!.filter((w) => w.code === 'steps-left-out').map((w) => w.text)).toEqual([expect.stringMatching(/^Reversible first: 9 destructive steps/)]);
    // Each manual review lists its findings with their rules, and why rollcall could not act when it could not.
    for (const s of plan.steps.filter((x) => x.action === 'manualReview')) {
      expect(s.reasons!.length).toBeGreaterThan(0);
      expect(s.reasons!.every((r) => r.rule.length > 0 && s.instructions!.includes(`- ${r.text}`))).toBe(true);
    }
  });

  it('--destructive adds the destroy phase, each destructive step after the reversible steps on its target', () => {
    const { plan, warnings } = planFor(compromise(), { destructive: true });
    expect(ids(plan)).toEqual([...CONTAIN_AND_CUT, ...DESTROY, ...MANUAL]);
    expect(plan.destructive).toBe(true);
    expectTopological(plan);
    expect(step(plan, 'deleteAccessKey accessKey/AKIABACKUP0000000001').dependsOn).toEqual(['deactivateAccessKey accessKey/AKIABACKUP0000000001']);
    expect(step(plan, 'terminateInstance instance/us-east-1/i-0miner').dependsOn).toEqual([
      'stopInstance instance/us-east-1/i-0miner',
      'cancelSpotRequest spotRequest/us-east-1/sir-1', // a persistent request would relaunch it
    ]);
    expect(step(plan, 'deleteFunction function/us-east-1/sys-update-check').dependsOn).toEqual(['throttleFunction function/us-east-1/sys-update-check']);
    // quarantine before deleteUser, and everything the user holds before the user
    expect(step(plan, 'deleteUser user/backup-admin').dependsOn).toEqual([
      'deactivateAccessKey accessKey/AKIABACKUP0000000001',
      'quarantineUser user/backup-admin',
      `detachPolicy attachment/user/backup-admin/${ADMIN}`,
      'deleteLoginProfile loginProfile/backup-admin',
      'deleteAccessKey accessKey/AKIABACKUP0000000001',
    ]);
    expect(step(plan, 'deleteRole role/support-audit').dependsOn).toEqual([
      'quarantineRole role/support-audit',
      'revokeRoleSessions role/support-audit',
      `detachPolicy attachment/role/support-audit/${ADMIN}`,
    ]);
    expect(warnings.some((w) => w.includes('destructive steps not planned'))).toBe(false);
  });

  it('an incomplete inventory plans no destructive step, even with --destructive', () => {
    const gap = { type: 'ec2.instance' as const, region: 'ap-south-1', operation: 'ec2:DescribeInstances', code: 'AccessDenied', message: 'no' };
    const { plan, warnings } = planFor(compromise(), { destructive: true, gaps: [gap] });
    expect(plan.complete).toBe(false);
    expect(plan.destructive).toBe(true);
    expect(plan.steps.filter((s) => s.destructive)).toEqual([]);
    expect(ids(plan)).toEqual([...CONTAIN_AND_CUT, ...MANUAL]);
    expect(warnings.find((w) => w.startsWith('The inventory is incomplete (1 gap): 9 destructive steps left out, even with --destructive'))).toBeDefined();
    expect(warnings.at(-1)).toMatch(/^\d+ checks could not be made \(the inventory is incomplete\): nothing is planned for them\.$/);
  });

  it('steps carry the catalogue flags of their action', () => {
    const { plan } = planFor(compromise(), { destructive: true });
    for (const s of plan.steps) {
      expect(s.reversible).toBe(ACTIONS[s.action].reversible);
      expect(s.destructive).toBe(ACTIONS[s.action].destructive);
      expect(s.instructions !== undefined).toBe(ACTIONS[s.action].manual);
    }
  });
});

describe('makePlan: steps, ids and order', () => {
  it('one step per (action, target): violations asking the same thing merge, their fingerprints accumulate', () => {
    // An undeclared key, old and unused for 100 days: three rules, each asks to deactivate it (one through a rotation).
    const resources = [...ci(), accessKey('AKIAOLD0000000000001', 'ci', { createDate: daysAgo(200), lastUsedDate: daysAgo(100) })];
    const { plan, violations } = planFor(resources, { baseline: declaring('ci') });
    const onKey = violations.filter((v) => v.subject === 'accessKey/AKIAOLD0000000000001');
    expect(onKey.map((v) => v.ruleId).sort()).toEqual(['iam-access-key-too-old', 'iam-access-key-undeclared', 'iam-access-key-unused']);
    const deactivations = plan.steps.filter((s) => s.action === 'deactivateAccessKey');
    expect(deactivations).toHaveLength(1);
    expect(deactivations[0]!.because).toEqual(onKey.map((v) => v.fingerprint).sort());
  });

  it('ids are `${action} ${subject}`, unique; the order is the same whatever the order of the violations', () => {
    const { plan, violations, inventory: inv } = planFor(compromise(), { destructive: true });
    for (const s of plan.steps) expect(s.id).toBe(`${s.action} ${s.target.subject}`);
    expect(new Set(ids(plan)).size).toBe(plan.steps.length);
    const shuffled = [...violations].reverse();
    const again = makePlan({ inventory: inv, baseline: incidentBaseline(), violations: shuffled, now: NOW, version: '9.9.9', destructive: true });
    expect(again.plan).toEqual(plan);
  });

  it('phases never go backwards: contain, cut, destroy, manual', () => {
    const { plan } = planFor(compromise(), { destructive: true });
    const order = ['contain', 'cut', 'destroy', 'manual'];
    const phases = actions(plan).map((a) => order.indexOf(phaseOf(a)));
    expect(phases).toEqual([...phases].sort((a, b) => a - b));
    expectTopological(plan);
  });

  it('the phase table lists every step action exactly once', () => {
    const all = Object.values(PHASES).flat();
    expect([...all].sort()).toEqual(Object.keys(ACTIONS).sort());
    expect(ACTION_ORDER).toHaveLength(ACTION_KINDS.length - 1);
  });

  it('targets carry what an executor needs in ref', () => {
    const { plan } = planFor(compromise(), { destructive: true });
    expect(step(plan, 'deactivateAccessKey accessKey/AKIABACKUP0000000001').target).toEqual({
      type: 'iam.accessKey',
      id: 'AKIABACKUP0000000001',
      region: 'global',
      ref: { user: 'backup-admin' },
      subject: 'accessKey/AKIABACKUP0000000001',
    });
    expect(step(plan, 'deleteLoginProfile loginProfile/backup-admin').target.ref).toEqual({ user: 'backup-admin' });
    expect(step(plan, `detachPolicy attachment/user/backup-admin/${ADMIN}`).target.ref).toEqual({ principalType: 'user', principalName: 'backup-admin', policyArn: ADMIN });
    expect(step(plan, 'deleteInlinePolicy inlinePolicy/user/legacy-bot/maintenance').target.ref).toEqual({ principalType: 'user', principalName: 'legacy-bot', policyName: 'maintenance' });
    expect(step(plan, 'removeUserFromGroup membership/legacy-bot/admins').target.ref).toEqual({ user: 'legacy-bot', group: 'admins' });
    expect(step(plan, 'quarantineUser user/backup-admin').target).toEqual({
      type: 'iam.user',
      id: 'backup-admin',
      region: 'global',
      arn: `arn:aws:iam::${ACCOUNT}:user/backup-admin`,
      ref: {},
      subject: 'user/backup-admin',
    });
    expect(step(plan, 'stopInstance instance/us-east-1/i-0miner').target).toMatchObject({ type: 'ec2.instance', id: 'i-0miner', region: 'us-east-1', ref: {} });
  });

  it('preconditions: the facts that justified each step, and the state it expects', () => {
    const { plan } = planFor(compromise(), { destructive: true });
    expect(step(plan, 'deactivateAccessKey accessKey/AKIABACKUP0000000001').precondition).toEqual({ exists: true, props: { user: 'backup-admin', status: 'Active' } });
    expect(step(plan, 'deleteAccessKey accessKey/AKIABACKUP0000000001').precondition).toEqual({ exists: true, props: { user: 'backup-admin' } });
    expect(step(plan, 'quarantineRole role/org').precondition).toEqual({
      exists: true,
      props: { roleId: 'AROAORG', trustedPrincipals: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::666666666666:root'] },
    });
    expect(step(plan, 'quarantineUser user/backup-admin').precondition).toEqual({ exists: true, props: { userId: 'AIDABACKUP-ADMIN' } });
    const launched = compromise().find((r) => r.id === 'i-0miner')!.props.launchTime;
    expect(step(plan, 'stopInstance instance/us-east-1/i-0miner').precondition).toEqual({ exists: true, props: { instanceType: 'p3.16xlarge', launchTime: launched, state: 'running' } });
    expect(step(plan, 'terminateInstance instance/us-east-1/i-0miner').precondition).toEqual({ exists: true, props: { instanceType: 'p3.16xlarge', launchTime: launched } });
    expect(step(plan, `detachPolicy attachment/user/backup-admin/${ADMIN}`).precondition.props).toEqual({ principalType: 'user', principalName: 'backup-admin', policyArn: ADMIN });
    expect(step(plan, 'throttleFunction function/us-east-1/sys-update-check').precondition.props).toEqual({ roleArn: 'arn:aws:iam::123456789012:role/support-audit' });
    expect(step(plan, 'manualRootMfa root/root').precondition).toEqual({ exists: true, props: { mfaEnabled: false } });
  });

  it("preconditions hold only what AWS said: '' (not said, as moto's missing PolicyId) is dropped, null (none) is kept", () => {
    const resources = compromise().map((r) =>
      r.id === 'ops-break-glass' ? { ...r, props: { ...r.props, policyId: '' } } : r.id === 'support-audit' ? { ...r, props: { ...r.props, roleId: '' } } : r,
    );
    const { plan } = planFor(resources, { destructive: true });
    expect(step(plan, 'deletePolicy policy/ops-break-glass').precondition).toEqual({ exists: true, props: {} });
    expect(step(plan, 'quarantineRole role/support-audit').precondition).toEqual({ exists: true, props: { trustedPrincipals: ['arn:aws:iam::666666666666:root'] } });
    expect(preconditionOf('deleteAccessKey', { user: '' })).toEqual({ exists: true, props: {} });
    expect(preconditionOf('stopInstance', { instanceType: '', launchTime: null, state: 'running' })).toEqual({ exists: true, props: { launchTime: null, state: 'running' } });
    expect(knownFacts({ a: '', b: null, c: 0, d: false, e: [], f: undefined, g: 'x' })).toEqual({ b: null, c: 0, d: false, e: [], g: 'x' });
  });

  it('descriptions are one readable line', () => {
    const { plan } = planFor(compromise(), { destructive: true });
    expect(step(plan, 'deactivateAccessKey accessKey/AKIABACKUP0000000001').description).toBe('Deactivate access key AKIABACKUP0000000001 of user backup-admin');
    expect(step(plan, 'stopInstance instance/us-east-1/i-0miner').description).toBe('Stop instance i-0miner (p3.16xlarge) in us-east-1');
    expect(step(plan, `detachPolicy attachment/user/backup-admin/${ADMIN}`).description).toBe(`Detach policy ${ADMIN} from user backup-admin`);
    for (const s of plan.steps) expect(s.description).not.toMatch(/\n/);
  });

  it('a target already in the step\'s end state gets no step: an inactive key is not deactivated, a stopped instance not stopped', () => {
    const { plan } = planFor([...ci(), accessKey('AKIAOFF0000000000001', 'ci', { status: 'Inactive' }), instance('i-0stopped', 'us-east-1', { state: 'stopped' })], {
      destructive: true,
      baseline: declaring('ci'),
    });
    expect(ids(plan)).toEqual(['deleteAccessKey accessKey/AKIAOFF0000000000001', 'terminateInstance instance/us-east-1/i-0stopped']);
    expect(plan.steps.every((s) => s.dependsOn.length === 0)).toBe(true);
  });

  it('a spot instance is terminated after its request is cancelled, whichever side names the other', () => {
    const b = declaring();
    const { plan } = planFor([instance('i-0a', 'us-east-1'), spotRequest('sir-a', 'us-east-1', { instanceId: 'i-0a' }), instance('i-0b', 'us-east-1', { spotRequestId: 'sir-b' }), spotRequest('sir-b', 'us-east-1')], { destructive: true, baseline: b });
    expect(step(plan, 'terminateInstance instance/us-east-1/i-0a').dependsOn).toEqual(['stopInstance instance/us-east-1/i-0a', 'cancelSpotRequest spotRequest/us-east-1/sir-a']);
    expect(step(plan, 'terminateInstance instance/us-east-1/i-0b').dependsOn).toEqual(['stopInstance instance/us-east-1/i-0b', 'cancelSpotRequest spotRequest/us-east-1/sir-b']);
  });

  it('a customer policy is deleted after it is detached everywhere the plan detaches it', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/ops-break-glass`;
    const { plan } = planFor([policy('ops-break-glass'), user('mallory'), attachment('user', 'mallory', arn)], { destructive: true, baseline: declaring() });
    expect(step(plan, 'deletePolicy policy/ops-break-glass').dependsOn).toEqual([`detachPolicy attachment/user/mallory/${arn}`]);
    expect(step(plan, 'deleteUser user/mallory').dependsOn).toEqual(['quarantineUser user/mallory', `detachPolicy attachment/user/mallory/${arn}`]);
  });

  it('a group is deleted after its members are removed', () => {
    const { plan } = planFor([group('shadow'), ...ci(), membership('ci', 'shadow')], { destructive: true, baseline: declaring('ci') });
    expect(ids(plan)).toEqual(['removeUserFromGroup membership/ci/shadow', 'deleteGroup group/shadow']);
    expect(step(plan, 'deleteGroup group/shadow').dependsOn).toEqual(['removeUserFromGroup membership/ci/shadow']);
  });
});

describe('makePlan: suppressed and unknown violations', () => {
  it('plan nothing', () => {
    const inv = inventory(compromise());
    const b = incidentBaseline();
    const violations = violationsOf(inv, b);
    const quiet: Violation[] = violations.map((v, i) => (i % 2 === 0 ? { ...v, suppressed: { reason: 'SEC-1', expires: '2099-01-01' } } : { ...v, status: 'unknown' }));
    const { plan, warnings } = makePlan({ inventory: inv, baseline: b, violations: quiet, now: NOW, version: '1', destructive: true });
    expect(plan.steps).toEqual([]);
    expect(warnings).toEqual([`${Math.floor(violations.length / 2)} checks could not be made (the inventory is incomplete): nothing is planned for them.`]);
  });

  it('an empty audit gives an empty plan', () => {
    const { plan, warnings } = planFor([...ci(), root()], { baseline: declaring('ci') });
    expect(plan.steps).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

/** One resource of each type, as the built-in rules see them. */
function sample(type: Resource['type']): Resource {
  switch (type) {
    case 'account.root':
      return root({ mfaEnabled: false, accessKeysPresent: true });
    case 'iam.user':
      return user('mallory', { passwordEnabled: true, activeAccessKeyCount: 2 });
    case 'iam.accessKey':
      return accessKey('AKIAMALLORY000000001', 'mallory');
    case 'iam.loginProfile':
      return loginProfile('mallory');
    case 'iam.role':
      // Declared in the baseline (trusting 111111111111), so that its trust policy can be restored.
      return role('org', ['arn:aws:iam::666666666666:root'], {
        trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::666666666666:root' }, Action: 'sts:AssumeRole' }] },
      });
    case 'iam.group':
      return group('shadow');
    case 'iam.policy':
      return policy('ops');
    case 'iam.policyAttachment':
      return attachment('user', 'mallory', ADMIN);
    case 'iam.inlinePolicy':
      return inlinePolicy('role', 'backdoor', 'all', true);
    case 'iam.groupMembership':
      return membership('mallory', 'shadow');
    case 'ec2.instance':
      return instance('i-0miner', 'ap-south-1');
    case 'ec2.spotRequest':
      return spotRequest('sir-1', 'ap-south-1');
    case 'ec2.spotFleetRequest':
      return spotFleet('sfr-1', 'ap-south-1');
    case 'lambda.function':
      return fn('xmr', 'ap-south-1');
    case 'tagged.resource':
      return tagged('arn:aws:s3:::exfil-bucket', 'ap-south-1');
    case 'cloudtrail.trail':
      return trail('main', 'us-east-1', { multiRegion: true, logging: false, stoppedAt: '2026-11-03T10:00:00Z' });
    case 'account.cloudtrail':
      return withAccount([trail('main', 'us-east-1', { multiRegion: true, logging: false })]).at(-1)!;
    case 'config.resource':
      return configRow('AWS::SageMaker::NotebookInstance', 'miner', 'ap-south-1', { name: 'miner' });
    case 'config.resourceType':
      return withTypes([configRow('AWS::SageMaker::NotebookInstance', 'miner', 'ap-south-1', { name: 'miner' })]).at(-1)!;
  }
}

describe('makePlan: every built-in rule', () => {
  const cases = RULES.flatMap((rule) => ruleTypes(rule).map((type) => ({ name: `${rule.id} on ${type}`, rule, type })));

  it.each(cases)('$name: each remediation kind becomes valid steps', ({ rule, type }) => {
    const r = sample(type);
    const subject = subjectOf(r.type, r.id, r.region);
    const v: Violation = {
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      status: 'fail',
      subject,
      resourceType: type,
      resourceId: r.id,
      region: r.region,
      message: 'm',
      fingerprint: '0123456789abcdef0123456789abcdef',
      remediation: rule.remediation,
    };
    const inv = inventory([r]);
    const { plan } = makePlan({ inventory: inv, baseline: incidentBaseline({ incident: {} }), violations: [v], now: NOW, version: '1', destructive: true });
    expectTopological(plan);
    for (const s of plan.steps) {
      const targets = ACTIONS[s.action].targets;
      if (targets.length > 0) expect(targets, s.id).toContain(s.target.type);
      expect(s.because).toEqual([v.fingerprint]);
    }
    const planned = new Set(actions(plan));
    for (const kind of rule.remediation) {
      if (kind === 'rotateAccessKey') {
        expect([...planned]).toEqual(expect.arrayContaining(['createReplacementKey', 'manualSwitchCredentials', 'deactivateAccessKey']));
        continue;
      }
      // A key being rotated is still active: it is deleted in a later plan, once unused for the grace period.
      if (kind === 'deleteAccessKey' && rule.remediation.includes('rotateAccessKey')) continue;
      const fits = ACTIONS[kind].targets.length === 0 || ACTIONS[kind].targets.includes(type);
      // A kind that cannot act on the rule's type becomes a manual review of the resource.
      expect(planned.has(fits ? kind : 'manualReview'), `${kind} on ${type}`).toBe(true);
    }
    if (rule.severity === 'critical') expect(planned.has('manualContactSupport')).toBe(true);
  });

  it('a kind that cannot act on the resource becomes a manual review that says why (two active keys on a user)', () => {
    const resources = [user('ci', { activeAccessKeyCount: 2 }), accessKey('AKIACI00000000000001', 'ci'), accessKey('AKIACI00000000000002', 'ci'), attachment('user', 'ci', ADMIN), membership('ci', 'deployers')];
    const b = declaring('ci');
    declaredKeys(b.iam!.users![0]!).push({ id: 'AKIACI00000000000002' });
    const { plan } = planFor(resources, { baseline: b });
    expect(ids(plan)).toEqual(['manualReview user/ci']);
    expect(plan.steps[0]!.instructions).toContain('User with two active access keys: User ci has 2 active access keys');
    expect(plan.steps[0]!.instructions).toContain(
      'rollcall cannot deactivateAccessKey here: it acts on iam.accessKey, not on iam.user; do it by hand if it is needed (access keys of ci: AKIACI00000000000001 Active, AKIACI00000000000002 Active)',
    );
    expect(plan.steps[0]!.reasons!.map((r) => [r.code, r.rule])).toEqual([
      ['finding', 'iam-user-two-active-keys'],
      ['other-target-type', 'iam-user-two-active-keys'],
    ]);
  });

  it('a missing resource is reviewed by hand: the target is what the baseline declares, and does not exist', () => {
    const b = declaring('ci');
    b.iam!.users!.push({ name: 'ghost' });
    const { plan } = planFor(ci(), { baseline: b });
    const review = step(plan, 'manualReview user/ghost');
    expect(review.target).toEqual({ type: 'iam.user', id: 'ghost', region: 'global', ref: {}, subject: 'user/ghost' });
    expect(review.precondition).toEqual({ exists: false, props: {} });
    expect(review.instructions).toBe(
      [
        'Look at user/ghost and settle each finding by hand:',
        '- Declared IAM user is missing: User ghost is declared in the baseline but does not exist.',
        'Fix what is wrong. Where the account is as it should be, say so in the baseline: declare what you found, or add an exception with a reason and an expiry date.',
      ].join('\n'),
    );
  });
});

describe('makePlan: exposed-key rotation across runs', () => {
  const legacy = (key: Resource, ...more: Resource[]) => [user('legacy-bot'), key, ...more];
  const only = (destructive = false) => ({ destructive, baseline: declaring('legacy-bot') });

  it('(a) active, no other key: create a replacement, switch by hand, then deactivate', () => {
    const { plan, warnings } = planFor(legacy(accessKey(EXPOSED, 'legacy-bot', { lastUsedDate: daysAgo(0) })), only(true));
    expect(ids(plan)).toEqual([
      'createReplacementKey accessKey/new:legacy-bot',
      `manualSwitchCredentials accessKey/${EXPOSED}`,
      `deactivateAccessKey accessKey/${EXPOSED}`,
      'manualContactSupport root/root',
    ]);
    const create = plan.steps[0]!;
    expect(create.target).toEqual({ type: 'iam.accessKey', id: 'new:legacy-bot', region: 'global', ref: { user: 'legacy-bot' }, subject: 'accessKey/new:legacy-bot' });
    expect(create.precondition).toEqual({ exists: false, props: {} });
    const sw = plan.steps[1]!;
    expect(sw.dependsOn).toEqual([create.id]);
    expect(sw.target.ref).toEqual({ user: 'legacy-bot', replacement: 'new:legacy-bot' });
    expect(sw.instructions).toContain('writes its id and secret to a new file (mode 0600)');
    expect(sw.instructions).toContain(`every application, CI secret and configuration that uses access key ${EXPOSED}`);
    expect(sw.instructions).toContain('under iam.users, name legacy-bot, accessKeys');
    expect(plan.steps[2]!.dependsOn).toEqual([sw.id]);
    // Still active: no deletion in this run, even with --destructive.
    expect(warnings).toEqual([
      `Exposed access key ${EXPOSED} of user legacy-bot is still active: this plan switches its applications and deactivates it; delete it in a later plan, 7 days after its deactivation if it shows no use since.`,
    ]);
  });

  it('(b) active, and the user already has another key (the replacement from an earlier run): switch, then deactivate', () => {
    const b = declaring('legacy-bot');
    declaredKeys(b.iam!.users![0]!).push({ id: 'AKIANEW0000000000001' });
    const { plan, warnings } = planFor(legacy(accessKey(EXPOSED, 'legacy-bot'), accessKey('AKIANEW0000000000001', 'legacy-bot')), { baseline: b });
    expect(ids(plan)).toEqual([`manualSwitchCredentials accessKey/${EXPOSED}`, `deactivateAccessKey accessKey/${EXPOSED}`, 'manualContactSupport root/root']);
    expect(plan.steps[0]!.dependsOn).toEqual([]);
    expect(plan.steps[0]!.target.ref).toEqual({ user: 'legacy-bot', replacement: 'AKIANEW0000000000001' });
    expect(plan.steps[0]!.description).toBe(`Switch every application that uses access key ${EXPOSED} (user legacy-bot) to the replacement key AKIANEW0000000000001`);
    expect(plan.steps[0]!.instructions).toContain('already has another access key, AKIANEW0000000000001 (Active)');
    expect(plan.steps[1]!.dependsOn).toEqual([plan.steps[0]!.id]);
    expect(warnings).toHaveLength(1); // only: delete it in a later plan
  });

  it('(b) the other key is inactive: no replacement can be made; the switch step says what to do', () => {
    const b = declaring('legacy-bot');
    declaredKeys(b.iam!.users![0]!).push({ id: 'AKIAOFF0000000000001' });
    const { plan, warnings } = planFor(legacy(accessKey(EXPOSED, 'legacy-bot'), accessKey('AKIAOFF0000000000001', 'legacy-bot', { status: 'Inactive' })), { baseline: b });
    expect(actions(plan)).toEqual(['manualSwitchCredentials', 'deactivateAccessKey', 'manualContactSupport']);
    expect(plan.steps[0]!.instructions).toContain('AWS allows two keys per user, so rollcall cannot create a replacement');
    expect(warnings[0]).toContain(`rollcall cannot create a replacement for ${EXPOSED}`);
  });

  it('(b) an undeclared other key is a stranger, never the replacement: contained, and it blocks the rotation (rotation-strangers.test.ts)', () => {
    const { plan, warnings } = planFor(legacy(accessKey(EXPOSED, 'legacy-bot'), accessKey('AKIANEW0000000000001', 'legacy-bot')), only());
    expect(ids(plan)).toContain('deactivateAccessKey accessKey/AKIANEW0000000000001');
    expect(plan.steps.map((s) => s.target.ref.replacement).filter((r) => r !== undefined)).toEqual([]);
    expect(warnings.join('\n')).not.toContain('named as the replacement');
  });

  describe('(c) inactive, deactivated by rollcall: deleted only with --destructive, after the grace period, if unused since the deactivation', () => {
    const TAG = `rollcall:deactivated:${EXPOSED}`;
    const off = (deactivatedAt: string, lastUsedDate: string | null = null) => {
      const u = user('legacy-bot');
      return [{ ...u, tags: { [TAG]: deactivatedAt } }, accessKey(EXPOSED, 'legacy-bot', { status: 'Inactive', lastUsedDate })];
    };

    it('deactivated recently: no step, and the warning gives the end of the grace period', () => {
      const { plan, warnings } = planFor(off(daysAgo(2)), only(true));
      expect(plan.steps).toEqual([]);
      expect(warnings).toEqual([
        `Exposed access key ${EXPOSED} of user legacy-bot was deactivated ${daysAgo(2)}: it is not deleted during its 7-day grace period until ${daysAgo(-5)}; plan again after that.`,
      ]);
    });

    it('deactivated longer ago than the grace period and not used since: delete; the precondition holds the tag', () => {
      const { plan, warnings } = planFor(off(daysAgo(DEFAULT_GRACE_DAYS), daysAgo(DEFAULT_GRACE_DAYS + 1)), only(true));
      expect(ids(plan)).toEqual([`deleteAccessKey accessKey/${EXPOSED}`]);
      expect(plan.steps[0]!.precondition).toEqual({
        exists: true,
        props: { user: 'legacy-bot', status: 'Inactive', lastUsedDate: daysAgo(DEFAULT_GRACE_DAYS + 1), deactivatedAt: daysAgo(DEFAULT_GRACE_DAYS) },
      });
      expect(warnings).toEqual([]);
    });

    it('used after its deactivation (reactivated meanwhile): no step, however long ago', () => {
      const { plan, warnings } = planFor(off(daysAgo(30), daysAgo(20)), only(true));
      expect(plan.steps).toEqual([]);
      expect(warnings).toEqual([
        `Exposed access key ${EXPOSED} of user legacy-bot was used ${daysAgo(20)}, after rollcall deactivated it (${daysAgo(30)}): it is not deleted; find out what reactivated and used it.`,
      ]);
    });

    it("the baseline's graceDays decides; without --destructive the warning says how to get the step", () => {
      const b = declaring('legacy-bot');
      b.incident = { ...b.incident, graceDays: 30 };
      expect(planFor(off(daysAgo(10)), { ...only(true), baseline: b }).plan.steps).toEqual([]);
      expect(ids(planFor(off(daysAgo(31)), { ...only(true), baseline: b }).plan)).toEqual([`deleteAccessKey accessKey/${EXPOSED}`]);
      expect(planFor(off(daysAgo(8)), only()).warnings).toEqual([
        `Exposed access key ${EXPOSED} of user legacy-bot is inactive and unused for 7 days since its deactivation: plan with --destructive to delete it.`,
      ]);
    });

    it('a tag that holds no time counts as no tag', () => {
      const { plan, warnings } = planFor(off('yesterday'), only(true));
      expect(ids(plan)).toEqual([`deleteAccessKey accessKey/${EXPOSED}`]);
      expect(warnings[0]).toContain(`user legacy-bot's ${TAG} tag holds "yesterday", not a time`);
    });
  });

  describe('(d) inactive, deactivated outside rollcall (no tag): the grace period counts from the last use', () => {
    const inactive = (lastUsedDate: string | null) => legacy(accessKey(EXPOSED, 'legacy-bot', { status: 'Inactive', lastUsedDate }));
    const UNKNOWN = `Exposed access key ${EXPOSED} of user legacy-bot was deactivated outside rollcall (user legacy-bot has no rollcall:deactivated:${EXPOSED} tag): the deactivation time is unknown, so its grace period counts from its last use.`;

    it('never used, --destructive: delete, with a precondition that it is still inactive, unused and untagged', () => {
      const { plan, warnings } = planFor(inactive(null), only(true));
      expect(ids(plan)).toEqual([`deleteAccessKey accessKey/${EXPOSED}`]);
      expect(plan.steps[0]!.precondition).toEqual({ exists: true, props: { user: 'legacy-bot', status: 'Inactive', lastUsedDate: null, deactivatedAt: null } });
      expect(plan.steps[0]!.dependsOn).toEqual([]);
      expect(warnings).toEqual([UNKNOWN]);
    });

    it('last used before the grace period: delete', () => {
      const { plan } = planFor(inactive(daysAgo(DEFAULT_GRACE_DAYS + 1)), only(true));
      expect(ids(plan)).toEqual([`deleteAccessKey accessKey/${EXPOSED}`]);
      expect(plan.steps[0]!.precondition.props.lastUsedDate).toBe(daysAgo(DEFAULT_GRACE_DAYS + 1));
    });

    it('used within the grace period: no step, and the warning says when to plan again', () => {
      const { plan, warnings } = planFor(inactive(daysAgo(3)), only(true));
      expect(plan.steps).toEqual([]);
      expect(warnings).toEqual([
        UNKNOWN,
        `Exposed access key ${EXPOSED} of user legacy-bot is inactive but was used ${daysAgo(3)}, within the 7-day grace period: it is not deleted; plan again after ${daysAgo(-4)}.`,
      ]);
    });

    it("the baseline's graceDays decides", () => {
      const b = declaring('legacy-bot');
      b.incident = { ...b.incident, graceDays: 30 };
      expect(planFor(inactive(daysAgo(10)), { ...only(true), baseline: b }).plan.steps).toEqual([]);
      expect(ids(planFor(inactive(daysAgo(31)), { ...only(true), baseline: b }).plan)).toEqual([`deleteAccessKey accessKey/${EXPOSED}`]);
    });

    it('without --destructive: no step, and the warning says how to get one', () => {
      const { plan, warnings } = planFor(inactive(null), only());
      expect(plan.steps).toEqual([]);
      expect(warnings).toEqual([UNKNOWN, `Exposed access key ${EXPOSED} of user legacy-bot is inactive and unused for 7 days: plan with --destructive to delete it.`]);
      // The plan carries the same warnings, each with its code.
      expect(plan.warnings).toEqual([
        { code: 'deactivated-outside-rollcall', text: UNKNOWN },
        { code: 'deletion-needs-destructive', text: warnings[1] },
      ]);
    });

    it('from an incomplete inventory: no step', () => {
      const gap = { type: 'lambda.function' as const, region: 'us-east-1', operation: 'lambda:ListFunctions', code: 'AccessDenied', message: 'no' };
      const { plan, warnings } = planFor(inactive(null), { ...only(true), gaps: [gap] });
      expect(plan.steps).toEqual([]);
      expect(warnings.join('\n')).toContain(`1 destructive step left out, even with --destructive: deleteAccessKey accessKey/${EXPOSED}`);
    });
  });

  it('a rotation asked by a hygiene rule (key too old) follows the same workflow', () => {
    const b = { ...declaring('ci'), incident: {} };
    const { plan } = planFor([user('ci'), accessKey('AKIACI00000000000001', 'ci', { createDate: daysAgo(400) }), membership('ci', 'deployers'), attachment('user', 'ci', ADMIN)], { baseline: b });
    expect(ids(plan)).toEqual(['createReplacementKey accessKey/new:ci', 'manualSwitchCredentials accessKey/AKIACI00000000000001', 'deactivateAccessKey accessKey/AKIACI00000000000001']);
  });
});

describe('makePlan: manual steps', () => {
  it('root steps target the account root and carry exact instructions', () => {
    const { plan } = planFor([root({ mfaEnabled: false, accessKeysPresent: true })], { baseline: declaring() });
    expect(ids(plan)).toEqual(['manualRootPassword root/root', 'manualRootMfa root/root', 'manualRootAccessKeys root/root', 'manualContactSupport root/root']);
    for (const s of plan.steps) {
      expect(s.target).toMatchObject({ type: 'account.root', id: 'root', subject: 'root/root' });
      expect(s.reversible).toBe(false);
    }
    expect(step(plan, 'manualRootPassword root/root').instructions).toBe(ROOT_INSTRUCTIONS.manualRootPassword);
    expect(step(plan, 'manualRootMfa root/root').instructions).toBe(ROOT_INSTRUCTIONS.manualRootMfa);
    expect(step(plan, 'manualRootAccessKeys root/root').instructions).toBe(ROOT_INSTRUCTIONS.manualRootAccessKeys);
    expect(step(plan, 'manualRootAccessKeys root/root').precondition).toEqual({ exists: true, props: { accessKeysPresent: true } });
  });

  it('a critical finding adds contacting AWS Support, with the text to send; it answers every critical finding', () => {
    const { plan, violations } = planFor(compromise());
    const support = step(plan, 'manualContactSupport root/root');
    const critical = violations.filter((v) => v.severity === 'critical' && v.status === 'fail' && !v.suppressed);
    expect(support.because).toEqual(critical.map((v) => v.fingerprint).sort());
    const before = support.instructions!;
    const text = supportText(support.support!).join('\n');
    expect(before).toContain('AWS Support Center');
    expect(support.support!.findings).toEqual(expect.arrayContaining(critical.map((v) => ({ rule: v.ruleId, title: v.title, subject: v.subject }))));
    expect(text).toMatch(/^Subject: Possible compromise of AWS account 123456789012\n/);
    expect(text).toContain(`An audit made at ${NOW.toISOString()} found:`);
    expect(text).toContain('- IAM user not declared in the baseline: user/backup-admin');
    expect(text).toContain('- The root user has no MFA: root/root');
    expect(text).toContain('billing adjustment');
  });

  it('no critical finding: no support step', () => {
    const { plan } = planFor([...ci(), accessKey('AKIAEXTRA00000000001', 'ci')], { baseline: declaring('ci') });
    expect(actions(plan)).not.toContain('manualContactSupport');
    expect(actions(plan)).toContain('deactivateAccessKey');
  });

  it('attacker-chosen names cannot break a description or a line of instructions', () => {
    const { plan } = planFor([user('evil\nname'), root()], { baseline: declaring() });
    for (const s of plan.steps) {
      expect(s.description).not.toContain('\n');
      if (s.action === 'manualContactSupport') expect(supportText(s.support!)).toContain('- IAM user not declared in the baseline: user/evil name');
    }
  });

  it('steps that act on the identity that made the plan are named in a warning', () => {
    const resources = [user('auditor', { passwordEnabled: true }), accessKey('AKIAAUDITOR000000001', 'auditor')]; // the review of its console password is no action
    const { warnings } = planFor(resources, { baseline: declaring() });
    expect(warnings.at(-1)).toBe(
      '2 steps act on the identity that made this plan (arn:aws:iam::123456789012:user/auditor): apply never touches the identity it runs as (deactivateAccessKey accessKey/AKIAAUDITOR000000001, quarantineUser user/auditor).',
    );
  });
});

describe('makePlan: digests', () => {
  it('the digest covers every other field, and is the same for the same inputs and now', () => {
    const a = planFor(compromise(), { destructive: true }).plan;
    const b = planFor(compromise(), { destructive: true }).plan;
    expect(a.digest).toBe(b.digest);
    const { digest, ...body } = a;
    expect(digest).toBe(digestOf(body));
    expect(a.inventoryDigest).toBe(digestOf(inventory(compromise())));
    expect(a.inventoryDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('another time, or --destructive, gives another digest', () => {
    const a = planFor(compromise()).plan;
    expect(planFor(compromise(), { now: new Date(NOW.getTime() + 1000) }).plan.digest).not.toBe(a.digest);
    expect(planFor(compromise(), { destructive: true }).plan.digest).not.toBe(a.digest);
  });

  it('records the caller of the inventory', () => {
    const { plan, inventory: inv } = planFor(compromise());
    expect(plan.caller).toEqual(inv.caller);
  });
});

describe('step action names', () => {
  it('StepAction is every action kind but the rotation workflow', () => {
    const kinds: StepAction[] = ACTION_KINDS.filter((k): k is StepAction => k !== 'rotateAccessKey');
    expect(Object.keys(ACTIONS)).toEqual(kinds);
  });
});
