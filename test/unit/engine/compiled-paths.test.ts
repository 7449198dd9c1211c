import { describe, expect, it } from 'vitest';
import { compileCondition, conditionPaths, evaluateCondition } from '../../../src/engine/condition.js';
import { compilePath, resolvePath, type EvalContext } from '../../../src/engine/paths.js';
import { selectorDeclarations } from '../../../src/engine/selectors.js';
import { instance } from '../../helpers/resources.js';
import type { Condition } from '../../../src/model/rule.js';

const now = new Date('2026-11-22T00:00:00Z');
const env = { now, isDeclared: (type: string, id: string) => type === 'iam.role' && id === 'known' };

/** Contexts a rule may meet, hostile ones included: JSON.parse makes `__proto__` an own key, as AWS data would. */
const hostileProps = JSON.parse(
  '{"__proto__": {"polluted": true, "status": "Active"}, "constructor": {"name": "Object"}, "status": ["Active"], "list": [null, "a", {"b": 1}], "n": null, "nested": {"x": {"y": [1, 2, {"z": "deep"}]}}, "toString": "x", "created": "2026-08-01T00:00:00Z", "count": "2"}',
) as Record<string, unknown>;
const contexts: EvalContext[] = [
  {
    id: 'k1',
    type: 'iam.accessKey',
    region: 'global',
    subject: 'accessKey/k1',
    tags: { team: 'web' },
    props: { status: 'Active', count: 2, created: '2026-08-01T00:00:00Z', list: ['a', 'b'], empty: [], nested: { x: 1 }, roles: ['known', 'other'] },
    declared: { maxAgeDays: 30, allowed: ['a'], list: [['a']] },
    baseline: { incident: { exposedKeys: ['k1'], since: '2026-07-01T00:00:00Z' }, regions: { allowed: ['global', 'us-east-1'] } },
  },
  {
    id: '__proto__',
    type: 'ec2.instance',
    region: 'us-east-1',
    subject: 'instance/us-east-1/__proto__',
    tags: JSON.parse('{"__proto__": "web", "constructor": "x"}') as Record<string, string>,
    props: hostileProps,
    baseline: { incident: { exposedKeys: ['constructor', null, 1] }, regions: { allowed: 'us-east-1' } },
  },
  { id: 'x', type: 'iam.user', region: 'global', subject: 'user/x', tags: {}, props: {}, baseline: {} },
];

const paths = [
  'id', 'region', 'subject', 'arn', 'item', 'matched', 'declared', 'declared.maxAgeDays', 'declared.list.0.0',
  'props', 'props.status', 'props.status.0', 'props.status.length', 'props.list.1', 'props.list.2.b', 'props.list.-1', 'props.list.1.5',
  'props.list.01', 'props.list. 1', 'props.list.', 'props.list.1e0', 'props.nested.x', 'props.nested.x.y.2.z', 'props.missing.deeper', 'props.n.x',
  'props.__proto__', 'props.__proto__.polluted', 'props.constructor', 'props.constructor.name', 'props.toString', 'props.hasOwnProperty', 'props.valueOf',
  'tags.__proto__', 'tags.constructor', 'tags.toString', 'tags.team', '__proto__', 'constructor', 'toString', 'id.length', 'baseline.incident.exposedKeys.0',
  'baseline.regions.allowed', 'baseline.constructor', 'baseline.__proto__.x', 'a.b.c.d.e',
];

describe('compiled paths', () => {
  it('resolve what resolvePath resolves, for every path and context', () => {
    for (const ctx of contexts) for (const p of paths) expect([p, compilePath(p)(ctx)]).toEqual([p, resolvePath(ctx, p)]);
  });

  it('never reach Object.prototype: prototype keys are read only where the data holds them', () => {
    const [plain, hostile] = contexts as [EvalContext, EvalContext];
    for (const p of ['__proto__', 'constructor', 'toString', 'props.constructor', 'props.toString', 'props.hasOwnProperty', 'tags.constructor', 'baseline.constructor', 'baseline.__proto__.x']) {
      expect([p, compilePath(p)(plain)]).toEqual([p, undefined]);
    }
    expect(compilePath('props.__proto__.polluted')(hostile)).toBe(true); // its own key, as JSON.parse made it
    expect(compilePath('props.constructor.name')(hostile)).toBe('Object'); // its own object, not the Object function
    expect(compilePath('tags.__proto__')(hostile)).toBe('web');
    expect(compilePath('props.polluted')(hostile)).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('read arrays by integer index only, and nothing under nulls, strings or numbers', () => {
    const [plain, hostile] = contexts as [EvalContext, EvalContext];
    expect(compilePath('props.list.1')(plain)).toBe('b');
    expect(compilePath('props.list.-1')(plain)).toBeUndefined();
    expect(compilePath('props.list.length')(plain)).toBeUndefined();
    expect(compilePath('props.status.length')(plain)).toBeUndefined();
    expect(compilePath('props.n.x')(hostile)).toBeUndefined();
    expect(compilePath('props.nested.x.y.2.z')(hostile)).toBe('deep');
    expect(compilePath('props.list.2.b')(hostile)).toBe(1);
  });
});

const leaves: Condition[] = [
  { eq: { path: 'props.status', value: 'Active' } },
  { eq: { path: 'props.status', value: ['Active'] } },
  { eq: { path: 'props.missing', value: null } },
  { ne: { path: 'props.__proto__', value: null } },
  { eq: { path: 'id', ref: 'baseline.incident.exposedKeys.0' } },
  { gt: { path: 'props.count', value: 1 } },
  { lt: { path: 'props.count', ref: 'declared.maxAgeDays' } },
  { in: { path: 'id', ref: 'baseline.incident.exposedKeys' } },
  { in: { path: 'region', ref: 'baseline.regions.allowed' } },
  { in: { path: 'props.status', values: ['Active', 'Inactive'] } },
  { in: { path: 'props.status', values: [['Active'], null] } },
  { in: { path: 'props.list', ref: 'declared.list' } },
  { in: { path: 'props.n', values: [null] } },
  { matches: { path: 'props.status', regex: '^Act' } },
  { matches: { path: 'tags.__proto__', regex: 'web' } },
  { exists: 'props.list' },
  { exists: 'props.empty' },
  { exists: 'baseline.regions.allowed' },
  { exists: 'baseline.nothing' },
  { exists: 'props.constructor' },
  { olderThanDays: { path: 'props.created', days: 90 } },
  { olderThanDays: { path: 'props.created', daysRef: 'declared.maxAgeDays', days: 200 } },
  { olderThanDays: { path: 'props.toString', days: 1 } },
  { after: { path: 'props.created', ref: 'baseline.incident.since' } },
  { isDeclared: { path: 'props.roles.0', type: 'iam.role' } },
  { some: { path: 'props.roles', where: { not: { isDeclared: { path: 'item', type: 'iam.role' } } } } },
  { some: { path: 'props.list', where: { eq: { path: 'item.b', value: 1 } } } },
  { some: { path: 'props.status', where: { eq: { path: 'item', value: 'Active' } } } },
  // Nested: the inner `item` is the inner list's, and the outer one is back after it.
  { some: { path: 'declared.list', where: { all: [{ some: { path: 'item', where: { eq: { path: 'item', value: 'a' } } } }, { exists: 'item.0' }] } } },
];
const conditions: Condition[] = [
  ...leaves,
  ...leaves.map((c): Condition => ({ not: c })),
  { all: leaves.slice(0, 6) },
  { any: leaves.slice(6, 14) },
  { all: [{ any: [leaves[0]!, leaves[3]!] }, { not: { all: [leaves[15]!, leaves[16]!] } }] },
];

describe('compiled conditions', () => {
  it('answer what the interpreter answers, for every condition and context (baseline paths read once)', () => {
    for (const ctx of contexts) {
      for (const c of conditions) {
        const compiled = compileCondition(c, env, { baseline: ctx.baseline });
        expect([JSON.stringify(c), compiled(ctx)]).toEqual([JSON.stringify(c), evaluateCondition(c, ctx, env)]);
        // Without constants too (the baseline read from the context each time).
        expect([JSON.stringify(c), compileCondition(c, env)(ctx)]).toEqual([JSON.stringify(c), evaluateCondition(c, ctx, env)]);
      }
    }
  });

  it('leave the context as they found it (`some` binds item and restores it)', () => {
    for (const ctx of contexts) {
      const before = { ...ctx };
      for (const c of conditions) compileCondition(c, env, { baseline: ctx.baseline })(ctx);
      expect(ctx).toEqual(before);
      expect(Object.hasOwn(ctx, 'item')).toBe(false);
    }
    const withItem: EvalContext = { ...contexts[0]!, item: 'outer' };
    compileCondition({ some: { path: 'props.list', where: { eq: { path: 'item', value: 'b' } } } }, env)(withItem);
    expect(withItem.item).toBe('outer');
  });

  it('read the baseline once, at compile time, when constants are given', () => {
    const baseline = { regions: { allowed: ['us-east-1'] } };
    const inAllowed = compileCondition({ in: { path: 'region', ref: 'baseline.regions.allowed' } }, env, { baseline });
    const ctx = { ...contexts[2]!, region: 'us-east-1', baseline: { regions: { allowed: [] } } };
    expect(inAllowed(ctx)).toBe(true); // the compiled-in baseline, not the context's
  });

  it('list every path a condition reads', () => {
    expect(conditionPaths({ all: [{ exists: 'a.b' }, { some: { path: 'c', where: { olderThanDays: { path: 'item.d', daysRef: 'e', days: 1 } } } }, { not: { eq: { path: 'f', ref: 'g' } } }] })).toEqual([
      'a.b', 'c', 'item.d', 'e', 'f', 'g',
    ]);
  });
});

describe('selectors on prototype keys', () => {
  it('match a tag named constructor or __proto__ only where the resource has it', () => {
    const decl = selectorDeclarations('ec2.instance', [{ tags: { constructor: '*' } }, { tags: { ['__proto__']: 'web' } }]);
    expect(decl.match(instance('i-1', 'us-east-1', {}, { team: 'web' }))).toBeUndefined();
    expect(decl.match(instance('i-2', 'us-east-1', {}, JSON.parse('{"constructor": "x"}') as Record<string, string>))?.id).toBe('{constructor=*}');
    expect(decl.match(instance('i-3', 'us-east-1', {}, JSON.parse('{"__proto__": "web"}') as Record<string, string>))?.id).toBe('{__proto__=web}');
  });
});
