/**
 * Drift since the last run (`audit --previous report.json`): each violation of
 * this run is `new` or `known` by its fingerprint, and each violation of the
 * previous run that is gone is `resolved`, or `unverified` when this run could
 * not have seen it (its rule was blind there: a gap; its region was not
 * scanned; its rule was not run). Pure: the previous report comes in as data.
 */
import { EXIT, type ExitCode } from '../exit-codes.js';
import { atLeast, type Severity } from '../model/severity.js';
import type { ReportedViolation } from '../model/violation.js';
import type { AuditReport } from './audit-report.js';

export type DriftStatus = 'new' | 'known';
export const DRIFT_STATUSES: readonly DriftStatus[] = ['new', 'known'];

/** A violation of the previous run that this run did not find, as the previous report gave it. */
export type GoneViolation = Pick<ReportedViolation, 'ruleId' | 'title' | 'severity' | 'subject' | 'resourceType' | 'region' | 'message' | 'fingerprint'>;

/** A violation of the previous run that this run could neither find nor rule out, and why. */
export interface UnverifiedViolation extends GoneViolation {
  reason: string;
}

/** What the comparison reads of the previous report: the fields every rollcall report has. */
export interface PreviousRun {
  generatedAt: string;
  violations: readonly ReportedViolation[];
}

/** What the comparison reads of this run. */
export interface CurrentRun {
  violations: readonly ReportedViolation[];
  /** Regions scanned (`global` for IAM). */
  regions: readonly string[];
  /** The ids of the rules this run evaluated. */
  ruleIds: ReadonlySet<string>;
}

export interface DriftSummary {
  previous: { file: string; generatedAt: string };
  /** Open violations (failing, not suppressed) of this run, new and known; the gone ones of the previous run, resolved and unverified. */
  counts: { new: number; known: number; resolved: number; unverified: number };
}

export interface Drift {
  /** One per violation of this run, in its order. */
  statuses: DriftStatus[];
  summary: DriftSummary;
  resolved: GoneViolation[];
  unverified: UnverifiedViolation[];
}

const gone = (v: ReportedViolation): GoneViolation => ({
  ruleId: v.ruleId,
  title: v.title,
  severity: v.severity,
  subject: v.subject,
  resourceType: v.resourceType,
  region: v.region,
  message: v.message,
  fingerprint: v.fingerprint,
});

/**
 * Why this run could not have found a violation of the previous run, or
 * undefined when it could have (so its absence means it is resolved). The
 * engine reports a blind rule as one `unknown` violation per blind region of
 * the type it judges (`global` or `*` when blind everywhere); a declaration
 * for every region (`*`) is blind wherever any region is.
 */
function whyUnverified(v: ReportedViolation, current: CurrentRun, blind: Map<string, ReportedViolation[]>): string | undefined {
  if (!current.ruleIds.has(v.ruleId)) return `rule ${v.ruleId} was not evaluated in this run`;
  const unknown = (blind.get(`${v.ruleId}\u0000${v.resourceType}`) ?? []).find(
    (u) => u.region === 'global' || u.region === '*' || v.region === '*' || u.region === v.region,
  );
  if (unknown) return `not checked in this run: ${unknown.message}`;
  if (v.region !== '*' && !current.regions.includes(v.region)) return `region ${v.region} was not scanned in this run`;
  return undefined;
}

/** Compares this run's violations with the previous run's, by fingerprint. */
export function compareRuns(previous: PreviousRun, current: CurrentRun, previousFile: string): Drift {
  const open = (v: ReportedViolation) => v.status === 'fail' && !v.suppressed;
  // An open violation is known only if it was open in the previous run too: one an exception suppressed then
  // (and no longer does), or a gap hid then, is new to whoever gates on new ones. Any other is known if it was there.
  const openBefore = new Set(previous.violations.filter(open).map((v) => v.fingerprint));
  const anyBefore = new Set(previous.violations.map((v) => v.fingerprint));
  const now = new Set(current.violations.map((v) => v.fingerprint));
  const statuses = current.violations.map((v): DriftStatus => ((open(v) ? openBefore : anyBefore).has(v.fingerprint) ? 'known' : 'new'));
  let newCount = 0;
  let known = 0;
  current.violations.forEach((v, i) => {
    if (!open(v)) return;
    if (statuses[i] === 'new') newCount++;
    else known++;
  });

  const blind = new Map<string, ReportedViolation[]>();
  for (const u of current.violations) {
    if (u.status !== 'unknown') continue;
    const key = `${u.ruleId}\u0000${u.resourceType}`;
    const list = blind.get(key);
    if (list) list.push(u);
    else blind.set(key, [u]);
  }
  const resolved: GoneViolation[] = [];
  const unverified: UnverifiedViolation[] = [];
  const seen = new Set<string>();
  for (const v of previous.violations) {
    // An unknown of the previous run was a blind spot, not a finding, and a suppressed one was accepted: nothing to resolve.
    if (!open(v) || now.has(v.fingerprint) || seen.has(v.fingerprint)) continue;
    seen.add(v.fingerprint);
    const reason = whyUnverified(v, current, blind);
    if (reason === undefined) resolved.push(gone(v));
    else unverified.push({ ...gone(v), reason });
  }
  return {
    statuses,
    summary: {
      previous: { file: previousFile, generatedAt: previous.generatedAt },
      counts: { new: newCount, known, resolved: resolved.length, unverified: unverified.length },
    },
    resolved,
    unverified,
  };
}

/** `--fail-on`: a severity (every open violation counts), or `new[:SEVERITY]` (only the new ones do). */
export interface FailOn {
  severity: Severity;
  onlyNew: boolean;
}

/**
 * The audit's exit code for `--fail-on new[:SEVERITY]`: 1 when a new,
 * unsuppressed, failing violation is at or above the severity; else 4 when an
 * unknown one is (a gap may hide a new violation); else 0. `statuses` is
 * parallel to `violations`; without a previous run every violation is new.
 */
export function newViolationsExitCode(violations: readonly ReportedViolation[], statuses: readonly DriftStatus[] | undefined, severity: Severity): ExitCode {
  let incomplete = false;
  for (const [i, v] of violations.entries()) {
    if (v.suppressed || !atLeast(v.severity, severity)) continue;
    if (v.status === 'unknown') incomplete = true;
    else if ((statuses?.[i] ?? 'new') === 'new') return EXIT.violations;
  }
  return incomplete ? EXIT.incomplete : EXIT.clean;
}

/** The report with the comparison in it: each violation's `drift`, the summary, the resolved and the unverified ones. */
export function withDrift(report: AuditReport, drift: Drift): AuditReport {
  return {
    ...report,
    violations: report.violations.map((v, i) => ({ ...v, drift: drift.statuses[i] ?? 'new' })),
    drift: drift.summary,
    resolved: drift.resolved,
    unverified: drift.unverified,
  };
}
