import type { ActionKind } from './action.js';
import type { ResourceType } from './resource.js';
import type { Severity } from './severity.js';

export type Relation = 'unexpected' | 'missing' | 'changed' | 'always';

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
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  resource: ResourceType;
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
