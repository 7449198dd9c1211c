import type { ResourceHistory } from '../model/history.js';

/**
 * What a rule's condition and message can see. Paths are dotted from these
 * roots: `props.status`, `tags.team`, `declared.maxAgeDays`,
 * `baseline.incident.exposedKeys`, `item` (inside `some`), `matched`, `history.events`.
 */
export interface EvalContext {
  id: string;
  type: string;
  region: string;
  arn?: string;
  subject: string;
  tags: Record<string, string>;
  props: Record<string, unknown>;
  /** The baseline entry this resource matched, if any. */
  declared?: Record<string, unknown>;
  baseline: unknown;
  item?: unknown;
  /** With the `declared` relation: how many resources the baseline entry claims. */
  matched?: number;
  /** With a timeline: the resource's CloudTrail history (model/history.ts). */
  history?: ResourceHistory;
}

export function resolvePath(ctx: EvalContext, path: string): unknown {
  let value: unknown = ctx;
  for (const segment of path.split('.')) {
    if (value === null || value === undefined) return undefined;
    if (Array.isArray(value)) {
      const index = Number(segment);
      value = Number.isInteger(index) ? value[index] : undefined;
    } else if (typeof value === 'object') {
      value = Object.prototype.hasOwnProperty.call(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
    } else {
      return undefined;
    }
  }
  return value;
}

/** A path resolved against a context: compiled once per rule, called once per resource. */
export type PathReader = (ctx: EvalContext) => unknown;

const own = Object.prototype.hasOwnProperty;

/** One step of a path, as resolvePath takes it: an own key of an object, or an integer index of an array; anything else is undefined. */
function step(segment: string): (value: unknown) => unknown {
  const index = Number(segment);
  const isIndex = Number.isInteger(index);
  return (value) => {
    if (value === null || value === undefined) return undefined;
    if (Array.isArray(value)) return isIndex ? (value as unknown[])[index] : undefined;
    if (typeof value === 'object') return own.call(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
    return undefined;
  };
}

/**
 * Compiles a dotted path into a function equal to `resolvePath(ctx, path)`:
 * the path is split and each segment's kind (key or index) decided once, so
 * a rule's paths cost one closure call per resource instead of a split and a
 * loop. Only own properties are read: `__proto__`, `constructor` and the like
 * resolve to what the data itself holds under that key, never to
 * Object.prototype's members.
 */
export function compilePath(path: string): PathReader {
  const steps = path.split('.').map(step);
  if (steps.length === 1) {
    const [a] = steps as [(v: unknown) => unknown];
    return (ctx) => a(ctx);
  }
  if (steps.length === 2) {
    const [a, b] = steps as [(v: unknown) => unknown, (v: unknown) => unknown];
    return (ctx) => b(a(ctx));
  }
  if (steps.length === 3) {
    const [a, b, c] = steps as [(v: unknown) => unknown, (v: unknown) => unknown, (v: unknown) => unknown];
    return (ctx) => c(b(a(ctx)));
  }
  return (ctx) => {
    let value: unknown = ctx;
    for (const s of steps) value = s(value);
    return value;
  };
}
