import type { Inventory, SkippedRegion } from '../model/inventory.js';
import { isTerminal, type ResourceType } from '../model/resource.js';
import { RESOURCE_TYPE_NAMES } from '../model/resource-types/index.js';
import type { ReportedViolation, Violation } from '../model/violation.js';
import type { DriftStatus, DriftSummary, GoneViolation, UnverifiedViolation } from './drift.js';
import type { SpendEvidence } from './spend.js';
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
    /** Live resources by region and type (a terminated instance no longer counts); regions in scan order, types in registry order. */
    found: FoundCount[];
  };
  baseline: string;
  rules: number;
  summary: Summary;
  /** With --previous, each carries its `drift`: new or known (report/drift.ts). */
  violations: (ReportedViolation & { drift?: DriftStatus })[];
  gaps: Inventory['gaps'];
  notes: string[];
  warnings: string[];
  /** With incident.since in the baseline: the spend since then, by region and service, with what the baseline does not expect flagged (report/spend.ts). */
  spend?: SpendEvidence;
  /** With --previous: what it was compared with, and the counts. */
  drift?: DriftSummary;
  /** With --previous: the previous run's failing violations this run checked and did not find. */
  resolved?: GoneViolation[];
  /** With --previous: the previous run's failing violations this run did not find but could not rule out (a gap, a region not scanned, a rule not run). */
  unverified?: UnverifiedViolation[];
}

export interface FoundCount {
  region: string;
  type: ResourceType;
  count: number;
}

/** What an evaluation counted of an inventory it did not keep (commands/evaluate-inventory.ts): its resources, and the live ones per region and type. */
export interface Counted {
  resources: number;
  found: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** How many live resources of each type each region holds: the report's region-by-type table. */
export function foundCounts(inventory: Inventory, counted?: Counted): FoundCount[] {
  const counts = new Map<string, Map<string, number>>(inventory.regions.map((r) => [r, new Map()]));
  if (counted) {
    for (const [region, byType] of counted.found) counts.set(region, new Map(byType));
  } else {
    for (const r of inventory.resources) {
      if (isTerminal(r)) continue;
      let byType = counts.get(r.region);
      if (!byType) counts.set(r.region, (byType = new Map()));
      byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
    }
  }
  const out: FoundCount[] = [];
  // The inventory's regions in its order, then any other region resources name, sorted (not in the order they were met: workers meet them in any order).
  const listed = new Set(inventory.regions);
  const ordered = [...listed, ...[...counts.keys()].filter((r) => !listed.has(r)).sort()];
  for (const region of ordered) {
    const byType = counts.get(region)!;
    for (const type of RESOURCE_TYPE_NAMES) {
      const count = byType.get(type);
      if (count !== undefined) out.push({ region, type, count });
    }
  }
  return out;
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
  /** From spendEvidence (report/spend.ts), when the baseline sets incident.since. */
  spend?: SpendEvidence;
  /** Notes of this run beside the inventory's: what the CloudTrail timeline (or its absence) means. */
  notes?: string[];
  /** Counted while it was judged, for an inventory not kept whole (commands/evaluate-inventory.ts). */
  counted?: Counted;
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
      resources: i.counted ? i.counted.resources : i.inventory.resources.length,
      apiCalls: Object.values(i.inventory.apiCalls).reduce((a, b) => a + b, 0),
      apiCallsByOperation: i.inventory.apiCalls,
      found: foundCounts(i.inventory, i.counted),
    },
    baseline: i.baselineFile,
    rules: i.ruleCount,
    summary: summarize(i.violations),
    violations: i.violations.map(reported),
    gaps: i.inventory.gaps,
    notes: [...i.inventory.notes, ...(i.notes ?? [])],
    warnings: i.warnings,
    ...(i.spend ? { spend: i.spend } : {}),
  };
}
