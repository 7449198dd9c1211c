import { InputError } from '../errors.js';
import type { AuditReport } from '../report/audit-report.js';

/** `--previous`: a report of another account has nothing to say about this one; refused before anything is collected. */
export function checkPreviousAccount(previous: AuditReport, file: string, accountId: string): void {
  if (previous.account.id === accountId) return;
  throw InputError.at(
    { file, path: '/account/id' },
    `the previous report is for account ${previous.account.id}, but this audit is for account ${accountId}: refusing to compare one account with another's report`,
  );
}
