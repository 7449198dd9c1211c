import type { ResourceType } from '../model/resource.js';
import type { Condition, Operand } from '../model/rule.js';
import { resolvePath, type EvalContext } from './paths.js';

const DAY_MS = 86_400_000;
const regexCache = new Map<string, RegExp>();

function operand(ctx: EvalContext, op: Operand): [unknown, unknown] {
  const left = resolvePath(ctx, op.path);
  const right = 'ref' in op ? resolvePath(ctx, op.ref) : op.value;
  return [left, right];
}

/** Structural equality of plain JSON values; `undefined` equals `null` (absent is "none"). */
export function sameValue(a: unknown, b: unknown): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => sameValue(v, y[i]));
  const xk = Object.keys(x);
  const yk = Object.keys(y);
  return xk.length === yk.length && xk.every((k) => sameValue((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]));
}

function toTime(value: unknown): number | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? undefined : t;
}

function cachedRegex(source: string): RegExp {
  let re = regexCache.get(source);
  if (!re) {
    re = new RegExp(source);
    regexCache.set(source, re);
  }
  return re;
}

/** What a condition may consult besides its context: the clock, and the baseline's declarations. */
export interface ConditionEnv {
  now: Date;
  /** Whether the baseline declares a resource of this type with this id (name). */
  isDeclared(type: ResourceType, id: string): boolean;
}

/** Evaluates a rule condition. Pure: `env.now` is the only clock. Missing values make comparisons false, never throw. */
export function evaluateCondition(cond: Condition, ctx: EvalContext, env: ConditionEnv): boolean {
  const now = env.now;
  if ('all' in cond) return cond.all.every((c) => evaluateCondition(c, ctx, env));
  if ('any' in cond) return cond.any.some((c) => evaluateCondition(c, ctx, env));
  if ('not' in cond) return !evaluateCondition(cond.not, ctx, env);
  if ('eq' in cond) return sameValue(...operand(ctx, cond.eq));
  if ('ne' in cond) return !sameValue(...operand(ctx, cond.ne));
  if ('gt' in cond || 'lt' in cond) {
    const isGt = 'gt' in cond;
    const [l, r] = operand(ctx, isGt ? cond.gt : (cond as { lt: Operand }).lt);
    if (typeof l !== 'number' || typeof r !== 'number') return false;
    return isGt ? l > r : l < r;
  }
  if ('in' in cond) {
    const left = resolvePath(ctx, cond.in.path);
    const list = 'values' in cond.in ? cond.in.values : resolvePath(ctx, cond.in.ref);
    if (left === undefined || left === null || !Array.isArray(list)) return false;
    return list.some((v) => sameValue(left, v));
  }
  if ('matches' in cond) {
    const value = resolvePath(ctx, cond.matches.path);
    return typeof value === 'string' && cachedRegex(cond.matches.regex).test(value);
  }
  if ('exists' in cond) {
    const value = resolvePath(ctx, cond.exists);
    return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
  }
  if ('olderThanDays' in cond) {
    const spec = cond.olderThanDays;
    const t = toTime(resolvePath(ctx, spec.path));
    const fromRef = spec.daysRef !== undefined ? resolvePath(ctx, spec.daysRef) : undefined;
    const days = typeof fromRef === 'number' ? fromRef : spec.days;
    if (t === undefined || typeof days !== 'number') return false;
    return now.getTime() - t > days * DAY_MS;
  }
  if ('after' in cond) {
    const t = toTime(resolvePath(ctx, cond.after.path));
    const ref = toTime(resolvePath(ctx, cond.after.ref));
    return t !== undefined && ref !== undefined && t > ref;
  }
  if ('some' in cond) {
    const list = resolvePath(ctx, cond.some.path);
    if (!Array.isArray(list)) return false;
    return list.some((item) => evaluateCondition(cond.some.where, { ...ctx, item }, env));
  }
  if ('isDeclared' in cond) {
    const value = resolvePath(ctx, cond.isDeclared.path);
    return typeof value === 'string' && env.isDeclared(cond.isDeclared.type, value);
  }
  const unknown: never = cond;
  throw new Error(`unknown condition operator: ${JSON.stringify(unknown)}`);
}
