/**
 * Maps one user to its resources: `iam.user`, its `iam.loginProfile` when it
 * has a password, and an `iam.accessKey` per key. The per-user calls' answers,
 * where made, win over the credential report's row, which may be older.
 */
import type { AccessKeyMetadata, LoginProfile, UserDetail } from '@aws-sdk/client-iam';
import { accessKeyProps, userOwnProps } from '../answers/iam.js';
import type { KeyLastUse } from '../answers/iam-reads.js';
import { isoOrNull, tagRecord } from '../answers/values.js';
import type { LoginProfileProps, UserProps } from '../model/iam-props.js';
import type { ReportRow } from './credential-report.js';
import { policyNames, userPolicies } from './iam-entities.js';
import type { Sink } from './iam-sink.js';

/** What the per-user calls found; `undefined` when the call was not needed, `'failed'` when it failed. */
export interface UserChecks {
  keys?: AccessKeyMetadata[] | 'failed';
  /** The login profile, or null for none (NoSuchEntity). */
  loginProfile?: Partial<LoginProfile> | null | 'failed';
  lastUsed: Map<string, KeyLastUse>;
  /** The latest password set (CreateLoginProfile, UpdateLoginProfile, ChangePassword) in CloudTrail's event history since the report (ISO). */
  passwordSet?: string;
}

/** The later of ISO dates, null when there is none. */
function latest(...dates: (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const d of dates) if (d !== null && d !== undefined && !Number.isNaN(Date.parse(d)) && (best === null || Date.parse(d) > Date.parse(best))) best = d;
  return best;
}

export function addUser(out: Sink, u: UserDetail, row: ReportRow | undefined, c: UserChecks): void {
  const { permissionsBoundary, ...own } = userOwnProps(u);
  const name = own.name;
  const keys = Array.isArray(c.keys) ? c.keys : null;
  const reportKeys = row ? row.keys.filter((k) => k.active || k.lastRotated !== null) : [];
  const checked = c.loginProfile !== undefined && c.loginProfile !== 'failed';
  const login = c.loginProfile === undefined || c.loginProfile === 'failed' ? null : c.loginProfile;
  const passwordEnabled = checked ? login !== null : row?.passwordEnabled === true;
  const passwordLastUsed = row?.passwordLastUsed ?? null;

  const props: UserProps = {
    ...own,
    passwordEnabled,
    passwordLastUsed,
    mfaActive: row?.mfaActive ?? false,
    accessKeyCount: keys ? keys.length : reportKeys.length,
    activeAccessKeyCount: keys ? keys.filter((k) => k.Status === 'Active').length : reportKeys.filter((k) => k.active).length,
    groups: [...(u.GroupList ?? [])],
    ...policyNames(userPolicies(u)),
    permissionsBoundary,
  };
  out.add('iam.user', name, props, u.Arn, tagRecord(u.Tags));

  if (passwordEnabled) {
    // A password the report did not know of was set after it: its CreateDate is its last change.
    // One it knew may have been deleted and set again since (a re-checked user): the later date wins.
    // A reset (UpdateLoginProfile, ChangePassword) moves neither date: its event's time, when read, is later.
    const created = isoOrNull(login?.CreateDate);
    const known = row?.passwordEnabled === true ? row.passwordLastChanged : null;
    const lastChanged = latest(created, known, c.passwordSet);
    const lp: LoginProfileProps = { user: name, passwordLastUsed, passwordLastChanged: lastChanged };
    out.add('iam.loginProfile', name, lp);
  }

  for (const k of keys ?? []) {
    const id = k.AccessKeyId ?? '';
    out.add('iam.accessKey', id, accessKeyProps(name, k, c.lastUsed.get(id)));
  }
}
