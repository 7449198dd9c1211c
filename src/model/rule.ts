import type { ActionKind } from './action.js';
import type { ResourceType } from './resource.js';
import type { Severity } from './severity.js';

/**
 * unexpected: a resource no baseline entry matches. missing: a concrete entry
 * nothing matches. changed: a matched resource, when the condition holds.
 * always: every resource, when the condition holds. declared: every baseline
 * entry, with `matched` (how many resources it claims), when the condition holds.
 */
export type Relation = 'unexpected' | 'missing' | 'changed' | 'always' | 'declared';

/** A comparison's right-hand side: a literal `value` or a `ref` path into the evaluation context. */
export type Operand = { path: string; value: unknown } | { path: string; ref: string };

export type Condition =
  | { eq: Operand }
  | { ne: Operand }
  | { gt: Operand }
  | { lt: Operand }
  | { in: { path: string; values: unknown[] } | { path: string; ref: string } }
  | { matches: { path: string; regex: string } }
  | { exists: string }
  | { olderThanDays: { path: string; days?: number; daysRef?: string } }
  | { after: { path: string; ref: string } }
  | { some: { path: string; where: Condition } }
  | { isDeclared: { path: string; type: ResourceType } }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  /** One type, or several for a rule that reads the same on each (e.g. a region check). */
  resource: ResourceType | ResourceType[];
  relation: Relation;
  when?: Condition;
  message: string;
  rationale: string;
  remediation: ActionKind[];
  references?: string[];
  /** Other resource types whose gaps make this rule unknown. */
  needs?: ResourceType[];
  /** Where it was loaded from, for error messages; not part of the file. */
  source?: string;
  pack?: string;
}

export function ruleTypes(rule: Pick<Rule, 'resource'>): ResourceType[] {
  return Array.isArray(rule.resource) ? rule.resource : [rule.resource];
}
