import { collectInventory } from '../collect/collect.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { writeFileAtomic } from '../write-file.js';
import { makeLog, parseCollection, parseNow, withCollection, type CollectionOptions } from './options.js';
import { checkOutputFile } from './arguments.js';

export interface CollectCommandOptions extends CollectionOptions {
  out?: string;
}

export async function runCollect(o: CollectCommandOptions): Promise<ExitCode> {
  const log = makeLog(o);
  if (o.out) checkOutputFile('--out', o.out);
  const collection = parseCollection(o);
  const { inventory, calls } = await withCollection(o, collection, parseNow(undefined), async (clients, options) => ({
    inventory: await collectInventory(clients, options),
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
