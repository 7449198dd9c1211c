/**
 * The account's root user (`account.root`): MFA, access keys and signing
 * certificates from GetAccountSummary, and the password's last use and each
 * key's state from the credential report's `<root_account>` row when there is one.
 */
import type { SummaryKeyType } from '@aws-sdk/client-iam';
import type { RootProps } from '../model/iam-props.js';
import type { ReportRow } from './credential-report.js';
import type { Sink } from './iam-sink.js';

/** `root` is null when the report could not be read or has no root row: its columns are then unknown (null). */
export function addRoot(out: Sink, accountId: string, summary: Partial<Record<SummaryKeyType, number>>, root: ReportRow | null): void {
  const props: RootProps = {
    mfaEnabled: (summary.AccountMFAEnabled ?? 0) > 0,
    accessKeysPresent: (summary.AccountAccessKeysPresent ?? 0) > 0,
    signingCertificatesPresent: (summary.AccountSigningCertificatesPresent ?? 0) > 0,
    passwordLastUsed: root?.passwordLastUsed ?? null,
    accessKey1Active: root ? root.keys[0].active : null,
    accessKey2Active: root ? root.keys[1].active : null,
  };
  out.add('account.root', 'root', props, `arn:aws:iam::${accountId}:root`);
}
