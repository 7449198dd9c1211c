import { InputError, type InputProblem } from '../errors.js';
import { loadLocatedBaseline } from '../load/baseline.js';
import { readInventory } from '../load/inventory.js';
import { builtinRulesDir, loadRules } from '../load/rules.js';
import type { Baseline } from '../model/baseline.js';
import type { Inventory } from '../model/inventory.js';
import type { Rule } from '../model/rule.js';
import type { SourceLines } from '../model/source-lines.js';
import type { Violation } from '../model/violation.js';
import type { History } from '../model/history.js';
import type { BegunInventory } from './saved-inventory.js';
import type { Counted } from '../report/audit-report.js';
import { evaluateInventory, evaluateSavedInventory } from './evaluate-inventory.js';
import { liveWindow, parseTimelineSpec, partitionOf, readTimelineFile, type TimelineRead } from './timeline-input.js';
import { makeLog, parseCollection, parseNow, withCollection, type CollectionOptions } from './options.js';

/** What `audit` and `plan` both read: a baseline, rules, and the account live or a saved inventory. */
export interface InputOptions extends CollectionOptions {
  baseline: string;
  inventory?: string;
  rules?: string[];
  now?: string;
  /** `live`, or a file `rollcall timeline --format json` wrote: the CloudTrail history joined to the inventory. */
  timeline?: string;
}

export interface Evaluated {
  now: Date;
  baseline: Baseline;
  /** Where each baseline entry is, read when it was loaded (SARIF points into it). */
  baselineLines: SourceLines;
  rules: Rule[];
  inventory: Inventory;
  violations: Violation[];
  /** From evaluation: expired or stale exceptions. Already logged. */
  warnings: string[];
  log: (message: string) => void;
  /** With --timeline: each resource's CloudTrail history (the violations carry its evidence). */
  history?: History;
  /** What the timeline (or its absence) means for this run, for the report's notes. */
  timelineNotes: string[];
  /**
   * Set when the saved inventory was judged as it was read, by worker threads:
   * how many resources it held, and where. `inventory.resources` then holds
   * only the types judged whole (see evaluate-inventory.ts).
   */
  counted?: Counted;
}


function accountMismatch(baseline: Baseline, baselineFile: string, account: string, source: string): InputError {
  return InputError.at(
    { file: baselineFile, path: '/account/id' },
    `the baseline is for account ${baseline.account.id}, but ${source} is for account ${account}: refusing to audit one account against another's baseline`,
  );
}

/** The baseline and the rules, checked together (exceptions must name a rule in use); every problem of both at once. */
function loadBaselineAndRules(o: InputOptions): { baseline: Baseline; baselineLines: SourceLines; rules: Rule[] } {
  const problems: InputProblem[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
      return undefined;
    }
  };
  const rules = attempt(() => loadRules([builtinRulesDir(), ...(o.rules ?? [])]));
  const from = o.rules?.length ? `the built-in rules and those in ${o.rules.join(', ')}` : 'the built-in rules (add yours with --rules)';
  const located = attempt(() => loadLocatedBaseline(o.baseline, rules ? { ids: new Set(rules.map((r) => r.id)), from } : undefined));
  if (!located || !rules) throw new InputError(problems);
  return { baseline: located.baseline, baselineLines: located.lines, rules };
}

/**
 * Loads and checks every input before any AWS call (bad input fails fast and
 * nothing is written), reads the saved inventory or collects the live account
 * (refusing an account other than the baseline's), and evaluates the rules.
 * `beforeCollecting` checks a command's other inputs against the baseline first.
 */
export async function evaluateInputs(
  o: InputOptions,
  beforeCollecting?: (baseline: Baseline) => void,
  /** `spend`: read Cost Explorer too. */
  reads: { spend?: boolean } = {},
  /** A saved inventory already being read by worker threads (saved-inventory.ts; audit): its header read, its first lines handed out. */
  begun?: BegunInventory,
): Promise<Evaluated> {
  const now = parseNow(o.now);

  const collection = parseCollection(o);
  const log = makeLog(o);
  const { baseline, baselineLines, rules } = loadBaselineAndRules(o);
  // A command's own check of its inputs against the baseline (audit: --previous is for the same account).
  beforeCollecting?.(baseline);
  // --timeline: a file is read and checked, a live window needs incident.since, before any AWS call.
  const timeline = parseTimelineSpec(o.timeline);
  const liveTimeline = timeline?.kind === 'live' ? liveWindow(baseline, o.baseline, now) : undefined;
  let read: TimelineRead | undefined = timeline?.kind === 'file' ? readTimelineFile(timeline.file, baseline, o.baseline) : undefined;

  // A read that declined (no usable header, or one this audit does not take) hands the file to the whole-file reader: its workers go first.
  if (begun && !begun.header) await begun.close();
  if (begun?.header) {
    const streamed = await evaluateSavedInventory({
      read: begun.read,
      header: begun.header,
      baseline,
      rules,
      now,
      log,
      // Another account's inventory is read whole, as --jobs 1 reads it, so that the error is the same (bad lines first, then the account).
      acceptHeader: (header) => header.accountId === baseline.account.id,
    });
    if (streamed) {
      const { inventory, violations, warnings, notes: timelineNotes, counted } = streamed;
      return { now, baseline, baselineLines, rules, inventory, violations, warnings, log, timelineNotes, ...(counted ? { counted } : {}) };
    }
    await begun.close();
  }

  // What reaches AWS is loaded only when AWS is reached: an audit of a saved inventory loads no AWS client.
  const live = () => Promise.all([import('../answers/caller-identity.js'), import('../collect/collect.js'), import('../collect/spend.js'), import('./timeline-live.js')]);
  let inventory: Inventory;
  if (o.inventory) {
    inventory = await readInventory(o.inventory);
    if (inventory.accountId !== baseline.account.id) throw accountMismatch(baseline, o.baseline, inventory.accountId, `the inventory ${o.inventory}`);
    if (liveTimeline) {
      const saved = inventory;
      const [{ callerIdentity }, , , { readTimelineLive }] = await live();
      read = await withCollection(o, collection, now, async (clients) => {
        const caller = await callerIdentity(clients);
        if (caller.account !== baseline.account.id) throw accountMismatch(baseline, o.baseline, caller.account, 'the credentials in use');
        return readTimelineLive(clients, caller.account, saved.regions, liveTimeline, now, log, partitionOf({ caller }));
      });
    }
  } else {
    const [{ callerIdentity }, { collectInventory }, { spendContext }, { readTimelineLive }] = await live();
    inventory = await withCollection(o, collection, now, async (clients, options) => {
      const caller = await callerIdentity(clients);
      if (caller.account !== baseline.account.id) throw accountMismatch(baseline, o.baseline, caller.account, 'the credentials in use');
      const spend = reads.spend ? spendContext(baseline, now) : undefined;
      const collected = await collectInventory(clients, { ...options, ...(spend ? { spend } : {}) }, caller);
      if (liveTimeline) read = await readTimelineLive(clients, caller.account, collected.regions, liveTimeline, now, log, partitionOf({ caller }));
      return collected;
    });
  }

  const evaluated = evaluateInventory({ inventory, baseline, rules, now, ...(read ? { timeline: read } : {}), log });
  inventory = evaluated.inventory;
  const { violations, warnings, history, notes: timelineNotes } = evaluated;
  return { now, baseline, baselineLines, rules, inventory, violations, warnings, log, ...(history ? { history } : {}), timelineNotes };
}
