import { describe, expect, it } from 'vitest';
import { evaluateCondition, sameValue } from '../../../src/engine/condition.js';
import type { EvalContext } from '../../../src/engine/paths.js';
import { resolvePath } from '../../../src/engine/paths.js';
import type { Condition } from '../../../src/model/rule.js';

const now = new Date('2026-11-22T00:00:00Z');
const ctx: EvalContext = {
  id: 'k1',
  type: 'iam.accessKey',
  region: 'global',
  subject: 'accessKey/k1',
  tags: { team: 'web' },
  props: { status: 'Active', count: 2, created: '2026-08-01T00:00:00Z', list: ['a', 'b'], empty: [], nested: { x: 1 } },
  declared: { maxAgeDays: 30, allowed: ['a'] },
  baseline: { incident: { exposedKeys: ['k1'], since: '2026-07-01T00:00:00Z' } },
};
const env = { now, isDeclared: (type: string, id: string) => type === "iam.role" && id === "known" };
const ev = (c: Condition, c2: EvalContext = ctx) => evaluateCondition(c, c2, env);

describe('paths', () => {
  it('resolves dotted paths, array indexes and missing segments', () => {
    expect(resolvePath(ctx, 'props.nested.x')).toBe(1);
    expect(resolvePath(ctx, 'props.list.1')).toBe('b');
    expect(resolvePath(ctx, 'props.nope.deeper')).toBeUndefined();
    expect(resolvePath(ctx, 'tags.team')).toBe('web');
    expect(resolvePath(ctx, 'props.status.length')).toBeUndefined();
  });
});

describe('operators', () => {
  it('eq / ne with literals and refs', () => {
    expect(ev({ eq: { path: 'props.status', value: 'Active' } })).toBe(true);
    expect(ev({ eq: { path: 'props.status', value: 'Inactive' } })).toBe(false);
    expect(ev({ ne: { path: 'props.status', value: 'Inactive' } })).toBe(true);
    expect(ev({ eq: { path: 'props.list', value: ['a', 'b'] } })).toBe(true);
    expect(ev({ eq: { path: 'props.missing', value: null } })).toBe(true);
    expect(ev({ eq: { path: 'id', ref: 'baseline.incident.exposedKeys.0' } })).toBe(true);
  });
  it('gt / lt only compare numbers', () => {
    expect(ev({ gt: { path: 'props.count', value: 1 } })).toBe(true);
    expect(ev({ lt: { path: 'props.count', value: 2 } })).toBe(false);
    expect(ev({ gt: { path: 'props.status', value: 1 } })).toBe(false);
  });
  it('in with values or a ref; absent left side is never in', () => {
    expect(ev({ in: { path: 'id', ref: 'baseline.incident.exposedKeys' } })).toBe(true);
    expect(ev({ in: { path: 'props.status', values: ['Inactive'] } })).toBe(false);
    expect(ev({ in: { path: 'props.none', values: [null] } })).toBe(false);
    expect(ev({ in: { path: 'id', ref: 'baseline.incident.nothing' } })).toBe(false);
  });
  it('matches', () => {
    expect(ev({ matches: { path: 'props.status', regex: '^Act' } })).toBe(true);
    expect(ev({ matches: { path: 'props.count', regex: '2' } })).toBe(false);
  });
  it('exists treats null, undefined and empty arrays as absent', () => {
    expect(ev({ exists: 'props.list' })).toBe(true);
    expect(ev({ exists: 'props.empty' })).toBe(false);
    expect(ev({ exists: 'props.none' })).toBe(false);
    expect(ev({ exists: 'declared.maxAgeDays' })).toBe(true);
  });
  it('olderThanDays uses the ref when it is a number, the literal otherwise', () => {
    // created 113 days before now
    expect(ev({ olderThanDays: { path: 'props.created', days: 90 } })).toBe(true);
    expect(ev({ olderThanDays: { path: 'props.created', days: 200 } })).toBe(false);
    expect(ev({ olderThanDays: { path: 'props.created', daysRef: 'declared.maxAgeDays', days: 200 } })).toBe(true);
    expect(ev({ olderThanDays: { path: 'props.created', daysRef: 'declared.none', days: 200 } })).toBe(false);
    expect(ev({ olderThanDays: { path: 'props.none', days: 1 } })).toBe(false);
  });
  it('after compares two times', () => {
    expect(ev({ after: { path: 'props.created', ref: 'baseline.incident.since' } })).toBe(true);
    expect(ev({ after: { path: 'baseline.incident.since', ref: 'props.created' } })).toBe(false);
  });
  it('some binds item', () => {
    expect(ev({ some: { path: 'props.list', where: { not: { in: { path: 'item', ref: 'declared.allowed' } } } } })).toBe(true);
    expect(ev({ some: { path: 'props.list', where: { eq: { path: 'item', value: 'z' } } } })).toBe(false);
    expect(ev({ some: { path: 'props.status', where: { eq: { path: 'item', value: 'A' } } } })).toBe(false);
  });
  it('all / any / not', () => {
    const t: Condition = { eq: { path: 'props.count', value: 2 } };
    const f: Condition = { eq: { path: 'props.count', value: 3 } };
    expect(ev({ all: [t, t] })).toBe(true);
    expect(ev({ all: [t, f] })).toBe(false);
    expect(ev({ any: [f, t] })).toBe(true);
    expect(ev({ any: [f, f] })).toBe(false);
    expect(ev({ not: f })).toBe(true);
  });
  it('sameValue is structural', () => {
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
  });
});
