import { describe, expect, it } from 'vitest';
import { AWS_QUARANTINE_POLICY_ARNS } from '../../../src/model/aws-quarantine.js';
import type { Baseline } from '../../../src/model/baseline.js';
import type { Resource } from '../../../src/model/resource.js';
import type { Violation } from '../../../src/model/violation.js';
import { makePlan } from '../../../src/plan/planner.js';
import { NOW, attachment, inventory, loginProfile, user } from '../../helpers/resources.js';
import { ci, declaring, expectTopological, ids, planFor, step } from './fixtures.js';

const [, V2, V3] = AWS_QUARANTINE_POLICY_ARNS;
const open = (extra: Baseline['incident'] = {}): Baseline => {
  const b = declaring('ci');
  return { ...b, incident: { ...b.incident, ...extra } };
};
const closed = (): Baseline => open({ until: '2026-11-20T00:00:00Z' });
const quarantined = (): Resource[] => [...ci(), user('legacy-bot', { attachedPolicies: [V3] }), attachment('user', 'legacy-bot', V3)];

describe("makePlan: AWS's quarantine", () => {
  it('never detaches it while the incident is open, with --destructive or not; a manual review says it is expected', () => {
    for (const destructive of [false, true]) {
      const { plan, violations } = planFor(quarantined(), { baseline: open(), destructive });
      expect(violations.map((v) => [v.ruleId, v.severity])).toContainEqual(['iam-aws-quarantine-policy-attached', 'info']);
      expect(violations.map((v) => v.ruleId)).not.toContain('iam-policy-attachment-undeclared');
      expect(plan.steps.filter((s) => s.action === 'detachPolicy')).toEqual([]);
      const review = step(plan, `manualReview attachment/user/legacy-bot/${V3}`);
      expect(review.instructions).toContain('leave it in place while the incident is open');
    }
  });

  it('refuses a detachment any rule asks for while the incident is open, and says why', () => {
    const inv = inventory(quarantined());
    const v: Violation = {
      ruleId: 'my-no-aws-managed-on-users',
      title: 'AWS managed policy on a user',
      severity: 'high',
      status: 'fail',
      subject: `attachment/user/legacy-bot/${V3}`,
      resourceType: 'iam.policyAttachment',
      resourceId: `user/legacy-bot/${V3}`,
      region: 'global',
      message: 'an AWS managed policy is attached to a user',
      fingerprint: 'f'.repeat(64),
      remediation: ['detachPolicy'],
    };
    const { plan } = makePlan({ inventory: inv, baseline: open(), violations: [v], now: NOW, version: '9.9.9', destructive: true });
    expect(ids(plan)).toEqual([`manualReview attachment/user/legacy-bot/${V3}`]);
    expect(step(plan, ids(plan)[0]!).reasons).toContainEqual({
      code: 'cannot-act',
      rule: 'my-no-aws-managed-on-users',
      text: `rollcall does not detach ${V3}: it is AWS's quarantine of user legacy-bot, expected while the incident is open; detach it by hand only once the incident is closed`,
    });
    // the same rule, once the incident is closed: a plain detachment
    const later = makePlan({ inventory: inv, baseline: closed(), violations: [v], now: NOW, version: '9.9.9', destructive: false }).plan;
    expect(ids(later)).toEqual([`detachPolicy attachment/user/legacy-bot/${V3}`]);
  });

  it('once the incident is closed, the undeclared quarantine is detached like any attachment', () => {
    const { plan, violations } = planFor(quarantined(), { baseline: closed() });
    expect(violations.map((v) => v.ruleId)).toContain('iam-policy-attachment-undeclared');
    expect(ids(plan)).toContain(`detachPolicy attachment/user/legacy-bot/${V3}`);
  });

  it("contains a listed user whose quarantine someone removed, with rollcall's own quarantine", () => {
    const resources = [...ci(), user('legacy-bot'), user('other', { attachedPolicies: [V2] }), attachment('user', 'other', V2)];
    const baseline = open({ awsQuarantined: ['legacy-bot', 'other'] });
    baseline.iam!.users = [...(baseline.iam!.users ?? []), { name: 'legacy-bot' }, { name: 'other', policies: [V2] }];
    const { plan, violations } = planFor(resources, { baseline });
    expect(violations.map((v) => [v.ruleId, v.subject])).toEqual([['iam-aws-quarantine-removed', 'user/legacy-bot']]);
    expect(ids(plan)).toContain('quarantineUser user/legacy-bot');
    expect(ids(plan)).not.toContain('quarantineUser user/other');
    expect(step(plan, 'manualReview user/legacy-bot').instructions).toContain('none of AWS');
  });
});

describe('makePlan: console passwords older than the incident', () => {
  const old = (name: string): Resource => ({ ...loginProfile(name), props: { user: name, passwordLastUsed: null, passwordLastChanged: '2026-10-01T00:00:00Z' } });
  const b = (): Baseline => {
    const x = declaring('ci');
    x.iam!.users = [...(x.iam!.users ?? []), { name: 'alice', console: true }];
    return x;
  };

  it('resets the password in the first plan (no --destructive), then hands it over by hand', () => {
    const { plan, violations } = planFor([...ci(), user('alice', { passwordEnabled: true, mfaActive: true }), old('alice')], { baseline: b() });
    expect(violations.map((v) => v.ruleId)).toEqual(['iam-console-password-before-incident']);
    expect(ids(plan)).toEqual(['resetLoginProfilePassword loginProfile/alice', 'manualHandOverPassword loginProfile/alice']);
    const reset = step(plan, 'resetLoginProfilePassword loginProfile/alice');
    expect(reset).toMatchObject({ reversible: false, destructive: false, target: { ref: { user: 'alice', passwordLastChanged: '2026-10-01T00:00:00Z' } } });
    expect(reset.description).toContain('never printed');
    const handOver = step(plan, 'manualHandOverPassword loginProfile/alice');
    expect(handOver.dependsOn).toEqual([reset.id]);
    expect(handOver.instructions).toContain('out of band');
    expect(handOver.instructions).toContain('alice.console-password (mode 0600)');
    expect(handOver.instructions).toContain("while the file is there, a new plan's reset finds it and changes nothing");
    expect(plan.warnings).toEqual([]);
    expectTopological(plan);
  });

  it('leaves a password changed since the incident began alone', () => {
    const fresh = loginProfile('alice'); // changed 3 days ago, the incident began 20 days ago
    const { plan } = planFor([...ci(), user('alice', { passwordEnabled: true, mfaActive: true }), fresh], { baseline: b() });
    expect(ids(plan)).toEqual([]);
  });
});
