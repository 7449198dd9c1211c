import { appendFileSync } from 'node:fs';
import type { ExitCode } from '../exit-codes.js';
import { buildReport } from '../report/audit-report.js';
import { reportFormat } from '../report/formats.js';
import { writeChunks, writeChunksAtomic } from '../report/output.js';
import { auditExitCode } from '../report/summary.js';
import { compareRuns, newViolationsExitCode, withDrift } from '../report/drift.js';
import { loadReport } from '../load/report.js';
import { VERSION } from '../version.js';
import type { Evaluated, InputOptions } from './inputs.js';
import { beginSavedInventory } from './saved-inventory.js';
import { parseFailOn } from './fail-on.js';
import { checkPreviousAccount } from './previous.js';
import { checkOutputFile } from './arguments.js';
import { colourMarkdown, wantsColour } from '../report/colour.js';
import { terminalText } from '../report/escape.js';
import { stepSummary } from '../report/step-summary.js';
import { spendEvidence } from '../report/spend.js';
import type { Baseline } from '../model/baseline.js';
import type { Inventory } from '../model/inventory.js';
import { checkNotOrgOptions, isOrgMode, type OrgModeOptions } from './org-mode.js';

/** The spend evidence, when the baseline sets incident.since. */
function withSpend(inventory: Inventory, baseline: Baseline) {
  const spend = spendEvidence(inventory, baseline);
  return spend ? { spend } : {};
}

export interface AuditOptions extends InputOptions, OrgModeOptions {
  /** Worker threads that read and judge a saved JSON Lines inventory (saved-inventory.ts). */
  jobs?: string;
  format: string;
  out?: string;
  failOn: string;
  /** A JSON report of an earlier audit: each violation is marked new or known, and the gone ones listed. */
  previous?: string;
}

/** Checks its own options, then every input before any AWS call, so bad input fails fast and writes nothing. */
export async function runAudit(o: AuditOptions): Promise<ExitCode> {
  // --org or --accounts: every account against its own baseline (org/run.ts).
  if (isOrgMode(o)) return (await import('./org-audit.js')).runOrgAuditCommand(o);
  checkNotOrgOptions(o);
  const failOn = parseFailOn(o.failOn);
  if (o.out) checkOutputFile('--out', o.out);
  const format = reportFormat(o.format);
  const write = await format.load();
  const previous = o.previous !== undefined ? { file: o.previous, report: loadReport(o.previous) } : undefined;
  // A large saved inventory: its worker threads started and its first lines handed out before the rest of the audit's code loads.
  const begun = await beginSavedInventory(o, format.readsFailingResources === true);
  let evaluated: Evaluated;
  try {
    const { evaluateInputs } = await import('./inputs.js');
    evaluated = await evaluateInputs(o, (b) => {
      if (previous) checkPreviousAccount(previous.report, previous.file, b.account.id);
    }, { spend: true }, begun);
  } finally {
    await begun?.close();
  }
  const { now, baseline, baselineLines, rules, inventory, violations, warnings, log, timelineNotes, counted } = evaluated;
  const built = buildReport({
    version: VERSION,
    now,
    inventory,
    baselineFile: o.baseline,
    ...(baseline.account.alias ? { alias: baseline.account.alias } : {}),
    ruleCount: rules.length,
    violations,
    warnings,
    ...withSpend(inventory, baseline),
    notes: timelineNotes,
    ...(counted ? { counted } : {}),
  });
  const drift = previous
    ? compareRuns(previous.report, { violations: built.violations, regions: inventory.regions, ruleIds: new Set(rules.map((r) => r.id)) }, previous.file)
    : undefined;
  const report = drift ? withDrift(built, drift) : built;
  if (drift) {
    const c = drift.summary.counts;
    log(`since ${previous!.file}: ${c.new} new, ${c.known} known, ${c.resolved} resolved${c.unverified ? `, ${c.unverified} not verified (not checked in this run)` : ''}`);
  }
  // Written in pieces, never as one string: a report of a million violations is longer than a string can be.
  const chunks = write({ report, rules, violations, baseline, baselineLines, inventory, cwd: process.cwd() });
  if (o.out) {
    writeChunksAtomic(o.out, chunks);
    log(`report written to ${o.out}`);
  } else {
    await writeChunks(process.stdout, o.format === 'md' && wantsColour(process.stdout) ? colourMarkdown(chunks) : chunks);
  }
  const jobSummary = process.env.GITHUB_STEP_SUMMARY;
  if (jobSummary) appendJobSummary(jobSummary, stepSummary(report), log);
  return failOn.onlyNew ? newViolationsExitCode(violations, drift?.statuses, failOn.severity) : auditExitCode(violations, failOn.severity);
}

/**
 * Appends the job summary (GitHub Actions shows GITHUB_STEP_SUMMARY on the
 * run's page). The report is already written: a summary that cannot be
 * appended is a warning, not a failed audit.
 */
function appendJobSummary(file: string, summary: string, log: (line: string) => void): void {
  try {
    appendFileSync(file, summary);
  } catch (err) {
    log(`warning: could not append the job summary to ${terminalText(file)}: ${terminalText(err instanceof Error ? err.message : String(err))}`);
  }
}
