/**
 * The account's root user (`account.root`). On AWS everything comes from the
 * credential report's `<root_account>` row: MFA, whether an access key or a
 * signing certificate exists, the password's last use and each key's state.
 * Only when there is no such row (the report could not be read, or the
 * emulator's report has none) does the collector call GetAccountSummary, whose
 * counts then give MFA, keys and certificates and leave the row's columns null;
 * or when CloudTrail shows the root's keys or MFA changed after a reused report
 * (iam-changes.ts): the summary's counts then win, with the row's password use.
 */
import type { SummaryKeyType } from '@aws-sdk/client-iam';
import type { RootProps } from '../model/iam-props.js';
import { rowShowsCert, rowShowsKey, type ReportRow } from './credential-report.js';
import type { Sink } from './iam-sink.js';

export type AccountSummary = Partial<Record<SummaryKeyType, number>>;

/**
 * The root's props from its report row, else from the account summary; the row
 * wins when both are given. Null when neither is: the caller records a gap.
 * A key or certificate slot counts as present when it is active or has a
 * `last_rotated` date: an inactive root key still exists and can be re-enabled.
 */
export function rootProps(root: ReportRow | null, summary: AccountSummary | null, rowOutdated = false): RootProps | null {
  if (root && rowOutdated && summary) {
    // CloudTrail shows the root's keys or MFA changed after the report: the summary's counts are current, the row's key slots are not.
    return { ...summaryProps(summary), passwordLastUsed: root.passwordLastUsed };
  }
  if (root) {
    return {
      mfaEnabled: root.mfaActive,
      accessKeysPresent: rowShowsKey(root),
      signingCertificatesPresent: rowShowsCert(root),
      passwordLastUsed: root.passwordLastUsed,
      accessKey1Active: root.keys[0].active,
      accessKey2Active: root.keys[1].active,
    };
  }
  return summary ? summaryProps(summary) : null;
}

function summaryProps(summary: AccountSummary): RootProps {
  return {
    mfaEnabled: (summary.AccountMFAEnabled ?? 0) > 0,
    accessKeysPresent: (summary.AccountAccessKeysPresent ?? 0) > 0,
    signingCertificatesPresent: (summary.AccountSigningCertificatesPresent ?? 0) > 0,
    passwordLastUsed: null,
    accessKey1Active: null,
    accessKey2Active: null,
  };
}

/** Adds `account.root` from the row or the summary (see rootProps); returns false when neither was given. */
export function addRoot(out: Sink, accountId: string, root: ReportRow | null, summary: AccountSummary | null, rowOutdated = false): boolean {
  const props = rootProps(root, summary, rowOutdated);
  if (!props) return false;
  out.add('account.root', 'root', props, `arn:aws:iam::${accountId}:root`);
  return true;
}
