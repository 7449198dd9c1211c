/**
 * Users, with their access keys and login profiles. The credential report
 * answers for most users; a user gets ListAccessKeys only when the report shows
 * it keys (or predates this run, or does not list it), and GetLoginProfile only
 * when the report cannot vouch for its password. The calls run a few at a time;
 * their failures become one gap per operation and error, and a stale report or
 * users newer than it become notes.
 */
import type { IAMClient, UserDetail } from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import { matchKeysToSlots, rowShowsKey, type CredentialReport } from './credential-report.js';
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

export async function addUsers(iam: IAMClient, out: Sink, users: UserDetail[], report: CredentialReport, now: Date, log: (msg: string) => void): Promise<void> {
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

  const plan = users.map((u) => {
    const name = u.UserName ?? '';
    const row = report.users.get(name);
    return {
      user: u,
      name,
      row,
      listKeys: !report.fresh || !row || rowShowsKey(row),
      getLogin: !row || (!report.fresh && row.passwordEnabled !== true),
    };
  });

  const checks = await Promise.all(
    plan.map(async (p): Promise<UserChecks> => {
      const c: UserChecks = { lastUsed: new Map() };
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
  addNotes(out, report, now, plan.filter((p) => !p.row).map((p) => p.name), plan.filter((p) => p.getLogin).length);
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

function addNotes(out: Sink, report: CredentialReport, now: Date, newerUsers: string[], loginChecks: number): void {
  const generated = report.generatedTime ?? 'an unknown time';
  if (!report.fresh) {
    const minutes = report.generatedTime ? Math.round((now.getTime() - Date.parse(report.generatedTime)) / 60_000) : null;
    const age = minutes === null ? '' : ` (${minutes} min before this run)`;
    out.notes.push(
      `The IAM credential report was generated at ${generated}${age}: AWS reuses a report for up to 4 hours, so it may miss recent changes. ` +
        `Access keys of every user were re-checked with ListAccessKeys, and login profiles of ${loginChecks} user(s) the report showed without a password (or did not list) with GetLoginProfile; ` +
        'MFA state and password/key last-used dates come from the report and may be out of date.',
    );
  }
  if (newerUsers.length > 0) {
    out.notes.push(
      `${newerUsers.length} user(s) are newer than the credential report (generated at ${generated}): ${newerUsers.join(', ')}. ` +
        'Their access keys and login profiles were checked directly; their mfaActive is reported as false and passwordLastUsed as null without the report to confirm them.',
    );
  }
}
