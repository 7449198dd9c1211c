import type { Inventory, SkippedRegion } from '../model/inventory.js';
import type { ReportedViolation, Violation } from '../model/violation.js';
import type { DriftStatus, DriftSummary, GoneViolation, UnverifiedViolation } from './drift.js';
import { summarize, type Summary } from './summary.js';

export const REPORT_FORMAT = 1;

const reported = ({ resourceId: _, ...shown }: Violation): ReportedViolation => shown;

/** The machine-readable audit result; the Markdown report renders the same object. */
export interface AuditReport {
  format: typeof REPORT_FORMAT;
  tool: { name: 'rollcall'; version: string };
  generatedAt: string;
  account: { id: string; alias?: string };
  caller: string;
  inventory: {
    collectedAt: string;
    /** Regions scanned; `global` stands for IAM. */
    regions: string[];
    /** Regions not scanned, and why. */
    skippedRegions: SkippedRegion[];
    resources: number;
    apiCalls: number;
    apiCallsByOperation: Record<string, number>;
  };
  baseline: string;
  rules: number;
  summary: Summary;
  /** With --previous, each carries its `drift`: new or known (report/drift.ts). */
  violations: (ReportedViolation & { drift?: DriftStatus })[];
  gaps: Inventory['gaps'];
  notes: string[];
  warnings: string[];
  /** With --previous: what it was compared with, and the counts. */
  drift?: DriftSummary;
  /** With --previous: the previous run's failing violations this run checked and did not find. */
  resolved?: GoneViolation[];
  /** With --previous: the previous run's failing violations this run did not find but could not rule out (a gap, a region not scanned, a rule not run). */
  unverified?: UnverifiedViolation[];
}

export interface BuildReportInput {
  version: string;
  now: Date;
  inventory: Inventory;
  baselineFile: string;
  alias?: string;
  ruleCount: number;
  violations: Violation[];
  warnings: string[];
}

export function buildReport(i: BuildReportInput): AuditReport {
  return {
    format: REPORT_FORMAT,
    tool: { name: 'rollcall', version: i.version },
    generatedAt: i.now.toISOString(),
    account: { id: i.inventory.accountId, ...(i.alias ? { alias: i.alias } : {}) },
    caller: i.inventory.caller.arn,
    inventory: {
      collectedAt: i.inventory.collectedAt,
      regions: i.inventory.regions,
      skippedRegions: i.inventory.skippedRegions ?? [],
      resources: i.inventory.resources.length,
      apiCalls: Object.values(i.inventory.apiCalls).reduce((a, b) => a + b, 0),
      apiCallsByOperation: i.inventory.apiCalls,
    },
    baseline: i.baselineFile,
    rules: i.ruleCount,
    summary: summarize(i.violations),
    violations: i.violations.map(reported),
    gaps: i.inventory.gaps,
    notes: i.inventory.notes,
    warnings: i.warnings,
  };
}
