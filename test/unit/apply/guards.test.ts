import { describe, expect, it } from 'vitest';
import { checkAge, checkPrecondition, MAX_CLOCK_SKEW_MINUTES, selfTargetReason } from '../../../src/apply/guards.js';
import { planStep } from '../../helpers/plans.js';
import { OPERATOR } from './fakes.js';

describe('checkAge', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const at = (minutes: number) => ({ createdAt: new Date(now.getTime() + minutes * 60_000).toISOString() });

  it('accepts a plan made up to --max-age ago, or up to the clock skew ahead', () => {
    expect(MAX_CLOCK_SKEW_MINUTES).toBe(15);
    for (const m of [0, -60, -24 * 60, 5, 15]) expect(() => checkAge(at(m), now)).not.toThrow();
  });

  it('refuses a stale plan and a plan from the future, saying which and why', () => {
    expect(() => checkAge(at(-24 * 60 - 1), now)).toThrow(/^plan is stale: made 24\.0 hours ago/);
    expect(() => checkAge(at(16), now)).toThrow(
      'plan is from the future: made at 2026-11-22T12:16:00.000Z, 16 minutes after now (2026-11-22T12:00:00.000Z): it was planned with --now ahead of the clock, or a clock is wrong; ' +
        'its grace periods and its age count from that time, so it cannot be applied: make a new plan without --now',
    );
    expect(() => checkAge(at(8 * 24 * 60), now)).toThrow(/^plan is from the future: made at 2026-11-30T12:00:00\.000Z, 192\.0 hours after now/);
    expect(() => checkAge({ createdAt: 'yesterday' }, now)).toThrow("plan has no valid createdAt ('yesterday')");
  });
});

describe('selfTargetReason', () => {
  const self = (s: ReturnType<typeof planStep>) => selfTargetReason(s, OPERATOR);
  it('names the caller’s key, user, and what hangs off the user', () => {
    expect(self(planStep('deleteAccessKey', 'iam.accessKey', OPERATOR.accessKeyId!, { ref: { user: 'x' } }))).toMatch(/is the one this apply runs with/);
    expect(self(planStep('deactivateAccessKey', 'iam.accessKey', 'AKIAOTHER', { ref: { user: 'operator' } }))).toMatch(/user operator/);
    expect(self(planStep('removeUserFromGroup', 'iam.groupMembership', 'operator/admins'))).toMatch(/user operator/);
    expect(self(planStep('deleteInlinePolicy', 'iam.inlinePolicy', 'user/operator/p'))).toMatch(/user operator/);
    expect(self(planStep('createReplacementKey', 'iam.accessKey', 'new:operator', { ref: { user: 'operator' } }))).toMatch(/user operator/);
  });
  it('leaves everything else alone', () => {
    expect(self(planStep('deactivateAccessKey', 'iam.accessKey', 'AKIAOTHER', { ref: { user: 'mallory' } }))).toBeUndefined();
    expect(self(planStep('deleteInlinePolicy', 'iam.inlinePolicy', 'group/operator/p'))).toBeUndefined();
    expect(self(planStep('quarantineRole', 'iam.role', 'operator'))).toBeUndefined();
  });
  it('names the caller’s role from its session’s ARN, and only the role', () => {
    const asRole = { ...OPERATOR, arn: `arn:aws:sts::${OPERATOR.account}:assumed-role/responder/alice@example.com` };
    expect(selfTargetReason(planStep('quarantineRole', 'iam.role', 'responder'), asRole)).toBe('it belongs to IAM role responder, which runs this apply');
    expect(selfTargetReason(planStep('detachPolicy', 'iam.policyAttachment', 'role/responder/arn:aws:iam::aws:policy/ReadOnlyAccess'), asRole)).toMatch(/role responder/);
    expect(selfTargetReason(planStep('quarantineUser', 'iam.user', 'responder'), asRole)).toBeUndefined();
  });
});

describe('checkPrecondition', () => {
  const step = planStep('deactivateAccessKey', 'iam.accessKey', 'AKIAX', { ref: { user: 'u' }, precondition: { user: 'u', status: 'Active' } });
  it('is ok when every named prop matches, gone when the target is', () => {
    expect(checkPrecondition(step, { exists: true, props: { user: 'u', status: 'Active', extra: 1 } })).toEqual({ kind: 'ok' });
    expect(checkPrecondition(step, { exists: false, props: {} })).toEqual({ kind: 'gone' });
  });
  it('tells the step’s own end state from a change', () => {
    expect(checkPrecondition(step, { exists: true, props: { user: 'u', status: 'Inactive' } })).toEqual({ kind: 'end-state' });
    expect(checkPrecondition(step, { exists: true, props: { user: 'v', status: 'Inactive' } })).toEqual({
      kind: 'changed',
      changes: ['user was "u", is "v"', 'status was "Active", is "Inactive"'],
    });
  });
  it('counts a prop the executor did not observe as changed, never as a pass', () => {
    expect(checkPrecondition(step, { exists: true, props: { user: 'u' } })).toEqual({ kind: 'changed', changes: ['status was "Active", is (not observed)'] });
  });
  it('notices an exposed key reactivated and deactivated again between plan and apply: its deactivation tag moved', () => {
    const del = planStep('deleteAccessKey', 'iam.accessKey', 'AKIAX', { ref: { user: 'u' }, precondition: { user: 'u', status: 'Inactive', lastUsedDate: null, deactivatedAt: '2026-11-01T00:00:00.000Z' } });
    const seen = { user: 'u', status: 'Inactive', lastUsedDate: null };
    expect(checkPrecondition(del, { exists: true, props: { ...seen, deactivatedAt: '2026-11-01T00:00:00.000Z' } })).toEqual({ kind: 'ok' });
    expect(checkPrecondition(del, { exists: true, props: { ...seen, deactivatedAt: '2026-11-20T00:00:00.000Z' } })).toEqual({
      kind: 'changed',
      changes: ['deactivatedAt was "2026-11-01T00:00:00.000Z", is "2026-11-20T00:00:00.000Z"'],
    });
  });
  it('checks no props when the plan saw no target (a key still to be created)', () => {
    const create = planStep('createReplacementKey', 'iam.accessKey', 'new:u', { ref: { user: 'u' }, exists: false });
    expect(checkPrecondition(create, { exists: true, props: { name: 'u' } })).toEqual({ kind: 'ok' });
  });
});
