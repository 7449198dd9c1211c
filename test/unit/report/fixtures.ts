import type { Gap } from '../../../src/model/inventory.js';
import type { Resource } from '../../../src/model/resource.js';
import { buildReport, type AuditReport } from '../../../src/report/audit-report.js';
import { inventory, NOW } from '../../helpers/resources.js';
import { compromise, incidentBaseline, violationsOf } from '../plan/fixtures.js';

/** An audit report with every part a report can have: violations of each severity, unknown and suppressed ones, gaps, notes and warnings. */
export function richReport(resources: Resource[] = compromise(), o: { gaps?: Gap[]; notes?: string[]; warnings?: string[] } = {}): AuditReport {
  const gaps = o.gaps ?? [{ type: 'lambda.function', region: 'eu-west-1', operation: 'lambda:ListFunctions', code: 'AccessDenied', message: 'User is not authorized to perform lambda:ListFunctions' } satisfies Gap];
  const inv = { ...inventory(resources, gaps), regions: ['global', 'us-east-1', 'eu-west-1'], notes: o.notes ?? ['The IAM credential report was 3 hours old: keys were re-checked per user.'] };
  const b = incidentBaseline({ exceptions: [{ rule: 'iam-user-undeclared', subject: 'user/backup-admin', reason: 'SEC-42', expires: '2027-01-31' }] });
  const violations = violationsOf(inv, b);
  return buildReport({ version: '9.9.9', now: NOW, inventory: inv, baselineFile: 'baselines/example.yaml', alias: 'payments-prod', ruleCount: 30, violations, warnings: o.warnings ?? ['Exception iam-user-undeclared on user/nobody matches no violation: remove it if the risk is gone'] });
}
