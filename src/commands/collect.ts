import { collectInventory } from '../collect/collect.js';
import { InputError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { statSync } from 'node:fs';
import { MAX_JSON_CHARS } from '../load/inventory.js';
import { writeChunks } from '../report/output.js';
import { inventoryJsonChunks, writeInventoryFile } from '../write-inventory.js';
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
  if (o.out) {
    // By its name: JSON Lines (.jsonl), gzipped (.jsonl.gz), or JSON; in pieces, so any size is written.
    const encoding = await writeInventoryFile(o.out, inventory);
    log(`inventory written to ${o.out}${encoding === 'json' ? '' : ` (${encoding === 'jsonl' ? 'JSON Lines' : 'gzipped JSON Lines'})`}: ${inventory.resources.length} resources, ${inventory.gaps.length} gaps, ${calls} API calls`);
    if (encoding === 'json' && statSync(o.out).size > MAX_JSON_CHARS) log(`warning: ${o.out} is more JSON than audit can read as one text (512 MiB): write it as JSON Lines instead (-o inventory.jsonl, or .jsonl.gz)`);
  } else {
    await writeChunks(process.stdout, inventoryJsonChunks(inventory));
  }
  return inventory.gaps.length > 0 ? EXIT.incomplete : EXIT.clean;
}
