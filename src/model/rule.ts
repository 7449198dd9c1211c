import type { ActionKind } from './action.js';
import type { ResourceType } from './resource.js';
import type { Severity } from './severity.js';

/**
 * unexpected: a resource no baseline entry matches. missing: a concrete entry
 * nothing matches. changed: a matched resource, when the condition holds.
 * always: every resource, when the condition holds. declared: every baseline
 * entry, with `matched` (how many resources it claims), when the condition holds.
 */
export const RELATIONS = ['unexpected', 'missing', 'changed', 'always', 'declared'] as const;
export type Relation = (typeof RELATIONS)[number];

/** What a rule reads under a relation (see engine/paths.ts for the roots). */
export interface RelationReads {
  /** Resources (their props, tags and arn are set) or baseline entries (only declared.* and matched are). */
  judges: 'resources' | 'entries';
  /** Why `declared` is never set under this relation; absent when it may be. */
  neverDeclared?: string;
  /** Whether rules may read `matched`, how many resources the entry claims. */
  matched: boolean;
}

/** Every relation's reads: a new relation does not compile until it is here, nor until the engine judges it (engine/evaluate.ts). */
export const RELATION_READS = {
  unexpected: { judges: 'resources', neverDeclared: 'no baseline entry matches such a resource', matched: false },
  missing: { judges: 'entries', matched: false },
  changed: { judges: 'resources', matched: false },
  always: { judges: 'resources', matched: false },
  declared: { judges: 'entries', matched: true },
} as const satisfies Record<Relation, RelationReads>;

/** The reads of a relation named in a file not yet checked against the schema; undefined for anything but a relation. */
export function relationReads(name: unknown): RelationReads | undefined {
  return typeof name === 'string' && Object.hasOwn(RELATION_READS, name) ? RELATION_READS[name as Relation] : undefined;
}

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
