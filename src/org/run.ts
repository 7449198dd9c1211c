/**
 * An org run: the accounts (listed, or given), this shard's share of them,
 * then each account audited under its own bound (accounts at once, separate
 * from the collectors at once within one account), each with its own clients:
 * its own keep-alive pool and its own cache of the role's credentials. An
 * account whose role cannot be assumed, that has no baseline, that the
 * organization does not list, or whose audit fails is a gap in the org report,
 * never a crash and never silence. Each account's inventory is released once
 * its reports are written: memory holds at most `accountConcurrency` accounts.
 */
import pLimit from 'p-limit';
import path from 'node:path';
import { errorCode, errorMessage } from '../answers/error-info.js';
import { AwsClients, socketsFor, type ClientOptions } from '../aws/clients.js';
import { callerIdentity } from '../answers/caller-identity.js';
import { EXIT } from '../exit-codes.js';
import type { KnownRules } from '../load/baseline.js';
import type { ConfigSource } from '../collect/config.js';
import type { Rule } from '../model/rule.js';
import type { AuditReport } from '../report/audit-report.js';
import type { FailOn } from '../report/drift.js';
import { buildOrgReport, type OrgAccountEntry, type OrgReport } from '../report/org-report.js';
import type { ProgressEvent } from '../progress/events.js';
import { VERSION } from '../version.js';
import { listActiveAccounts, type OrgAccount } from './accounts.js';
import { accountReportPaths, auditAccount } from './account-audit.js';
import { accountBaseline, type BaselineFolder, type Defaults } from './baselines.js';
import { assumedRoleCredentials, partitionOf, roleArnIn } from './role-credentials.js';
import { inShard, type Shard } from './shard.js';

export interface OrgRunInput {
  /** The run's own clients (management or delegated administrator account): ListAccounts, and AssumeRole into each member. */
  management: AwsClients;
  /** Options for each member account's clients (region, timeouts, retries). */
  clientOptions: ClientOptions;
  /** --org: the organization's ACTIVE accounts; --accounts: these (with --org too, only those it lists). */
  org: boolean;
  accounts?: OrgAccount[];
  shard?: Shard;
  roleName: string;
  externalId?: string;
  sessionName: string;
  folder: BaselineFolder;
  defaults?: Defaults;
  rules: readonly Rule[];
  knownRules: KnownRules;
  now: Date;
  regions?: string[];
  /** --config: each account's own AWS Config recorders are read too. */
  config?: ConfigSource;
  /** Collectors at once within one account. */
  concurrency: number;
  /** Accounts at once. */
  accountConcurrency: number;
  failOn: FailOn;
  failOnText: string;
  /** The previous org report and its folder: each account's previous report is read from there when its turn comes. */
  previous?: { file: string; report: OrgReport; loadAccount: (accountId: string) => { file: string; report: AuditReport } | undefined };
  outDir: string;
  log: (message: string) => void;
  onProgress?: (event: ProgressEvent) => void;
}

const gap = (account: OrgAccount, reason: NonNullable<OrgAccountEntry['gap']>['reason'], message: string, baseline?: string[]): OrgAccountEntry => ({
  id: account.id,
  ...(account.name !== undefined ? { name: account.name } : {}),
  status: 'gap',
  ...(baseline ? { baseline } : {}),
  gap: { reason, message },
  exitCode: EXIT.incomplete,
});

/** The accounts to audit, and the notes the choice leaves (baselines for accounts the organization does not list). */
async function chooseAccounts(i: OrgRunInput): Promise<{ chosen: OrgAccount[]; notListed: OrgAccount[]; notes: string[] }> {
  if (!i.org) return { chosen: i.accounts ?? [], notListed: [], notes: [] };
  const listed = await listActiveAccounts(i.management);
  i.log(`the organization lists ${listed.length} ACTIVE account${listed.length === 1 ? '' : 's'}`);
  const byId = new Map(listed.map((a) => [a.id, a]));
  const notes = [...i.folder.accounts.keys()]
    .filter((id) => !byId.has(id))
    .map((id) => `${path.basename(i.folder.accounts.get(id)!)}: the organization does not list account ${id} as ACTIVE; not audited`);
  if (!i.accounts) return { chosen: listed, notListed: [], notes };
  const chosen = i.accounts.filter((a) => byId.has(a.id)).map((a) => byId.get(a.id)!);
  const notListed = i.accounts.filter((a) => !byId.has(a.id));
  return { chosen, notListed, notes };
}

export async function runOrgAudit(i: OrgRunInput): Promise<OrgReport> {
  const caller = await callerIdentity(i.management);
  const partition = partitionOf(caller.arn);
  const { chosen, notListed, notes } = await chooseAccounts(i);
  const mine = inShard(chosen, i.shard);
  const mineNotListed = inShard(notListed, i.shard);
  if (i.shard) i.log(`shard ${i.shard.index}/${i.shard.count}: ${mine.length + mineNotListed.length} account(s)`);
  const limit = pLimit(i.accountConcurrency);
  const entries: OrgAccountEntry[] = mineNotListed.map((a) => gap(a, 'not-listed', `account ${a.id} is not an ACTIVE account of the organization (organizations:ListAccounts)`));

  const one = async (account: OrgAccount): Promise<OrgAccountEntry> => {
    const ownFile = i.folder.accounts.get(account.id);
    if (!ownFile) {
      return gap(account, 'baseline', `no baseline: write ${path.join(i.folder.dir, `${account.id}.yaml`)} (rollcall baseline init, with the account's role, writes a first one)`);
    }
    const baselineFiles = [...(i.folder.defaults ? [i.folder.defaults] : []), ownFile];
    let located: ReturnType<typeof accountBaseline>;
    try {
      // Checked before the run began; read again now, as each account's turn comes.
      located = accountBaseline(i.folder, account.id, i.defaults, i.knownRules);
    } catch (err) {
      return gap(account, 'baseline', `the baseline can no longer be read: ${errorMessage(err)}`, baselineFiles);
    }
    const roleArn = roleArnIn(partition, account.id, i.roleName);
    const credentials = assumedRoleCredentials(i.management.sts(), { roleArn, sessionName: i.sessionName, ...(i.externalId ? { externalId: i.externalId } : {}) });
    try {
      await credentials();
    } catch (err) {
      i.log(`account ${account.id}: cannot assume ${roleArn}: ${errorCode(err)}`);
      return gap(account, 'role', `cannot assume ${roleArn} (sts:AssumeRole): ${errorCode(err)}: ${errorMessage(err)}`, baselineFiles);
    }
    const clients = new AwsClients({ ...i.clientOptions, maxSockets: socketsFor(i.concurrency) }, credentials);
    try {
      const previous = i.previous?.loadAccount(account.id);
      const entry = await auditAccount({
        account,
        clients,
        baseline: located.baseline,
        baselineFiles,
        rules: i.rules,
        now: i.now,
        collect: {
          concurrency: i.concurrency,
          ...(i.regions ? { regions: i.regions } : {}),
          ...(i.config ? { config: i.config } : {}),
          log: (m) => i.log(`account ${account.id}: ${m}`),
          ...(i.onProgress ? { onProgress: i.onProgress } : {}),
        },
        failOn: i.failOn,
        ...(previous ? { previous } : {}),
        outDir: i.outDir,
        reports: accountReportPaths(account.id),
      });
      i.log(`account ${account.id}: audited (exit ${entry.exitCode})`);
      return entry;
    } catch (err) {
      i.log(`account ${account.id}: audit failed: ${errorMessage(err)}`);
      return gap(account, 'audit', `the audit failed: ${errorMessage(err)}`, baselineFiles);
    } finally {
      clients.destroy();
    }
  };

  entries.push(...(await Promise.all(mine.map((a) => limit(() => one(a))))));
  return buildOrgReport(
    {
      version: VERSION,
      generatedAt: i.now.toISOString(),
      source: i.org ? 'organization' : 'accounts',
      roleName: i.roleName,
      baselines: i.folder.dir,
      failOn: i.failOnText,
      ...(i.previous ? { previous: i.previous.file } : {}),
      ...(i.shard ? { shard: i.shard } : {}),
    },
    entries,
    notes,
  );
}
