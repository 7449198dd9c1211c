import { collectInventory, callerIdentity } from '../collect/collect.js';
import { evaluate } from '../engine/evaluate.js';
import { InputError } from '../errors.js';
import { loadBaseline } from '../load/baseline.js';
import { loadInventory } from '../load/inventory.js';
import { builtinRulesDir, loadRules } from '../load/rules.js';
import type { Baseline } from '../model/baseline.js';
import type { Inventory } from '../model/inventory.js';
import { buildReport } from '../report/audit-report.js';
import { renderJson } from '../report/json.js';
import { renderMarkdown } from '../report/markdown.js';
import { auditExitCode } from '../report/summary.js';
import { VERSION } from '../version.js';
import { writeFileAtomic } from '../write-file.js';
import { makeLog, parseCollection, parseNow, parseSeverity, withCollection, type CollectionOptions } from './options.js';

export interface AuditOptions extends CollectionOptions {
  baseline: string;
  inventory?: string;
  rules?: string[];
  format: string;
  out?: string;
  failOn: string;
  now?: string;
}

function accountMismatch(baseline: Baseline, baselineFile: string, account: string, source: string): InputError {
  return InputError.at(
    { file: baselineFile, path: '/account/id' },
    `the baseline is for account ${baseline.account.id}, but ${source} is for account ${account}: refusing to audit one account against another's baseline`,
  );
}

/** Loads and checks every input before any AWS call, so bad input fails fast and writes nothing. */
export async function runAudit(o: AuditOptions): Promise<number> {
  const now = parseNow(o.now);
  const failOn = parseSeverity(o.failOn);
  if (o.format !== 'md' && o.format !== 'json') throw InputError.at({ file: '--format' }, `must be md or json (got '${o.format}')`);
  const collection = parseCollection(o);
  const log = makeLog(o);
  const baseline = loadBaseline(o.baseline);
  const rules = loadRules([builtinRulesDir(), ...(o.rules ?? [])]);

  let inventory: Inventory;
  if (o.inventory) {
    inventory = loadInventory(o.inventory);
    if (inventory.accountId !== baseline.account.id) throw accountMismatch(baseline, o.baseline, inventory.accountId, `the inventory ${o.inventory}`);
  } else {
    inventory = await withCollection(o, collection, now, async (clients, options) => {
      const caller = await callerIdentity(clients);
      if (caller.account !== baseline.account.id) throw accountMismatch(baseline, o.baseline, caller.account, 'the credentials in use');
      return collectInventory(clients, options, caller);
    });
  }

  const { violations, warnings } = evaluate({ inventory, baseline, rules, now });
  for (const w of warnings) log(`warning: ${w}`);
  const report = buildReport({
    version: VERSION,
    now,
    inventory,
    baselineFile: o.baseline,
    ...(baseline.account.alias ? { alias: baseline.account.alias } : {}),
    ruleCount: rules.length,
    violations,
    warnings,
  });
  const text = o.format === 'json' ? renderJson(report) : renderMarkdown(report);
  if (o.out) {
    writeFileAtomic(o.out, text);
    log(`report written to ${o.out}`);
  } else {
    process.stdout.write(text);
  }
  return auditExitCode(violations, failOn);
}
