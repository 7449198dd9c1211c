import { collectInventory } from '../collect/collect.js';
import { writeFileAtomic } from '../write-file.js';
import { makeClients, makeLog, parseNow, type GlobalOptions } from './options.js';

export interface CollectCommandOptions extends GlobalOptions {
  out?: string;
}

export async function runCollect(o: CollectCommandOptions): Promise<number> {
  const log = makeLog(o);
  const clients = makeClients(o);
  try {
    const inventory = await collectInventory(clients, { now: parseNow(undefined), log });
    const text = JSON.stringify(inventory, null, 2) + '\n';
    if (o.out) {
      writeFileAtomic(o.out, text);
      log(`inventory written to ${o.out}: ${inventory.resources.length} resources, ${inventory.gaps.length} gaps, ${clients.counter.total} API calls`);
    } else {
      process.stdout.write(text);
    }
    return inventory.gaps.length > 0 ? 4 : 0;
  } finally {
    clients.destroy();
  }
}
