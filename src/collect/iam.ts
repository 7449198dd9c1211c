/**
 * The IAM collector. It asks the fewest questions (see DESIGN.md, "Minimum API
 * calls"): the credential report, GetAccountAuthorizationDetails, and
 * ListAccessKeys only for users the report shows keys for. When the report
 * predates this run (AWS reuses one for up to 4 hours), it re-checks keys and
 * passwords per user, since a compromise may be younger than the report.
 *
 * When the report predates the run and CloudTrail's event history can be read
 * (`ctx.events`), the IAM changes since the report are read from it, beside
 * GetAccountAuthorizationDetails, and only the users they name are re-checked
 * (iam-changes.ts); otherwise every user is, with a note saying why.
 *
 * The root user comes from the report's `<root_account>` row; GetAccountSummary
 * is called only when there is no such row (the report failed, or moto's report
 * has none), started as soon as the report's outcome is known so that it
 * overlaps GetAccountAuthorizationDetails.
 *
 * This file runs the account-wide reads at once and turns each failure into
 * gaps; the mapping lives beside it: iam-entities.ts (authorization details),
 * iam-root.ts (root user), iam-users.ts (users, keys, passwords).
 */
import { GetAccountSummaryCommand, type GetAccountSummaryCommandOutput, type IAMClient } from '@aws-sdk/client-iam';
import { fetchCredentialReport, ReportError } from './credential-report.js';
import { addDetails, fetchDetails, roleTrust, type RoleTrust } from './iam-entities.js';
import { readIamChanges, type ChangeSource, type IamChanges } from './iam-changes.js';
import { addRoot } from './iam-root.js';
import type { CollectorResult } from './iam-result.js';
import { errorCode, Sink, type IamType } from './iam-sink.js';
import { addUsers, recheckAllCost } from './iam-users.js';

export interface IamContext {
  accountId: string;
  now: Date;
  log?: (msg: string) => void;
  /**
   * Called once, as soon as GetAccountAuthorizationDetails has answered, with
   * every role's trust (null: the roles could not be read), so that regional
   * collectors that depend on roles need not wait for the rest of IAM.
   */
  onRoles?: (roles: RoleTrust[] | null) => void;
  /** CloudTrail's event history, read when the credential report predates the run; without it every user is re-checked. */
  events?: ChangeSource;
}

const USER_TYPES: IamType[] = ['iam.user', 'iam.accessKey', 'iam.loginProfile'];
const DETAIL_TYPES: IamType[] = [
  ...USER_TYPES,
  'iam.role',
  'iam.group',
  'iam.policy',
  'iam.policyAttachment',
  'iam.inlinePolicy',
  'iam.groupMembership',
];

/** Every type the IAM collector yields (collect/collectors.ts; the registry test holds it to the descriptors). */
export const IAM_TYPES: readonly IamType[] = ['account.root', ...DETAIL_TYPES];

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}

export async function collectIam(iam: IAMClient, ctx: IamContext): Promise<CollectorResult> {
  const log = ctx.log ?? (() => {});
  const out = new Sink(ctx.accountId);
  log('iam: credential report and authorization details');
  const reportP = settle(fetchCredentialReport(iam));
  const detailsP = settle(fetchDetails(iam));
  const onRoles = ctx.onRoles;
  if (onRoles) void detailsP.then((d) => onRoles(d.ok ? d.value.roles.map(roleTrust) : null));
  // The summary only when the report cannot say: it starts as soon as the report settles.
  const summaryP = reportP.then((r): Promise<Settled<GetAccountSummaryCommandOutput>> | null => {
    if (r.ok && r.value.root) return null;
    log(`iam: account summary (${r.ok ? 'the credential report has no root row' : 'no credential report'})`);
    return settle(iam.send(new GetAccountSummaryCommand({})));
  });
  // A reused report: which users changed since, read while the authorization details load.
  const events = ctx.events;
  const changesP = reportP.then((r): Promise<IamChanges> | null => {
    if (!events || !r.ok || r.value.fresh) return null;
    log(`iam: the credential report predates the run; CloudTrail event history since ${r.value.generatedTime ?? 'an unknown time'}`);
    return readIamChanges(events, { generatedTime: r.value.generatedTime, now: ctx.now, budget: recheckAllCost(r.value) });
  });
  // The root's keys or MFA changed since the report: its counts again, from GetAccountSummary (one call).
  const rootSummaryP = Promise.all([reportP, changesP]).then(([r, c]): Promise<Settled<GetAccountSummaryCommandOutput>> | null => {
    if (!r.ok || !r.value.root || !c?.ok || c.rootEvents.size === 0) return null;
    log(`iam: account summary (the root's credentials changed since the report: ${[...c.rootEvents].join(', ')})`);
    return settle(iam.send(new GetAccountSummaryCommand({})));
  });
  const [report, details, fetched, changes, rootSummary] = await Promise.all([reportP, detailsP, summaryP, changesP, rootSummaryP]);
  const summary = fetched ?? rootSummary;
  if (changes) log(changes.ok ? `iam: ${changes.events} IAM change events, ${changes.users.size} users to re-check (${changes.calls} LookupEvents calls)` : `iam: every user re-checked: ${changes.reason}`);

  if (!report.ok) {
    const op = report.error instanceof ReportError ? report.error.operation : 'iam:GetCredentialReport';
    out.gap(USER_TYPES, op, report.error);
    out.notes.push('The IAM credential report could not be read: users, access keys and login profiles were not collected, and the root password and key columns are unknown (null).');
  }

  const rootRow = report.ok ? report.value.root : null;
  const summaryMap = summary?.ok ? (summary.value.SummaryMap ?? {}) : null;
  // A root row known to be out of date is no answer: without the summary, the root is a gap.
  const usableRow = rootSummary && !rootSummary.ok ? null : rootRow;
  if (!addRoot(out, ctx.accountId, usableRow, summaryMap, rootSummary !== null) && summary && !summary.ok) {
    out.gap(['account.root'], 'iam:GetAccountSummary', summary.error);
  }
  if (rootSummary && changes?.ok) {
    const what = `The root user's credentials changed since the credential report (${[...changes.rootEvents].sort().join(', ')}, in CloudTrail's event history): `;
    out.notes.push(
      rootSummary.ok
        ? `${what}its MFA, access keys and signing certificates were read again with GetAccountSummary; which key slot is active is unknown (null).`
        : `${what}reading them again failed (iam:GetAccountSummary, ${errorCode(rootSummary.error)}), and the report's row is out of date: the root user is not collected.`,
    );
  }

  if (!details.ok) {
    out.gap(DETAIL_TYPES, 'iam:GetAccountAuthorizationDetails', details.error);
    return out.result();
  }
  const d = details.value;
  log(`iam: ${d.users.length} users, ${d.groups.length} groups, ${d.roles.length} roles, ${d.policies.length} customer policies`);
  addDetails(out, d);
  if (report.ok) await addUsers(iam, out, d.users, report.value, ctx.now, log, changes);
  return out.result();
}
