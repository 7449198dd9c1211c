/**
 * One member account of an org run, audited as `rollcall audit` audits one
 * account: the caller (who must be in this account), the live inventory
 * (collect/collect.ts), the rules (engine), the report (report/audit-report.ts)
 * with its drift since the account's previous report, written as JSON and
 * Markdown. What it returns is the account's line of the org report; the
 * inventory and violations are released when it returns.
 */
import path from 'node:path';
import { callerIdentity } from '../answers/caller-identity.js';
import type { AwsClients } from '../aws/clients.js';
import { collectInventory, type CollectOptions } from '../collect/collect.js';
import { spendContext } from '../collect/spend.js';
import { evaluateInventory } from '../commands/evaluate-inventory.js';
import { AwsFailure } from '../errors.js';
import type { Baseline } from '../model/baseline.js';
import type { Rule } from '../model/rule.js';
import { buildReport, type AuditReport } from '../report/audit-report.js';
import { compareRuns, newViolationsExitCode, withDrift } from '../report/drift.js';
import { jsonChunks } from '../report/json.js';
import { markdownChunks } from '../report/markdown.js';
import type { OrgAccountEntry } from '../report/org-report.js';
import { writeChunksAtomic } from '../report/output.js';
import { spendEvidence } from '../report/spend.js';
import { auditExitCode } from '../report/summary.js';
import type { FailOn } from '../report/drift.js';
import { VERSION } from '../version.js';
import type { OrgAccount } from './accounts.js';
import { fileSha256 } from './fingerprint.js';

export interface AccountAuditInput {
  account: OrgAccount;
  clients: AwsClients;
  baseline: Baseline;
  /** The files merged into it, for the report. */
  baselineFiles: string[];
  /** What merging its baseline warned of (values of the defaults its file overrides): in its report's warnings. */
  baselineWarnings?: string[];
  rules: readonly Rule[];
  now: Date;
  collect: Omit<CollectOptions, 'now'>;
  failOn: FailOn;
  /** The account's report in the previous org run, read and checked. */
  previous?: { file: string; report: AuditReport };
  /** The org report's folder, and the account reports' paths relative to it. */
  outDir: string;
  reports: { json: string; md: string };
}

/** Org mode reads no CloudTrail history: how to judge the rules that need one. */
const ORG_TIMELINE_HINT = "Org mode reads no timeline: audit that account alone with rollcall audit --timeline live.";

/** The per-account reports' paths, relative to the org report's folder. */
export function accountReportPaths(accountId: string): { json: string; md: string } {
  return { json: `accounts/${accountId}.json`, md: `accounts/${accountId}.md` };
}

export async function auditAccount(i: AccountAuditInput): Promise<OrgAccountEntry> {
  const caller = await callerIdentity(i.clients);
  if (caller.account !== i.account.id) {
    throw new AwsFailure(`the role assumed for account ${i.account.id} acts in account ${caller.account}: refusing to audit one account as another`);
  }
  // With incident.since in the account's baseline, its spend since then, as `rollcall audit` reads it (one Cost Explorer request a page).
  const spend = spendContext(i.baseline, i.now);
  const collected = await collectInventory(i.clients, { ...i.collect, now: i.now, ...(spend ? { spend } : {}) }, caller);
  // Evaluated as `rollcall audit` evaluates one account (the same function): a Config not read, the rules not judged, the warnings.
  const rules = [...i.rules];
  const evaluated = evaluateInventory({ inventory: collected, baseline: i.baseline, rules, now: i.now, log: i.collect.log ?? (() => {}), timelineHint: ORG_TIMELINE_HINT });
  const { inventory, violations, warnings } = evaluated;
  const spendSeen = spendEvidence(inventory, i.baseline);
  const built = buildReport({
    version: VERSION,
    now: i.now,
    inventory,
    baselineFile: i.baselineFiles.join(' + '),
    ...(i.baseline.account.alias ? { alias: i.baseline.account.alias } : {}),
    ruleCount: rules.length,
    violations,
    warnings: [...(i.baselineWarnings ?? []), ...warnings],
    notes: evaluated.notes,
    ...(spendSeen ? { spend: spendSeen } : {}),
  });
  const drift = i.previous
    ? compareRuns(i.previous.report, { violations: built.violations, regions: inventory.regions, ruleIds: new Set(rules.map((r) => r.id)) }, i.previous.file)
    : undefined;
  const report = drift ? withDrift(built, drift) : built;
  const jsonFile = path.join(i.outDir, i.reports.json);
  const mdFile = path.join(i.outDir, i.reports.md);
  writeChunksAtomic(jsonFile, jsonChunks({ ...report }));
  writeChunksAtomic(mdFile, markdownChunks(report));
  // What this run wrote, so `report merge` can tell it from a stale file or another run's.
  const sha256 = { json: fileSha256(jsonFile), md: fileSha256(mdFile) };
  const exitCode = i.failOn.onlyNew ? newViolationsExitCode(report.violations, drift?.statuses, i.failOn.severity) : auditExitCode(report.violations, i.failOn.severity);
  return {
    id: i.account.id,
    ...(i.account.name !== undefined ? { name: i.account.name } : {}),
    status: 'audited',
    baseline: i.baselineFiles,
    reports: { ...i.reports, sha256 },
    resources: report.inventory.resources,
    collectionGaps: report.gaps.length,
    summary: report.summary,
    ...(drift ? { drift: drift.summary.counts } : {}),
    exitCode,
  };
}
