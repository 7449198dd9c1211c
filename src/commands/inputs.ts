import { callerIdentity } from '../answers/caller-identity.js';
import { collectInventory } from '../collect/collect.js';
import type { SpendContext } from '../collect/spend.js';
import { evaluate } from '../engine/evaluate.js';
import { InputError, type InputProblem } from '../errors.js';
import { loadLocatedBaseline } from '../load/baseline.js';
import { loadInventory } from '../load/inventory.js';
import { builtinRulesDir, loadRules } from '../load/rules.js';
import type { Baseline } from '../model/baseline.js';
import type { Inventory } from '../model/inventory.js';
import type { Rule } from '../model/rule.js';
import type { SourceLines } from '../model/source-lines.js';
import type { Violation } from '../model/violation.js';
import { makeLog, parseCollection, parseNow, withCollection, type CollectionOptions } from './options.js';

/** What `audit` and `plan` both read: a baseline, rules, and the account live or a saved inventory. */
export interface InputOptions extends CollectionOptions {
  baseline: string;
  inventory?: string;
  rules?: string[];
  now?: string;
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
}

/** The spend window an audit reads (each read costs money on AWS): from incident.since to now, or to incident.until when that came first. */
function spendContext(baseline: Baseline, now: Date): SpendContext | undefined {
  const { since, until } = baseline.incident ?? {};
  if (since === undefined) return undefined;
  const end = until !== undefined && Date.parse(until) < now.getTime() ? new Date(until) : now;
  return { since, until: end };
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
export async function evaluateInputs(o: InputOptions, beforeCollecting?: (baseline: Baseline) => void, reads: { spend?: boolean } = {}): Promise<Evaluated> {
  const now = parseNow(o.now);
  const collection = parseCollection(o);
  const log = makeLog(o);
  const { baseline, baselineLines, rules } = loadBaselineAndRules(o);
  // A command's own check of its inputs against the baseline (audit: --previous is for the same account).
  beforeCollecting?.(baseline);

  let inventory: Inventory;
  if (o.inventory) {
    inventory = loadInventory(o.inventory);
    if (inventory.accountId !== baseline.account.id) throw accountMismatch(baseline, o.baseline, inventory.accountId, `the inventory ${o.inventory}`);
  } else {
    inventory = await withCollection(o, collection, now, async (clients, options) => {
      const caller = await callerIdentity(clients);
      if (caller.account !== baseline.account.id) throw accountMismatch(baseline, o.baseline, caller.account, 'the credentials in use');
      const spend = reads.spend ? spendContext(baseline, now) : undefined;
      return collectInventory(clients, { ...options, ...(spend ? { spend } : {}) }, caller);
    });
  }

  const { violations, warnings } = evaluate({ inventory, baseline, rules, now });
  for (const w of warnings) log(`warning: ${w}`);
  return { now, baseline, baselineLines, rules, inventory, violations, warnings, log };
}
