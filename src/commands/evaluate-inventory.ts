/**
 * What every audit does with an inventory once it has one, whether `audit`
 * (one account, live or saved: inputs.ts) or each account of an org run
 * (org/account-audit.ts): the one function both call, so the two cannot drift.
 * A baseline that declares AWS Config's resources with Config not read leaves
 * a gap (its rules are unknown, never passed); the timeline, when there is
 * one, is joined and its evidence attached; the rules that cannot be judged
 * are left out and said so in the notes; the warnings of evaluation are logged.
 */
import { withConfigUnread } from '../collect/config.js';
import { evaluate } from '../engine/evaluate.js';
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
