import type { ActionKind } from './action.js';
import type { Evidence } from './history.js';
import type { ResourceType } from './resource.js';
import type { Severity } from './severity.js';

export type ViolationStatus = 'fail' | 'unknown';

export interface Violation {
  ruleId: string;
  title: string;
  severity: Severity;
  status: ViolationStatus;
  /** `user/alice`, `accessKey/AKIA...`; `user/*` when a gap hides the whole type. */
  subject: string;
  /** The resource as data: its type, id and region (`subject` is made from them). */
  resourceType: ResourceType;
  /**
   * The resource's id (a user name, a key id, `user/alice/arn:...`), or the id a
   * baseline entry names when no resource matches it; `*` when a gap hides the
   * whole type. Not in the JSON report (see report/audit-report.ts).
   */
  resourceId: string;
  region: string;
  arn?: string;
  message: string;
  /** Stable across runs: rule + account + subject. */
  fingerprint: string;
  remediation: ActionKind[];
  /** Set when a baseline exception covers the violation and has not expired. */
  suppressed?: { reason: string; expires: string; source?: string };
  /** With a timeline (--timeline): who created the resource and what the attacker did to it (timeline/evidence.ts). */
  evidence?: Evidence;
}

/**
 * A violation as reports show it: without `resourceId`, which the planner
 * reads (the subject already names the resource for people), so that the
 * report's fields are what they have always been.
 */
export type ReportedViolation = Omit<Violation, 'resourceId'>;
