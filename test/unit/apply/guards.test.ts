import { describe, expect, it } from 'vitest';
import { checkPrecondition, principalOfArn, selfTargetReason } from '../../../src/apply/guards.js';
import { planStep } from '../../helpers/plans.js';
import { OPERATOR } from './fakes.js';

describe('principalOfArn', () => {
  it('finds the user (with a path) or the assumed role', () => {
    expect(principalOfArn('arn:aws:iam::123456789012:user/ops/alice')).toEqual({ user: 'alice' });
    expect(principalOfArn('arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com')).toEqual({ role: 'Admin' });
    expect(principalOfArn('arn:aws:iam::123456789012:root')).toEqual({});
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
  it('checks no props when the plan saw no target (a key still to be created)', () => {
    const create = planStep('createReplacementKey', 'iam.accessKey', 'new:u', { ref: { user: 'u' }, exists: false });
    expect(checkPrecondition(create, { exists: true, props: { name: 'u' } })).toEqual({ kind: 'ok' });
  });
});
