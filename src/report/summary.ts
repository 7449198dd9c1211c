import { atLeast, SEVERITIES, type Severity } from '../model/severity.js';
import type { ReportedViolation } from '../model/violation.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

export interface Summary {
  /** Failing, unsuppressed violations by severity. */
  fail: Record<Severity, number>;
  unknown: number;
  suppressed: number;
  total: number;
}

export function summarize(violations: ReportedViolation[]): Summary {
  const fail = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let unknown = 0;
  let suppressed = 0;
  for (const v of violations) {
    if (v.suppressed) suppressed++;
    else if (v.status === 'unknown') unknown++;
    else fail[v.severity]++;
  }
  return { fail, unknown, suppressed, total: violations.length };
}

/**
 * The audit's exit code: 1 when an unsuppressed failing violation is at or above
 * the threshold; else 4 when an unknown one is (a gap hid what we needed); else 0.
 */
export function auditExitCode(violations: ReportedViolation[], failOn: Severity): ExitCode {
  const relevant = violations.filter((v) => !v.suppressed && atLeast(v.severity, failOn));
  if (relevant.some((v) => v.status === 'fail')) return EXIT.violations;
  if (relevant.some((v) => v.status === 'unknown')) return EXIT.incomplete;
  return EXIT.clean;
}
