/**
 * What every audit does with an inventory once it has one, whether `audit`
 * (one account, live or saved: inputs.ts) or each account of an org run
 * (org/account-audit.ts): the one function both call, so the two cannot drift.
 * A baseline that declares AWS Config's resources with Config not read leaves
 * a gap (its rules are unknown, never passed); the timeline, when there is
 * one, is joined and its evidence attached; the rules that cannot be judged
 * are left out and said so in the notes; the warnings of evaluation are logged.
 */
import { configRead, withConfigUnread } from '../collect/config-read.js';
import { concluded, evaluate } from '../engine/evaluate.js';
import type { InventoryHeader, InventoryRead } from '../load/inventory-workers.js';
import type { Counted } from '../report/audit-report.js';
import type { Baseline } from '../model/baseline.js';
import type { History } from '../model/history.js';
import type { Inventory } from '../model/inventory.js';
import type { Rule } from '../model/rule.js';
import type { Violation } from '../model/violation.js';
import { withEvidence } from '../timeline/evidence.js';
import { joinTimeline, notJudgedNote, rulesJudged, unattributedRulesNote, type TimelineRead } from './timeline-input.js';

export interface InventoryEvaluationInput {
  inventory: Inventory;
  baseline: Baseline;
  rules: readonly Rule[];
  now: Date;
  /** The CloudTrail history read for it (--timeline), if any. */
  timeline?: TimelineRead;
  log: (message: string) => void;
  /** Without a timeline: how this command would get one, for the note on the rules not judged (default: `audit`'s --timeline). */
  timelineHint?: string;
}

export interface InventoryEvaluation {
  /** The inventory with its gaps as evaluated (a Config not read is one). */
  inventory: Inventory;
  violations: Violation[];
  /** Expired or stale exceptions. Already logged. */
  warnings: string[];
  history?: History;
  /** What the timeline (or its absence) means for this run, for the report's notes. */
  notes: string[];
  /**
   * Set when the inventory was judged as it was read, by worker threads
   * (evaluateSavedInventory): how many resources it held, and where. Its
   * `inventory.resources` then holds only the types judged whole
   * (DECLARED_FROM_RESOURCES) and, when asked for, the resources that failed
   * a rule; every other resource was judged and let go.
   */
  counted?: Counted;
}

export function evaluateInventory(i: InventoryEvaluationInput): InventoryEvaluation {
  // A baseline that declares AWS Config's resources, with Config not read: its rules are unknown, never passed.
  const inventory = withConfigUnread(i.inventory, i.baseline);
  const history = i.timeline ? joinTimeline(i.timeline, inventory, i.baseline, i.now) : undefined;
  // Without an exposed key to follow, the rules that read who the attacker is are not judged (as without a timeline).
  const evaluated = evaluate({ inventory, baseline: i.baseline, rules: rulesJudged(i.rules, history), now: i.now, ...(history ? { history } : {}) });
  const violations = history ? withEvidence(evaluated.violations, history) : evaluated.violations;
  const { warnings } = evaluated;
  for (const w of warnings) i.log(`warning: ${w}`);
  const notes = (history ? [...history.notes, unattributedRulesNote(i.rules, history)] : [notJudgedNote(i.rules, i.timelineHint)]).filter((n): n is string => n !== undefined);
  return { inventory, violations, warnings, ...(history ? { history } : {}), notes };
}

export interface SavedInventoryInput {
  /** The read under way (its header read, its first chunks handed out, while the baseline was read). */
  read: InventoryRead;
  header: InventoryHeader;
  baseline: Baseline;
  rules: readonly Rule[];
  now: Date;
  log: (message: string) => void;
  /** Whether the header is one this run audits (not another account's): if not, the inventory is read whole, whose reader says why. */
  acceptHeader: (header: InventoryHeader) => boolean;
  timelineHint?: string;
}

/**
 * A saved JSON Lines inventory judged while it is read, by worker
 * threads (load/inventory-workers.ts), without a timeline: what
 * evaluateInventory does, without ever holding the inventory. Undefined when
 * the header cannot tell what the evaluation needs to know before the
 * resources (a baseline that declares AWS Config's resources, with the
 * header not saying whether Config was read): the caller reads it whole.
 */
export async function evaluateSavedInventory(i: SavedInventoryInput): Promise<InventoryEvaluation | undefined> {
  const { header } = i;
  if (!i.acceptHeader(header)) return undefined;
  const empty: Inventory = { ...header, resources: [] };
  const declaresConfig = (i.baseline.resources?.['config.resource'] ?? []).length > 0;
  if (declaresConfig && !configRead(empty)) return undefined;
  const withGaps = withConfigUnread(empty, i.baseline);
  const read = await i.read.finish({ accountId: header.accountId, gaps: withGaps.gaps, baseline: i.baseline, rules: rulesJudged(i.rules, undefined), now: i.now });
  const { violations, warnings } = concluded(read.evaluation.finish(), i.baseline, i.now);
  for (const w of warnings) i.log(`warning: ${w}`);
  const notes = [notJudgedNote(i.rules, i.timelineHint)].filter((n): n is string => n !== undefined);
  return {
    inventory: { ...withGaps, resources: [...read.evaluation.heldResources(), ...read.failing] },
    violations,
    warnings,
    notes,
    counted: { resources: read.evaluation.resourceCount, found: read.evaluation.foundCounts() },
  };
}
