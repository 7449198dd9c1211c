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
import { readdirSync, rmSync } from 'node:fs';
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
import { listAccounts, organizationId, type OrgAccount } from './accounts.js';
import { accountReportPaths, auditAccount } from './account-audit.js';
import { accountBaseline, overrideWarning, type BaselineFolder, type Defaults } from './baselines.js';
import { assumedRoleCredentials, partitionOf, roleArnIn } from './role-credentials.js';
import { inShard, shardOf, type Shard } from './shard.js';
import { runStamp } from './fingerprint.js';
import { sharedAggregator } from './config-aggregator.js';

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
  /** --strict-defaults: an account's file overriding a value of the defaults is an error (checked before the run; its gap if it appears since). */
  strictDefaults?: boolean;
  rules: readonly Rule[];
  knownRules: KnownRules;
  now: Date;
  regions?: string[];
  /** --config: each account's own AWS Config recorders are read too; --config-aggregator: the run's aggregator, read once and queried for each account (org/config-aggregator.ts). */
  config?: ConfigSource;
  /** Collectors at once within one account. */
  concurrency: number;
  /** Accounts at once. */
  accountConcurrency: number;
  failOn: FailOn;
  failOnText: string;
  /** --run-id: the CI run's id, in the run's fingerprint. */
  runId?: string;
  /** --fail-on-gap: an account not audited makes the run exit 4 even when others have violations. */
  failOnGap?: boolean;
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

/** States of an account the organization still lists but that cannot be audited: its baseline is noted, not a gap. */
const CLOSED_STATES = new Set(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);

/**
 * The accounts to audit; those that must be but cannot (not-listed gaps); and
 * the notes the choice leaves. With --org (and no --accounts), an account that
 * has a baseline, or was in the previous org report, but that ListAccounts
 * does not return at all is a gap: it left the organization (an intruder's
 * LeaveOrganization takes it out of sight), or the listing is wrong; either
 * way it was not audited and must not pass in silence. One the organization
 * lists as closed (SUSPENDED, PENDING_CLOSURE, CLOSED) is a note.
 */
async function chooseAccounts(i: OrgRunInput): Promise<{ chosen: OrgAccount[]; notListed: { account: OrgAccount; message: string }[]; notes: string[] }> {
  if (!i.org) return { chosen: i.accounts ?? [], notListed: [], notes: [] };
  const all = await listAccounts(i.management);
  const listed = all.filter((a) => a.state === 'ACTIVE').map(({ state: _, ...a }) => a);
  i.log(`the organization lists ${listed.length} ACTIVE account${listed.length === 1 ? '' : 's'}`);
  const byId = new Map(listed.map((a) => [a.id, a]));
  const stateOf = new Map(all.map((a) => [a.id, a.state]));
  if (i.accounts) {
    const chosen = i.accounts.filter((a) => byId.has(a.id)).map((a) => byId.get(a.id)!);
    const notListed = i.accounts
      .filter((a) => !byId.has(a.id))
      .map((account) => ({ account, message: `account ${account.id} is not an ACTIVE account of the organization (organizations:ListAccounts${stateOf.has(account.id) ? ` lists it as ${stateOf.get(account.id)}` : ' does not return it at all'})` }));
    return { chosen, notListed, notes: [] };
  }
  const notes: string[] = [];
  const notListed = new Map<string, { account: OrgAccount; message: string }>();
  for (const [id, file] of i.folder.accounts) {
    if (byId.has(id)) continue;
    const state = stateOf.get(id);
    if (state !== undefined && CLOSED_STATES.has(state)) notes.push(`${path.basename(file)}: the organization lists account ${id} as ${state}; not audited`);
    else if (state !== undefined) notListed.set(id, { account: { id }, message: `${file}: the organization lists account ${id} as ${state}, not ACTIVE: not audited` });
    else notListed.set(id, { account: { id }, message: `${file} is the baseline of account ${id}, but the organization (organizations:ListAccounts) does not return it at all: it left the organization (LeaveOrganization, RemoveAccountFromOrganization) or the listing is wrong; not audited. Remove its baseline if it left on purpose` });
  }
  for (const a of i.previous?.report.accounts ?? []) {
    if (byId.has(a.id) || notListed.has(a.id)) continue;
    const state = stateOf.get(a.id);
    if (state !== undefined && CLOSED_STATES.has(state)) notes.push(`account ${a.id} of the previous org report: the organization lists it as ${state}; not audited`);
    else {
      const account = { id: a.id, ...(a.name !== undefined ? { name: a.name } : {}) };
      notListed.set(a.id, { account, message: `account ${a.id} was in the previous org report ${i.previous!.file}, but the organization (organizations:ListAccounts) ${state !== undefined ? `lists it as ${state}` : 'does not return it at all'}: it left the organization or the listing is wrong; not audited` });
    }
  }
  return { chosen: listed, notListed: byId_(notListed), notes };
}

const byId_ = (m: Map<string, { account: OrgAccount; message: string }>) => [...m.values()].sort((a, b) => (a.account.id < b.account.id ? -1 : a.account.id > b.account.id ? 1 : 0));

/**
 * The accounts' reports in --out-dir that this run did not write, of accounts
 * in its shard (all, unsharded), are removed: a report left by an earlier run
 * would otherwise sit beside this run's as if it were one of them.
 */
export function removeStaleReports(outDir: string, entries: readonly OrgAccountEntry[], shard: Shard | undefined, log: (m: string) => void): void {
  const dir = path.join(outDir, 'accounts');
  const written = new Set(entries.flatMap((e) => (e.reports ? [e.reports.json, e.reports.md] : [])).map((f) => path.basename(f)));
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const id = /^(\d{12})\.(json|md)$/.exec(name)?.[1];
    if (!id || written.has(name) || (shard && shardOf(id, shard.count) !== shard.index)) continue;
    rmSync(path.join(dir, name), { force: true });
    log(`removed ${path.join(dir, name)}: a report this run did not write (an earlier run's)`);
  }
}

/**
 * Who the run is of, for its fingerprint: with --org, the organization (any
 * account of it may describe it, so shards running as different accounts of
 * one organization agree); if it cannot be described, the caller's account,
 * said in the log. Without --org, nobody: the --accounts list names the
 * accounts audited, whoever assumes their roles.
 */
async function runScope(i: OrgRunInput, caller: string): Promise<{ organization?: string; caller?: string }> {
  if (!i.org) return {};
  try {
    return { organization: await organizationId(i.management) };
  } catch (err) {
    i.log(`cannot read the organization's id (organizations:DescribeOrganization): ${errorCode(err)}: ${errorMessage(err)}; the run's fingerprint names the caller's account ${caller} instead, so only shards run as that account merge with this one`);
    return { caller };
  }
}

export async function runOrgAudit(i: OrgRunInput): Promise<OrgReport> {
  const caller = await callerIdentity(i.management);
  const run = runStamp({
    ...(await runScope(i, caller.account)),
    ...(i.regions ? { regions: i.regions } : {}),
    ...(i.config ? { config: i.config } : {}),
    ruleIds: i.rules.map((r) => r.id),
    ...(i.accounts ? { accounts: i.accounts.map((a) => a.id) } : {}),
    ...(i.runId !== undefined ? { runId: i.runId } : {}),
  });
  const partition = partitionOf(caller.arn);
  const { chosen, notListed, notes } = await chooseAccounts(i);
  const mine = inShard(chosen, i.shard);
  const mineNotListed = notListed.filter((n) => inShard([n.account], i.shard).length === 1);
  if (i.shard) i.log(`shard ${i.shard.index}/${i.shard.count}: ${mine.length + mineNotListed.length} account(s)`);
  // --config-aggregator: read once, with the run's own credentials, for this shard's accounts; each account's part queried in its turn.
  const config = i.config?.kind === 'aggregator' && mine.length > 0 ? await sharedAggregator(i.management, i.config, mine.map((a) => a.id), i.org, i.log) : i.config;
  const limit = pLimit(i.accountConcurrency);
  const entries: OrgAccountEntry[] = mineNotListed.map((n) => {
    const file = i.folder.accounts.get(n.account.id);
    return gap(n.account, 'not-listed', n.message, file ? [...(i.folder.defaults ? [i.folder.defaults] : []), file] : undefined);
  });

  const one = async (account: OrgAccount): Promise<OrgAccountEntry> => {
    const ownFile = i.folder.accounts.get(account.id);
    if (!ownFile) {
      return gap(account, 'baseline', `no baseline: write ${path.join(i.folder.dir, `${account.id}.yaml`)} (rollcall baseline init, with the account's role, writes a first one)`);
    }
    const baselineFiles = [...(i.folder.defaults ? [i.folder.defaults] : []), ownFile];
    let located: ReturnType<typeof accountBaseline>;
    try {
      // Checked before the run began; read again now, as each account's turn comes.
      located = accountBaseline(i.folder, account.id, i.defaults, i.knownRules, { strictDefaults: i.strictDefaults === true });
    } catch (err) {
      return gap(account, 'baseline', `the baseline can no longer be read: ${errorMessage(err)}`, baselineFiles);
    }
    const overrides = located.overrides;
    for (const o of overrides) i.log(`account ${account.id}: warning: ${overrideWarning(o)}`);
    const withOverrides = (entry: OrgAccountEntry): OrgAccountEntry => (overrides.length > 0 ? { ...entry, overrides } : entry);
    const roleArn = roleArnIn(partition, account.id, i.roleName);
    const credentials = assumedRoleCredentials(i.management.sts(), { roleArn, sessionName: i.sessionName, ...(i.externalId ? { externalId: i.externalId } : {}) });
    try {
      await credentials();
    } catch (err) {
      i.log(`account ${account.id}: cannot assume ${roleArn}: ${errorCode(err)}`);
      return withOverrides(gap(account, 'role', `cannot assume ${roleArn} (sts:AssumeRole): ${errorCode(err)}: ${errorMessage(err)}`, baselineFiles));
    }
    // The SDK settings from the environment are the run's, looked up once (they hold no credentials).
    const clients = new AwsClients({ ...i.clientOptions, maxSockets: socketsFor(i.concurrency) }, credentials, i.management.sdk);
    try {
      const previous = i.previous?.loadAccount(account.id);
      const entry = await auditAccount({
        account,
        clients,
        baseline: located.baseline,
        baselineFiles,
        baselineWarnings: overrides.map(overrideWarning),
        rules: i.rules,
        now: i.now,
        collect: {
          concurrency: i.concurrency,
          ...(i.regions ? { regions: i.regions } : {}),
          ...(config ? { config } : {}),
          log: (m) => i.log(`account ${account.id}: ${m}`),
          ...(i.onProgress ? { onProgress: i.onProgress } : {}),
        },
        failOn: i.failOn,
        ...(previous ? { previous } : {}),
        outDir: i.outDir,
        reports: accountReportPaths(account.id),
      });
      i.log(`account ${account.id}: audited (exit ${entry.exitCode})`);
      return withOverrides(entry);
    } catch (err) {
      i.log(`account ${account.id}: audit failed: ${errorMessage(err)}`);
      return withOverrides(gap(account, 'audit', `the audit failed: ${errorMessage(err)}`, baselineFiles));
    } finally {
      clients.destroy();
    }
  };

  entries.push(...(await Promise.all(mine.map((a) => limit(() => one(a))))));
  removeStaleReports(i.outDir, entries, i.shard, i.log);
  return buildOrgReport(
    {
      version: VERSION,
      generatedAt: i.now.toISOString(),
      source: i.org ? 'organization' : 'accounts',
      roleName: i.roleName,
      baselines: i.folder.dir,
      failOn: i.failOnText,
      run,
      ...(i.failOnGap ? { failOnGap: true } : {}),
      ...(i.previous ? { previous: i.previous.file } : {}),
      ...(i.shard ? { shard: i.shard } : {}),
    },
    entries,
    notes,
  );
}
