/**
 * The org report: one line per account of an org run (`audit --org` or
 * `--accounts`), with its counts, its gap if it has one, its drift since the
 * previous org report, and where its own reports are; the totals; the exit
 * code. Pure: built from the accounts' entries, which the run writes as each
 * account is done, and the same function builds it from the shards' reports
 * (`rollcall report merge`), so the two are identical.
 */
import { EXIT, type ExitCode } from '../exit-codes.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import type { DefaultOverride } from '../org/baselines.js';
import type { Shard } from '../org/shard.js';
import type { Summary } from './summary.js';

export const ORG_REPORT_FORMAT = 1;

/** Why an account was not audited: its role could not be assumed, it has no baseline, it is not an ACTIVE account of the organization, or its audit failed. */
export const ORG_GAP_REASONS = ['role', 'baseline', 'not-listed', 'audit'] as const;
export type OrgGapReason = (typeof ORG_GAP_REASONS)[number];

export interface DriftCounts {
  new: number;
  known: number;
  resolved: number;
  unverified: number;
}

export interface OrgAccountEntry {
  id: string;
  /** The organization's name for it (attacker-writable: escape it). */
  name?: string;
  status: 'audited' | 'gap';
  /** The baseline files merged for it: the defaults (when there are), then its own. */
  baseline?: string[];
  /** The defaults' values its own file overrides (org/baselines.ts): warnings, errors with --strict-defaults. */
  overrides?: DefaultOverride[];
  /** Why it was not audited. */
  gap?: { reason: OrgGapReason; message: string };
  /** Its reports, relative to the org report's folder, with the SHA-256 of each as written: `report merge` checks the files are these. */
  reports?: { json: string; md: string; sha256?: { json: string; md: string } };
  /** Resources found, and what could not be collected (the gaps are listed in its report). */
  resources?: number;
  collectionGaps?: number;
  summary?: Summary;
  /** With --previous: new and known open violations, resolved and unverified ones since the previous org report. */
  drift?: DriftCounts;
  /** Its exit code, as `audit` would give it with the run's --fail-on; a gap is 4 (incomplete). */
  exitCode: ExitCode;
}

export interface OrgSummary {
  accounts: number;
  audited: number;
  gaps: number;
  /** Summed over the audited accounts. */
  fail: Record<Severity, number>;
  unknown: number;
  suppressed: number;
  drift?: DriftCounts;
}

export interface OrgReport {
  format: typeof ORG_REPORT_FORMAT;
  kind: 'org';
  tool: { name: 'rollcall'; version: string };
  generatedAt: string;
  /** How the accounts were chosen: the organization's ACTIVE accounts (ListAccounts), or those given with --accounts (and, with --org, only those the organization lists). */
  source: 'organization' | 'accounts';
  roleName: string;
  baselines: string;
  failOn: string;
  /** The run's fingerprint (org/fingerprint.ts) and --run-id: the shards of one run share it, and `report merge` requires they do. */
  run?: RunStamp;
  /** --fail-on-gap: an account not audited makes the run exit 4 (incomplete) even when others have violations. */
  failOnGap?: boolean;
  /** With --previous: the previous org report. */
  previous?: string;
  /** A shard's report only (`--shard i/N`): `report merge` drops it. */
  shard?: Shard;
  summary: OrgSummary;
  exitCode: ExitCode;
  accounts: OrgAccountEntry[];
  notes: string[];
}

/**
 * Which exit code wins: violations over incomplete over clean, as one
 * account's audit ranks them (a finding is the news CI must act on; the
 * Markdown leads with the accounts not audited, so a gap is not hidden behind
 * it). With `gapWins` (--fail-on-gap) incomplete wins: a pipeline that must
 * know every account was audited fails on a gap whatever was found.
 */
export function worstExit(codes: Iterable<ExitCode>, gapWins = false): ExitCode {
  let worst: ExitCode = EXIT.clean;
  for (const c of codes) {
    if (c === EXIT.violations && !gapWins) return EXIT.violations;
    if (c === EXIT.incomplete && gapWins) return EXIT.incomplete;
    if (c === EXIT.violations || (c === EXIT.incomplete && worst === EXIT.clean)) worst = c;
  }
  return worst;
}

export function summarizeOrg(accounts: readonly OrgAccountEntry[], withDrift: boolean): OrgSummary {
  const fail = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let unknown = 0;
  let suppressed = 0;
  const drift: DriftCounts = { new: 0, known: 0, resolved: 0, unverified: 0 };
  for (const a of accounts) {
    if (a.summary) {
      for (const s of SEVERITIES) fail[s] += a.summary.fail[s];
      unknown += a.summary.unknown;
      suppressed += a.summary.suppressed;
    }
    if (a.drift) for (const k of ['new', 'known', 'resolved', 'unverified'] as const) drift[k] += a.drift[k];
  }
  return {
    accounts: accounts.length,
    audited: accounts.filter((a) => a.status === 'audited').length,
    gaps: accounts.filter((a) => a.status === 'gap').length,
    fail,
    unknown,
    suppressed,
    ...(withDrift ? { drift } : {}),
  };
}

/** What a run knows of its report before any account is audited: the report's own header fields, and the tool's version. */
export type OrgReportHeader = Pick<OrgReport, 'generatedAt' | 'source' | 'roleName' | 'baselines' | 'failOn' | 'run' | 'failOnGap' | 'previous' | 'shard'> & { version: string };

export interface RunStamp {
  fingerprint: string;
  id?: string;
}

/** The org report from its accounts (any order: sorted by id) and notes (sorted, each once). */
export function buildOrgReport(h: OrgReportHeader, accounts: readonly OrgAccountEntry[], notes: readonly string[]): OrgReport {
  const sorted = [...accounts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    format: ORG_REPORT_FORMAT,
    kind: 'org',
    tool: { name: 'rollcall', version: h.version },
    generatedAt: h.generatedAt,
    source: h.source,
    roleName: h.roleName,
    baselines: h.baselines,
    failOn: h.failOn,
    ...(h.run ? { run: h.run } : {}),
    ...(h.failOnGap ? { failOnGap: true } : {}),
    ...(h.previous !== undefined ? { previous: h.previous } : {}),
    ...(h.shard ? { shard: h.shard } : {}),
    summary: summarizeOrg(sorted, h.previous !== undefined),
    exitCode: worstExit(sorted.map((a) => a.exitCode), h.failOnGap === true),
    accounts: sorted,
    notes: [...new Set(notes)].sort(),
  };
}

/** The org report's file name in --out-dir: a shard's names its shard, so shards downloaded into one folder do not collide. */
export function orgReportName(shard: Shard | undefined): string {
  return shard ? `org-report.shard-${shard.index}-of-${shard.count}` : 'org-report';
}
