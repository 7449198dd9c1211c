import { describe, expect, it } from 'vitest';
import type { StepTarget } from '../../../src/model/plan.js';
import { REF_KEYS, targetRef } from '../../../src/model/target-ref.js';
import { targetOf } from '../../../src/plan/targets.js';
import { accessKey, attachment, group, inlinePolicy, loginProfile, membership, role, user } from '../../helpers/resources.js';

const ADMIN = 'arn:aws:iam::aws:policy/service-role/AdministratorAccess';
const bare = (t: StepTarget): StepTarget => ({ ...t, ref: {} });

describe('targetRef: what a step target names, as data', () => {
  const resources = [
    user('alice'),
    role('org', []),
    group('admins'),
    accessKey('AKIAALICE00000000001', 'alice'),
    loginProfile('alice'),
    membership('alice', 'admins'),
    attachment('role', 'org', ADMIN),
    inlinePolicy('group', 'admins', 'ops/with-slash'),
  ];
  const expected = [
    { user: 'alice' },
    { role: 'org' },
    { group: 'admins' },
    { user: 'alice', accessKeyId: 'AKIAALICE00000000001' },
    { user: 'alice' },
    { user: 'alice', group: 'admins' },
    { principalType: 'role', principalName: 'org', policyArn: ADMIN },
    { principalType: 'group', principalName: 'admins', policyName: 'ops/with-slash' },
  ];

  it('reads the fields the planner copies into the ref from the resource', () => {
    expect(resources.map((r) => targetRef(targetOf(r)))).toEqual(expected);
    for (const r of resources) for (const k of REF_KEYS[r.type] ?? []) expect(targetOf(r).ref[k]).toBe(r.props[k]);
  });

  it('reads a target whose ref lacks them from its id, as the inventory gave it (an access key aside: its id names no user)', () => {
    expect(resources.map((r) => targetRef(bare(targetOf(r))))).toEqual(expected.map((e, i) => (resources[i]!.type === 'iam.accessKey' ? { accessKeyId: e.accessKeyId } : e)));
  });

  it('prefers the ref to the id', () => {
    const t = targetOf(membership('alice', 'admins'));
    expect(targetRef({ ...t, id: 'x/y' })).toEqual({ user: 'alice', group: 'admins' });
  });

  it('names nothing for a type with no IAM identity', () => {
    expect(targetRef({ type: 'ec2.instance', id: 'i-0abc', ref: {} })).toEqual({});
  });
});
