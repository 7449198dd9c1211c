import { collectInventory } from '../collect/collect.js';
import { InputError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { writeFileAtomic } from '../write-file.js';
import { makeLog, parseCollection, parseNow, withCollection, type CollectionOptions } from './options.js';
import { checkOutputFile } from './arguments.js';

export interface CollectCommandOptions extends CollectionOptions {
  out?: string;
  /** --spend-since: also read the spend since then from Cost Explorer (collect/spend.ts), for a later `audit --inventory`. */
  spendSince?: string;
}

/** --spend-since, as --now is read (ISO-8601, a date-time with its zone), its errors naming this option. */
function parseSpendSince(value: string): string {
  try {
    return parseNow(value).toISOString();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.problems.map((p) => ({ ...p, file: '--spend-since' })));
    throw e;
  }
}

export async function runCollect(o: CollectCommandOptions): Promise<ExitCode> {
  const log = makeLog(o);
  if (o.out) checkOutputFile('--out', o.out);
  const collection = parseCollection(o);
  const since = o.spendSince !== undefined ? parseSpendSince(o.spendSince) : undefined;
  const now = parseNow(undefined);
  const { inventory, calls } = await withCollection(o, collection, now, async (clients, options) => ({
    inventory: await collectInventory(clients, { ...options, ...(since !== undefined ? { spend: { since, until: now } } : {}) }),
    calls: clients.counter.total,
  }));
  const text = JSON.stringify(inventory, null, 2) + '\n';
  if (o.out) {
    writeFileAtomic(o.out, text);
    log(`inventory written to ${o.out}: ${inventory.resources.length} resources, ${inventory.gaps.length} gaps, ${calls} API calls`);
  } else {
    process.stdout.write(text);
  }
  return inventory.gaps.length > 0 ? EXIT.incomplete : EXIT.clean;
}
