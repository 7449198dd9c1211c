import type { ResourceType } from '../model/resource.js';
import type { Condition, Operand } from '../model/rule.js';
import { compilePath, resolvePath, type EvalContext, type PathReader } from './paths.js';

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

/** A condition compiled for one evaluation: its paths split, its regexes built, what it reads of the baseline read once. */
export type CompiledCondition = (ctx: EvalContext) => boolean;

/** What stays the same for every resource of one evaluation: what paths rooted at `baseline` read is resolved at compile time. */
export interface CompileConstants {
  baseline: unknown;
}

const isPrimitive = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * Compiles a condition into a function equal to `evaluateCondition(cond, ctx,
 * env)` for every context whose `baseline` is `constants.baseline` (so paths
 * under `baseline.` are read once, here). Pure like the interpreter: `env.now`
 * is the only clock. Missing values make comparisons false, never throw.
 */
export function compileCondition(cond: Condition, env: ConditionEnv, constants?: CompileConstants): CompiledCondition {
  const nowMs = env.now.getTime();
  /** A path's reader; a constant one when it starts at the baseline and constants are given. */
  const read = (path: string): { fn: PathReader; constant: boolean; value?: unknown } => {
    const fn = compilePath(path);
    if (constants && (path === 'baseline' || path.startsWith('baseline.'))) {
      const value = fn({ baseline: constants.baseline } as EvalContext);
      return { fn: () => value, constant: true, value };
    }
    return { fn, constant: false };
  };
  const rightOf = (op: Operand): PathReader => {
    if ('ref' in op) return read(op.ref).fn;
    const value = op.value;
    return () => value;
  };
  const compile = (c: Condition): CompiledCondition => {
    if ('all' in c) {
      const parts = c.all.map(compile);
      return (ctx) => {
        for (const p of parts) if (!p(ctx)) return false;
        return true;
      };
    }
    if ('any' in c) {
      const parts = c.any.map(compile);
      return (ctx) => {
        for (const p of parts) if (p(ctx)) return true;
        return false;
      };
    }
    if ('not' in c) {
      const inner = compile(c.not);
      return (ctx) => !inner(ctx);
    }
    if ('eq' in c || 'ne' in c) {
      const op = 'eq' in c ? c.eq : (c as { ne: Operand }).ne;
      const left = read(op.path).fn;
      const right = rightOf(op);
      return 'eq' in c ? (ctx) => sameValue(left(ctx), right(ctx)) : (ctx) => !sameValue(left(ctx), right(ctx));
    }
    if ('gt' in c || 'lt' in c) {
      const isGt = 'gt' in c;
      const op = isGt ? c.gt : (c as { lt: Operand }).lt;
      const left = read(op.path).fn;
      const right = rightOf(op);
      return (ctx) => {
        const l = left(ctx);
        const r = right(ctx);
        if (typeof l !== 'number' || typeof r !== 'number') return false;
        return isGt ? l > r : l < r;
      };
    }
    if ('in' in c) {
      const left = read(c.in.path).fn;
      const list = 'values' in c.in ? { fn: (() => (c.in as { values: unknown[] }).values) as PathReader, constant: true, value: c.in.values } : read(c.in.ref);
      // A constant list of plain values (NaN aside): a set answers what sameValue would, for a plain left side.
      if (list.constant && Array.isArray(list.value) && list.value.every((v) => isPrimitive(v) && v === v)) {
        const values = list.value;
        const set = new Set<unknown>(values);
        return (ctx) => {
          const l = left(ctx);
          if (l === undefined || l === null) return false;
          if (isPrimitive(l)) return set.has(l);
          return values.some((v) => sameValue(l, v));
        };
      }
      if (list.constant && !Array.isArray(list.value)) return () => false;
      const listOf = list.fn;
      return (ctx) => {
        const l = left(ctx);
        const values = listOf(ctx);
        if (l === undefined || l === null || !Array.isArray(values)) return false;
        return values.some((v) => sameValue(l, v));
      };
    }
    if ('matches' in c) {
      const value = read(c.matches.path).fn;
      const re = cachedRegex(c.matches.regex);
      return (ctx) => {
        const v = value(ctx);
        return typeof v === 'string' && re.test(v);
      };
    }
    if ('exists' in c) {
      const value = read(c.exists);
      const present = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
      if (value.constant) {
        const answer = present(value.value);
        return () => answer;
      }
      const fn = value.fn;
      return (ctx) => present(fn(ctx));
    }
    if ('olderThanDays' in c) {
      const spec = c.olderThanDays;
      const time = read(spec.path).fn;
      const daysRef = spec.daysRef !== undefined ? read(spec.daysRef).fn : undefined;
      const literal = spec.days;
      return (ctx) => {
        const t = toTime(time(ctx));
        const fromRef = daysRef ? daysRef(ctx) : undefined;
        const days = typeof fromRef === 'number' ? fromRef : literal;
        if (t === undefined || typeof days !== 'number') return false;
        return nowMs - t > days * DAY_MS;
      };
    }
    if ('after' in c) {
      const time = read(c.after.path).fn;
      const ref = read(c.after.ref).fn;
      return (ctx) => {
        const t = toTime(time(ctx));
        const r = toTime(ref(ctx));
        return t !== undefined && r !== undefined && t > r;
      };
    }
    if ('some' in c) {
      const list = read(c.some.path).fn;
      const where = compile(c.some.where);
      // `item` is bound on the context for the inner condition and restored after, so nested `some`s see their own.
      return (ctx) => {
        const items = list(ctx);
        if (!Array.isArray(items)) return false;
        const hadItem = Object.prototype.hasOwnProperty.call(ctx, 'item');
        const previous = ctx.item;
        try {
          for (const item of items) {
            ctx.item = item;
            if (where(ctx)) return true;
          }
          return false;
        } finally {
          if (hadItem) ctx.item = previous;
          else delete ctx.item;
        }
      };
    }
    if ('isDeclared' in c) {
      const value = read(c.isDeclared.path).fn;
      const type = c.isDeclared.type;
      return (ctx) => {
        const v = value(ctx);
        return typeof v === 'string' && env.isDeclared(type, v);
      };
    }
    const unknown: never = c;
    throw new Error(`unknown condition operator: ${JSON.stringify(unknown)}`);
  };
  return compile(cond);
}

/** Every path a condition reads (paths, refs, daysRefs), nested conditions included. */
export function conditionPaths(c: Condition): string[] {
  if ('all' in c) return c.all.flatMap(conditionPaths);
  if ('any' in c) return c.any.flatMap(conditionPaths);
  if ('not' in c) return conditionPaths(c.not);
  if ('exists' in c) return [c.exists];
  if ('some' in c) return [c.some.path, ...conditionPaths(c.some.where)];
  const operand = Object.values(c)[0] as Record<string, unknown>;
  return [operand.path, operand.ref, operand.daysRef].filter((p): p is string => typeof p === 'string');
}
