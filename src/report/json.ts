import type { AuditReport } from './audit-report.js';

/** Reports hold no secrets by construction: collectors never read a secret access key. */
export function renderJson(report: AuditReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
