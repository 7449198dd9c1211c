/**
 * Users, with their access keys and login profiles. The credential report
 * answers for most users; a user gets ListAccessKeys only when the report shows
 * it keys (or predates this run, or does not list it, or lists another user
 * under its name: another creation time or ARN), and GetLoginProfile only
 * when the report cannot vouch for its password. The calls run a few at a time;
 * their failures become one gap per operation and error, and a stale report or
 * users newer than it become notes.
 *
 * A report older than the run may miss changes since it was generated. When
 * CloudTrail's event history says which users changed since then
 * (iam-changes.ts), only they are re-checked, beside the users the report
 * shows keys for (whose keys are listed anyway); otherwise every user is, and
 * the note says why event history could not be used.
 */
import type { IAMClient, UserDetail } from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import { matchKeysToSlots, rowShowsKey, type CredentialReport, type ReportRow } from './credential-report.js';
import { delaySentence, type ChangesSeen, type IamChanges } from './iam-changes.js';
import { keyLastUsed, listKeys, loginProfile } from '../answers/iam-reads.js';
import { iso } from '../answers/values.js';
import { addUser, type UserChecks } from './iam-user-resources.js';
import { errorCode, type IamType, type Sink } from './iam-sink.js';

/** How many per-user IAM calls run at once: IAM has one endpoint and throttles. */
const PER_USER_CONCURRENCY = 8;

interface Failure {
  type: IamType;
  operation: string;
  subject: string;
  error: unknown;
}

/**
 * The per-user calls checking every user costs on top of checking only those
 * that changed: a ListAccessKeys for each user the report shows no key for, and
 * a GetLoginProfile for each it shows no password for.
 */
export function recheckAllCost(report: CredentialReport): number {
  let calls = 0;
  for (const row of report.users.values()) calls += (rowShowsKey(row) ? 0 : 1) + (row.passwordEnabled === true ? 0 : 1);
  return calls;
}

const toSecond = (date: string | Date | null | undefined): number | null => {
  if (date === null || date === undefined) return null;
  const ms = typeof date === 'string' ? Date.parse(date) : date.getTime();
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
};

/**
 * Whether the report's row under a user's name describes that user: the same
 * ARN (a path change moves it) and the same creation time (to the second: the
 * report has no finer). A name renamed away and taken by another user, or
 * deleted and created again, keeps its row but not its creation time; this
 * holds whatever the event history says or misses.
 */
export function rowIsUser(row: ReportRow, u: UserDetail): boolean {
  const rowCreated = toSecond(row.userCreationTime);
  return row.arn === u.Arn && rowCreated !== null && rowCreated === toSecond(u.CreateDate);
}

/**
 * `changes`: for a report older than the run, what CloudTrail's event history
 * said (null: it was not asked, and every user is re-checked as before).
 */
export async function addUsers(
  iam: IAMClient,
  out: Sink,
  users: UserDetail[],
  report: CredentialReport,
  now: Date,
  log: (msg: string) => void,
  changes: IamChanges | null = null,
): Promise<void> {
  const limit = pLimit(PER_USER_CONCURRENCY);
  const failures: Failure[] = [];
  const attempt = async <T>(type: IamType, operation: string, subject: string, run: () => Promise<T>): Promise<T | 'failed'> => {
    try {
      return await limit(run);
    } catch (error) {
      failures.push({ type, operation, subject, error });
      return 'failed';
    }
  };

  const seen = !report.fresh && changes?.ok ? changes : null;
  const recheckAll = !report.fresh && seen === null;
  // IAM user names are unique regardless of case, and a call may spell one in any case.
  const changedUsers = new Set([...(seen?.users ?? [])].map((n) => n.toLowerCase()));
  const plan = users.map((u) => {
    const name = u.UserName ?? '';
    const named = report.users.get(name);
    // A password reset moves no date GetLoginProfile or this report shows: the event's time dates it,
    // unless the name was renamed from or to (its events may be another user's).
    const renamed = seen?.renamed.has(name.toLowerCase()) === true;
    // The row under this name may be another user's (renamed, moved or re-created since): then it is no answer.
    // Under a renamed name it may be even when the creation times agree (users created in the same second).
    const row = named && !renamed && rowIsUser(named, u) ? named : undefined;
    const changed = changedUsers.has(name.toLowerCase());
    return {
      user: u,
      name,
      row,
      renamed,
      passwordSet: renamed ? undefined : seen?.passwordSet.get(name.toLowerCase()),
      otherRow: named !== undefined && row === undefined,
      listKeys: recheckAll || changed || !row || rowShowsKey(row),
      // A changed user's password is asked for even when the report showed one: it may be gone, or new.
      getLogin: !row || changed || (recheckAll && row.passwordEnabled !== true),
    };
  });

  const checks = await Promise.all(
    plan.map(async (p): Promise<UserChecks> => {
      const c: UserChecks = { lastUsed: new Map(), ...(p.passwordSet !== undefined ? { passwordSet: p.passwordSet } : {}) };
      const [keys, login] = await Promise.all([
        p.listKeys ? attempt('iam.accessKey', 'iam:ListAccessKeys', p.name, () => listKeys(iam, p.name)) : undefined,
        p.getLogin ? attempt('iam.loginProfile', 'iam:GetLoginProfile', p.name, () => loginProfile(iam, p.name)) : undefined,
      ]);
      if (keys !== undefined) c.keys = keys;
      if (login !== undefined) c.loginProfile = login;
      if (Array.isArray(keys)) {
        const keyList = keys.map((k) => ({ id: k.AccessKeyId ?? '', createDate: iso(k.CreateDate) }));
        const slots = matchKeysToSlots(keyList, p.row, report.generatedTime);
        for (const key of keyList) {
          const slot = slots.get(key.id);
          if (slot) {
            c.lastUsed.set(key.id, slot);
            continue;
          }
          // A key younger than the report: ask for its last use directly.
          const got = await attempt('iam.accessKey', 'iam:GetAccessKeyLastUsed', key.id, () => keyLastUsed(iam, key.id));
          if (got !== 'failed') c.lastUsed.set(key.id, got);
        }
      }
      return c;
    }),
  );

  plan.forEach((p, i) => addUser(out, p.user, p.row, checks[i] ?? { lastUsed: new Map() }));
  reportFailures(out, failures);
  const loginChecks = plan.filter((p) => p.getLogin).length;
  const rechecked = plan.filter((p) => changedUsers.has(p.name.toLowerCase())).map((p) => p.name);
  const renamed = plan.filter((p) => p.renamed).map((p) => p.name);
  addNotes(out, report, now, plan.filter((p) => !p.row && !p.otherRow).map((p) => p.name), plan.filter((p) => p.otherRow).map((p) => p.name), loginChecks, changes, rechecked, renamed);
  log(`iam: ${plan.filter((p) => p.listKeys).length} ListAccessKeys, ${plan.filter((p) => p.getLogin).length} GetLoginProfile calls`);
}

/** One gap per type, operation and error code, naming the users or keys it hides. */
function reportFailures(out: Sink, failures: Failure[]): void {
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = `${f.type}|${f.operation}|${errorCode(f.error)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const list of groups.values()) {
    const first = list[0];
    if (!first) continue;
    const subjects = list.map((f) => f.subject);
    const shown = subjects.slice(0, 5).join(', ') + (subjects.length > 5 ? `, and ${subjects.length - 5} more` : '');
    out.gap([first.type], first.operation, first.error, `failed for ${subjects.length} (${shown}): `);
  }
}

const listed = (names: string[]) => names.slice(0, 10).join(', ') + (names.length > 10 ? `, and ${names.length - 10} more` : '');

function addNotes(
  out: Sink,
  report: CredentialReport,
  now: Date,
  newerUsers: string[],
  otherRows: string[],
  loginChecks: number,
  changes: IamChanges | null,
  rechecked: string[],
  renamed: string[],
): void {
  const generated = report.generatedTime ?? 'an unknown time';
  if (!report.fresh) {
    const minutes = report.generatedTime ? Math.round((now.getTime() - Date.parse(report.generatedTime)) / 60_000) : null;
    const age = minutes === null ? '' : ` (${minutes} min before this run)`;
    const stale = `The IAM credential report was generated at ${generated}${age}: AWS reuses a report for up to 4 hours, so it may miss recent changes. `;
    if (changes?.ok) out.notes.push(stale + changedNote(changes, rechecked, renamed, now));
    else {
      const why = changes ? ` CloudTrail's event history could not say which users changed instead: ${changes.reason}.` : '';
      out.notes.push(
        stale +
          `Access keys of every user were re-checked with ListAccessKeys, and login profiles of ${loginChecks} user(s) the report showed without a password (or did not list) with GetLoginProfile; ` +
          'MFA state and password/key last-used dates come from the report and may be out of date. ' +
          `Password last-changed dates come from the report or GetLoginProfile's CreateDate, which a password reset (UpdateLoginProfile, ChangePassword) does not move: a reset since the report was generated (${generated}) may not show, and such a password looks older than it is.` +
          why,
      );
    }
  }
  if (newerUsers.length > 0) {
    out.notes.push(
      `${newerUsers.length} user(s) are newer than the credential report (generated at ${generated}): ${newerUsers.join(', ')}. ` +
        'Their access keys and login profiles were checked directly; their mfaActive is reported as false and passwordLastUsed as null without the report to confirm them.',
    );
  }
  if (otherRows.length > 0) {
    out.notes.push(
      `${otherRows.length} user(s) may not be the user the credential report (generated at ${generated}) lists under their name (another creation time or ARN, or a rename in CloudTrail's event history: renamed, moved or re-created since): ${listed(otherRows)}. ` +
        'Their access keys and login profiles were checked directly; their mfaActive is reported as false and passwordLastUsed as null, since the report says nothing of them.',
    );
  }
}

function changedNote(seen: ChangesSeen, rechecked: string[], renamed: string[], now: Date): string {
  const who = rechecked.length > 0 ? `: ${rechecked.length} user(s) were re-checked with ListAccessKeys and GetLoginProfile (${listed(rechecked)})` : ': no user needed re-checking';
  const parts = [
    `CloudTrail's event history (${seen.region}, ${seen.since} to ${seen.until}, ${seen.calls} LookupEvents calls) shows ${seen.events} change(s) to IAM users, keys, passwords or MFA${who}; ` +
      'the keys of users the report shows keys for were listed as always, and the other users are as the report says. ',
    delaySentence(seen, now),
    ' Password/key last-used dates come from the report and may be out of date.',
  ];
  if (renamed.length > 0) {
    parts.push(
      ` ${renamed.length} user(s) were renamed, or took a renamed user's name, since the report (${listed(renamed)}): a password event under their name may be another user's, so their passwordLastChanged comes from the report or GetLoginProfile's CreateDate and may miss a reset since.`,
    );
  }
  if (seen.mfaUsers.size > 0) parts.push(` MFA devices of ${seen.mfaUsers.size} user(s) were enabled or deactivated since the report (${listed([...seen.mfaUsers].sort())}): their mfaActive comes from the report and is out of date.`);
  return parts.join('');
}
