import type { ActionKind } from './action.js';
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
  resourceType: ResourceType;
  region: string;
  arn?: string;
  message: string;
  /** Stable across runs: rule + account + subject. */
  fingerprint: string;
  remediation: ActionKind[];
  /** Set when a baseline exception covers the violation and has not expired. */
  suppressed?: { reason: string; expires: string };
}
