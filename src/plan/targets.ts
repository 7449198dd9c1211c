import type { StepTarget } from '../model/plan.js';
import { subjectOf, type Resource } from '../model/resource.js';
import { REF_KEYS } from '../model/target-ref.js';
import type { Violation } from '../model/violation.js';

export function targetOf(r: Resource): StepTarget {
  const ref: Record<string, string> = {};
  for (const k of REF_KEYS[r.type] ?? []) {
    const v = r.props[k];
    if (v !== undefined && v !== null) ref[k] = String(v);
  }
  return { type: r.type, id: r.id, region: r.region, ...(r.arn ? { arn: r.arn } : {}), ref, subject: subjectOf(r.type, r.id, r.region) };
}

/** The key a rotation creates: it has no id until apply creates it. */
export function newKeyTarget(user: string): StepTarget {
  const id = `new:${user}`;
  return { type: 'iam.accessKey', id, region: 'global', ref: { user }, subject: subjectOf('iam.accessKey', id, 'global') };
}

/** The account's root user, from the inventory when it was collected. */
export function rootTarget(root: Resource | undefined, accountId: string): StepTarget {
  return root ? targetOf(root) : { type: 'account.root', id: 'root', region: 'global', arn: `arn:aws:iam::${accountId}:root`, ref: {}, subject: subjectOf('account.root', 'root', 'global') };
}

/** What a violation names when no inventory resource backs it (a declared entry that is missing). */
export function violationTarget(v: Violation): StepTarget {
  return { type: v.resourceType, id: v.resourceId, region: v.region, ...(v.arn ? { arn: v.arn } : {}), ref: {}, subject: v.subject };
}
