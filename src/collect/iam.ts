/**
 * The IAM collector. It asks the fewest questions (see DESIGN.md, "Minimum API
 * calls"): the credential report, GetAccountAuthorizationDetails, GetAccountSummary,
 * and ListAccessKeys only for users the report shows keys for. When the report
 * predates this run (AWS reuses one for up to 4 hours), it re-checks keys and
 * passwords per user, since a compromise may be younger than the report.
 *
 * This file runs the three account-wide reads at once and turns each failure
 * into gaps; the mapping lives beside it: iam-entities.ts (authorization
 * details), iam-root.ts (account summary), iam-users.ts (users, keys, passwords).
 */
import { GetAccountSummaryCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { Gap } from '../model/inventory.js';
import type { Resource, ResourceType } from '../model/resource.js';
import { fetchCredentialReport, ReportError } from './credential-report.js';
import { addDetails, fetchDetails } from './iam-entities.js';
import { addRoot } from './iam-root.js';
import { Sink } from './iam-sink.js';
import { addUsers } from './iam-users.js';

export interface IamContext {
  accountId: string;
  now: Date;
  log?: (msg: string) => void;
}

export interface CollectorResult {
  resources: Resource[];
  gaps: Gap[];
  notes: string[];
}

const USER_TYPES: ResourceType[] = ['iam.user', 'iam.accessKey', 'iam.loginProfile'];
const DETAIL_TYPES: ResourceType[] = [
  ...USER_TYPES,
  'iam.role',
  'iam.group',
  'iam.policy',
  'iam.policyAttachment',
  'iam.inlinePolicy',
  'iam.groupMembership',
];

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
  log('iam: credential report, authorization details and account summary');
  const [report, details, summary] = await Promise.all([
    settle(fetchCredentialReport(iam)),
    settle(fetchDetails(iam)),
    settle(iam.send(new GetAccountSummaryCommand({}))),
  ]);

  if (!report.ok) {
    const op = report.error instanceof ReportError ? report.error.operation : 'iam:GetCredentialReport';
    out.gap(USER_TYPES, op, report.error);
    out.notes.push('The IAM credential report could not be read: users, access keys and login profiles were not collected, and the root password and key columns are unknown (null).');
  }

  if (summary.ok) {
    addRoot(out, ctx.accountId, summary.value.SummaryMap ?? {}, report.ok ? report.value.root : null);
  } else {
    out.gap(['account.root'], 'iam:GetAccountSummary', summary.error);
  }

  if (!details.ok) {
    out.gap(DETAIL_TYPES, 'iam:GetAccountAuthorizationDetails', details.error);
    return out.result();
  }
  const d = details.value;
  log(`iam: ${d.users.length} users, ${d.groups.length} groups, ${d.roles.length} roles, ${d.policies.length} customer policies`);
  addDetails(out, d);
  if (report.ok) await addUsers(iam, out, d.users, report.value, ctx.now, log);
  return out.result();
}
