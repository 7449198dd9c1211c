/**
 * The spend since the incident began, judged against the baseline: pure, from
 * the inventory's spend (collect/spend.ts) and the baseline. A cost is
 * flagged when it is positive and lies in a region outside `regions.allowed`,
 * or on a service the baseline does not expect (model/spend-services.ts).
 * Cost Explorer's region values that name no region (`global` for CloudFront,
 * Route 53 and the like, `NoRegion` for tax, support and marketplace charges,
 * or none at all) are never flagged for their region: they say nothing of
 * where something ran. Flags are evidence beside the resources found: no rule
 * reads them and nothing is planned from them.
 */
import { globToRegExp, isGlob } from '../engine/glob.js';
import type { Baseline } from '../model/baseline.js';
import type { Inventory } from '../model/inventory.js';
import { expectedServices } from '../model/spend-services.js';
import type { SpendCost, SpendError } from '../model/spend.js';

export type SpendFlag = 'region-not-allowed' | 'service-not-expected';

export interface SpendLine extends SpendCost {
  /** Why this cost is suspect; empty when it is not. */
  flags: SpendFlag[];
}

export interface Money {
  amount: number;
  unit: string;
}

export interface SpendEvidence {
  /** `read`: the costs are below; `unreadable`: Cost Explorer failed (`error`); `not-collected`: the inventory was collected without them (a saved one). */
  status: 'read' | 'unreadable' | 'not-collected';
  /** `incident.since`, as the spend was read for. */
  since: string;
  /** The window read, whole UTC days: start included, end excluded (YYYY-MM-DD). */
  start?: string;
  end?: string;
  metric?: string;
  /** Cost Explorer marked some of it as estimated (the current month). */
  estimated?: boolean;
  /** The sum of every cost, by currency. */
  total: Money[];
  /** The sum of the flagged costs, by currency. */
  flagged: Money[];
  /** Flagged costs first (largest first), then the others (largest first). */
  lines: SpendLine[];
  /** `regions.allowed`; absent when the baseline does not limit regions (then no region is flagged). */
  allowedRegions?: string[];
  /** The services not flagged (globs kept as written). */
  expectedServices: string[];
  error?: SpendError;
}

/** A region name (`us-east-1`, `us-gov-west-1`), not one of Cost Explorer's other values (`global`, `NoRegion`). */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** `0.1 + 0.2`: sums shown as a bill would, without binary noise. */
const round = (n: number): number => Math.round(n * 1e8) / 1e8;

function sums(lines: readonly SpendCost[]): Money[] {
  const byUnit = new Map<string, number>();
  for (const l of lines) byUnit.set(l.unit, (byUnit.get(l.unit) ?? 0) + l.amount);
  return [...byUnit].map(([unit, amount]) => ({ amount: round(amount), unit })).sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
}

/** Whether `name` is one of `patterns` (exact, or a glob with `*`). */
function matcher(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set(patterns.filter((p) => !isGlob(p)));
  const globs = patterns.filter(isGlob).map(globToRegExp);
  return (name) => exact.has(name) || globs.some((g) => g.test(name));
}

/** The flags of one cost: only a positive amount is suspect (a credit or a free-tier zero is not). */
export function spendFlags(cost: SpendCost, allowed: readonly string[] | undefined, expected: (service: string) => boolean): SpendFlag[] {
  if (!(cost.amount > 0)) return [];
  const flags: SpendFlag[] = [];
  if (allowed && REGION_NAME.test(cost.region) && !allowed.includes(cost.region)) flags.push('region-not-allowed');
  if (!expected(cost.service)) flags.push('service-not-expected');
  return flags;
}

const byAmount = (a: SpendLine, b: SpendLine) => b.amount - a.amount || (a.region < b.region ? -1 : a.region > b.region ? 1 : a.service < b.service ? -1 : a.service > b.service ? 1 : 0);

/** The report's spend evidence; undefined when the baseline sets no `incident.since` (there is no window to read). */
export function spendEvidence(inventory: Inventory, baseline: Baseline): SpendEvidence | undefined {
  const since = baseline.incident?.since;
  if (since === undefined) return undefined;
  const allowedRegions = baseline.regions?.allowed;
  const services = expectedServices(baseline);
  const judged = { ...(allowedRegions ? { allowedRegions } : {}), expectedServices: services };
  const spend = inventory.spend;
  if (!spend) return { status: 'not-collected', since, total: [], flagged: [], lines: [], ...judged };
  const window = { since: spend.since, start: spend.start, end: spend.end, metric: spend.metric, ...(spend.estimated ? { estimated: true } : {}) };
  if (spend.error || !spend.costs) {
    return { status: 'unreadable', ...window, total: [], flagged: [], lines: [], ...judged, ...(spend.error ? { error: spend.error } : {}) };
  }
  const expected = matcher(services);
  const lines = spend.costs.map((c): SpendLine => ({ ...c, flags: spendFlags(c, allowedRegions, expected) }));
  const flaggedLines = lines.filter((l) => l.flags.length > 0).sort(byAmount);
  const others = lines.filter((l) => l.flags.length === 0).sort(byAmount);
  return { status: 'read', ...window, total: sums(lines), flagged: sums(flaggedLines), lines: [...flaggedLines, ...others], ...judged };
}
