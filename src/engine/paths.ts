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
