/**
 * `rollcall audit --org` / `--accounts LIST` [`--shard i/N`]: every account of
 * an organization (or those listed) audited against its own baseline in the
 * baselines folder (-b), through a role assumed in each; the org report and
 * each account's reports written in --out-dir. AWS Config: --config reads
 * each account's recorders through its role; --config-aggregator NAME, the
 * run's own aggregator, read once and queried for each account
 * (org/config-aggregator.ts). Every input is checked before
 * any AWS call: the options, every baseline of the folder merged with the
 * defaults, the rules, the previous org report and its accounts' reports.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ExitCode } from '../exit-codes.js';
import { InputError } from '../errors.js';
import type { OrgModeOptions } from './org-mode.js';
export { checkNotOrgOptions, isOrgMode, ORG_ONLY, type OrgModeOptions } from './org-mode.js';
import { loadReport } from '../load/report.js';
import { loadOrgReport } from '../load/org-report.js';
import { builtinRulesDir, loadRules } from '../load/rules.js';
import type { AuditReport } from '../report/audit-report.js';
import { jsonChunks } from '../report/json.js';
import { orgMarkdownChunks } from '../report/org-markdown.js';
import { orgReportName, type OrgReport } from '../report/org-report.js';
import { writeChunksAtomic } from '../report/output.js';
import { parseAccounts, type OrgAccount } from '../org/accounts.js';
import { checkBaselineFolder, readBaselineFolder } from '../org/baselines.js';
import { runOrgAudit } from '../org/run.js';
import { parseRoleName } from '../org/role-credentials.js';
import { parseShard } from '../org/shard.js';
import { parseRunId } from '../org/fingerprint.js';
import { parseFailOn } from './fail-on.js';
import { checkPreviousAccount } from './previous.js';
import { makeClients, makeLog, parseCollection, parseNow, type CollectionOptions } from './options.js';
import { MAX_CONCURRENCY } from './arguments.js';

/** Accounts audited at once, unless --account-concurrency says otherwise. */
export const ACCOUNT_CONCURRENCY = 16;

/** The options of `audit` that org mode adds. */

export interface OrgAuditOptions extends CollectionOptions, OrgModeOptions {
  baseline: string;
  rules?: string[];
  failOn: string;
  previous?: string;
  now?: string;
  format?: string;
  out?: string;
  inventory?: string;
  timeline?: string;
}

function parseAccountConcurrency(value: string | undefined): number {
  if (value === undefined) return ACCOUNT_CONCURRENCY;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > MAX_CONCURRENCY) {
    throw InputError.at({ file: '--account-concurrency' }, `must be a whole number from 1 to ${MAX_CONCURRENCY} (got '${value}')`);
  }
  return n;
}

/** What one-account options cannot do in org mode: said, not ignored. */
function checkOrgOptions(o: OrgAuditOptions): string {
  if (o.inventory !== undefined) throw InputError.at({ file: '--inventory' }, 'a saved inventory is one account: org mode collects each account live');
  if (o.out !== undefined) throw InputError.at({ file: '--out' }, 'org mode writes the org report and each account\'s reports in --out-dir');
  if (o.format !== undefined && o.format !== 'md') throw InputError.at({ file: '--format' }, 'org mode writes JSON and Markdown, for the org and for each account');
  if (o.timeline !== undefined) throw InputError.at({ file: '--timeline' }, 'is for one account: not available in org mode');
  if (o.outDir === undefined) throw InputError.at({ file: '--out-dir' }, 'org mode needs a folder for the org report and the accounts\' reports');
  const stats = statSync(o.outDir, { throwIfNoEntry: false });
  if (stats && !stats.isDirectory()) throw InputError.at({ file: '--out-dir' }, `'${o.outDir}' is a file, not a folder`);
  return o.outDir;
}

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** --role-session-name and --external-id, which in org mode go with the role assumed in each account. */
function parseSession(o: OrgAuditOptions): { name: string; externalId?: string } {
  if (o.externalId !== undefined && !EXTERNAL_ID.test(o.externalId)) throw InputError.at({ file: '--external-id' }, 'must be 2 to 1224 letters, digits or _+=,.@:/-');
  const name = o.roleSessionName ?? 'rollcall';
  if (!SESSION_NAME.test(name)) throw InputError.at({ file: '--role-session-name' }, `must be 2 to 64 letters, digits or _+=,.@- (got '${name}')`);
  return { name, ...(o.externalId !== undefined ? { externalId: o.externalId } : {}) };
}

/** The previous org report, and each of its accounts' reports checked now (read again when its account's turn comes). */
export function loadPrevious(file: string): { file: string; report: OrgReport; loadAccount: (id: string) => { file: string; report: AuditReport } | undefined } {
  const report = loadOrgReport(file);
  const dir = path.dirname(file);
  const files = new Map<string, string>();
  for (const a of report.accounts) if (a.reports) files.set(a.id, path.join(dir, a.reports.json));
  for (const [id, f] of files) checkPreviousAccount(loadReport(f), f, id);
  return {
    file,
    report,
    loadAccount: (id) => {
      const f = files.get(id);
      if (f === undefined) return undefined;
      const previous = loadReport(f);
      checkPreviousAccount(previous, f, id);
      return { file: f, report: previous };
    },
  };
}

export async function runOrgAuditCommand(o: OrgAuditOptions): Promise<ExitCode> {
  const failOn = parseFailOn(o.failOn);
  const outDir = checkOrgOptions(o);
  const now = parseNow(o.now);
  const collection = parseCollection(o);
  const accountConcurrency = parseAccountConcurrency(o.accountConcurrency);
  const roleName = parseRoleName(o.assumeRoleName);
  const shard = o.shard !== undefined ? parseShard(o.shard) : undefined;
  const accounts: OrgAccount[] | undefined = o.accounts !== undefined ? parseAccounts(o.accounts) : undefined;
  const sessionName = parseSession(o);
  const runId = o.runId !== undefined ? parseRunId(o.runId) : undefined;
  const log = makeLog(o);

  const rules = loadRules([builtinRulesDir(), ...(o.rules ?? [])]);
  const knownRules = { ids: new Set(rules.map((r) => r.id)), from: o.rules?.length ? `the built-in rules and those in ${o.rules.join(', ')}` : 'the built-in rules (add yours with --rules)' };
  const folder = readBaselineFolder(o.baseline);
  const defaults = checkBaselineFolder(folder, knownRules, { strictDefaults: o.strictDefaults === true });
  const previous = o.previous !== undefined ? loadPrevious(o.previous) : undefined;

  mkdirSync(path.join(outDir, 'accounts'), { recursive: true });
  // --external-id is the member roles' (org mode); the run's own credentials (--role-arn) are assumed without one.
  const management = await makeClients({ ...o, externalId: undefined, roleSessionName: o.roleArn !== undefined ? o.roleSessionName : undefined }, collection.concurrency);
  let report: OrgReport;
  try {
    const { assumeRole: _, ...clientOptions } = management.options;
    report = await runOrgAudit({
      management,
      clientOptions,
      org: Boolean(o.org),
      ...(accounts ? { accounts } : {}),
      ...(shard ? { shard } : {}),
      roleName,
      ...(sessionName.externalId !== undefined ? { externalId: sessionName.externalId } : {}),
      sessionName: sessionName.name,
      folder,
      ...(defaults ? { defaults } : {}),
      ...(o.strictDefaults ? { strictDefaults: true } : {}),
      rules,
      knownRules,
      now,
      ...(collection.regions ? { regions: collection.regions } : {}),
      ...(collection.config ? { config: collection.config } : {}),
      concurrency: collection.concurrency,
      accountConcurrency,
      failOn,
      failOnText: o.failOn,
      ...(o.failOnGap ? { failOnGap: true } : {}),
      ...(runId !== undefined ? { runId } : {}),
      ...(previous ? { previous } : {}),
      outDir,
      log,
    });
  } finally {
    management.destroy();
  }
  const name = orgReportName(shard);
  writeChunksAtomic(path.join(outDir, `${name}.json`), jsonChunks({ ...report }));
  writeChunksAtomic(path.join(outDir, `${name}.md`), orgMarkdownChunks(report));
  const s = report.summary;
  log(`${s.audited} of ${s.accounts} account(s) audited, ${s.gaps} not (gaps); org report written to ${path.join(outDir, `${name}.json`)} and .md`);
  return report.exitCode;
}
