/**
 * Keys declared by count (`accessKeys: { count, maxAgeDays }`): what the
 * built-in rules report and what the planner makes of it. A count never
 * justifies deleting a key: a rotation's new key and an intruder's look alike.
 */
import { describe, expect, it } from 'vitest';
import type { Baseline } from '../../../src/model/baseline.js';
import { accessKey, attachment, daysAgo, membership, user } from '../../helpers/resources.js';
import { ADMIN, EXPOSED, declaring, expectTopological, ids, planFor, step } from './fixtures.js';

const OLD = 'AKIACIOLD00000000001';
const YOUNG = 'AKIACIYOUNG000000001';

/** The incident baseline with `ci` declaring its keys by count. */
function counting(count: number, maxAgeDays?: number): Baseline {
  const b = declaring('ci');
  b.iam!.users = [{ name: 'ci', accessKeys: { count, ...(maxAgeDays ? { maxAgeDays } : {}) }, policies: [ADMIN], groups: ['deployers'] }];
  return b;
}

const ciWith = (...keys: ReturnType<typeof accessKey>[]) => [
  user('ci', { accessKeyCount: keys.length, activeAccessKeyCount: keys.filter((k) => k.props.status === 'Active').length }),
  ...keys,
  membership('ci', 'deployers'),
  attachment('user', 'ci', ADMIN),
];

const keyRules = (violations: { ruleId: string; subject: string }[]) =>
  violations.filter((v) => v.subject.startsWith('accessKey/') || v.subject === 'user/ci').map((v) => `${v.ruleId} ${v.subject}`).sort();

describe('keys declared by count', () => {
  it('a finished rotation (the new key alone) is no violation, whatever its id', () => {
    const { violations, plan } = planFor(ciWith(accessKey('AKIAANYNEWID00000001', 'ci', { createDate: daysAgo(1) })), { baseline: counting(1, 90) });
    expect(keyRules(violations)).toEqual([]);
    expect(ids(plan).filter((id) => id.includes('accessKey/'))).toEqual([]);
  });

  it('a second key is beyond the count: the younger one is reported, deactivated and reviewed, never deleted', () => {
    const { violations, plan } = planFor(ciWith(accessKey(OLD, 'ci', { createDate: daysAgo(20) }), accessKey(YOUNG, 'ci', { createDate: daysAgo(1) })), {
      baseline: counting(1, 90),
      destructive: true,
    });
    expect(keyRules(violations)).toEqual([`iam-access-key-beyond-count accessKey/${YOUNG}`, 'iam-user-two-active-keys user/ci']);
    const beyond = violations.find((v) => v.ruleId === 'iam-access-key-beyond-count')!;
    expect(beyond.message).toContain(`beyond the 1 the baseline allows by count (kept: ${OLD})`);
    expect(beyond.message).toContain('CloudTrail CreateAccessKey');
    expect(step(plan, `deactivateAccessKey accessKey/${YOUNG}`).because).toContain(beyond.fingerprint);
    expect(step(plan, `manualReview accessKey/${YOUNG}`).instructions).toContain('If a rotation is in progress');
    expect(plan.steps.filter((s) => s.action === 'deleteAccessKey')).toEqual([]);
    expect(ids(plan).some((id) => id.endsWith(OLD))).toBe(false);
  });

  it('a rotation that deactivated the old key keeps the active one: the inactive old key is reported, the new one is for a person to confirm, nothing is deactivated', () => {
    const { violations, plan } = planFor(ciWith(accessKey(OLD, 'ci', { createDate: daysAgo(95), status: 'Inactive' }), accessKey(YOUNG, 'ci', { createDate: daysAgo(1) })), {
      baseline: counting(1, 90),
      destructive: true,
    });
    // An intruder's key added to a user whose own key is inactive looks the same: the new key is named for review.
    expect(keyRules(violations).sort()).toEqual([`iam-access-key-beyond-count accessKey/${OLD}`, `iam-access-key-displaced-older accessKey/${YOUNG}`]);
    expect(ids(plan).filter((id) => id.includes('accessKey/')).sort()).toEqual([`manualReview accessKey/${OLD}`, `manualReview accessKey/${YOUNG}`]);
  });

  it('fewer keys than the count is reported: a free slot would hide a new key', () => {
    const { violations } = planFor(ciWith(accessKey(OLD, 'ci')), { baseline: counting(2) });
    expect(keyRules(violations)).toEqual(['iam-access-key-below-count accessKey/ci/*']);
    expect(violations.find((v) => v.ruleId === 'iam-access-key-below-count')!.message).toBe(
      'User ci declares 2 access keys by count but has 1: a new key, an intruder\'s too, would fill the free slot unnoticed. Lower the count in the baseline, or finish the rotation.',
    );
  });

  it("maxAgeDays is each counted key's rotation limit", () => {
    const { violations } = planFor(ciWith(accessKey(OLD, 'ci', { createDate: daysAgo(31) })), { baseline: counting(1, 30) });
    expect(keyRules(violations)).toEqual([`iam-access-key-too-old accessKey/${OLD}`]);
    expect(keyRules(planFor(ciWith(accessKey(OLD, 'ci', { createDate: daysAgo(31) })), { baseline: counting(1) }).violations)).toEqual([]);
  });

  it('rotating a too-old key next to a younger one (a rotation in progress, or an intruder) deletes neither, even with --destructive', () => {
    const { plan, warnings } = planFor(ciWith(accessKey(OLD, 'ci', { createDate: daysAgo(40) }), accessKey(YOUNG, 'ci', { createDate: daysAgo(1) })), {
      baseline: counting(1, 30),
      destructive: true,
    });
    expectTopological(plan);
    expect(plan.steps.filter((s) => s.action === 'deleteAccessKey' || s.action === 'createReplacementKey')).toEqual([]);
    expect(warnings.join('\n')).toContain(`the baseline declares user ci's keys by count, so rollcall cannot tell a rotation's new key from an intruder's`);
    expect(step(plan, `manualSwitchCredentials accessKey/${OLD}`).instructions).toBeDefined();
  });

  it('an exposed key is judged as ever; the counted key beside it is neither switched to, deactivated nor deleted', () => {
    const b = counting(2);
    b.incident = { exposedKeys: [EXPOSED], since: daysAgo(20) };
    const { violations, plan, warnings } = planFor(ciWith(accessKey(EXPOSED, 'ci', { createDate: daysAgo(300) }), accessKey(YOUNG, 'ci', { createDate: daysAgo(10) })), {
      baseline: b,
      destructive: true,
    });
    expect(keyRules(violations)).toContain(`iam-exposed-key-active accessKey/${EXPOSED}`);
    expect(keyRules(violations).filter((v) => v.includes(YOUNG))).toEqual([]);
    expect(ids(plan).filter((id) => id.includes(YOUNG))).toEqual([]);
    expect(ids(plan)).toContain(`deactivateAccessKey accessKey/${EXPOSED}`);
    expect(warnings.join('\n')).toContain(`If ${YOUNG} is the new key of a rotation in progress`);
  });
});
