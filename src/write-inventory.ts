import { createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { InputError } from './errors.js';
import { inventoryLines } from './load/inventory-lines.js';
import type { Inventory } from './model/inventory.js';

/** How `collect -o FILE` writes, by FILE's name: `.jsonl` JSON Lines, `.jsonl.gz` (or `.gz`) gzipped JSON Lines, anything else JSON. */
export type InventoryOutput = 'json' | 'jsonl' | 'jsonl.gz';

export function inventoryOutput(file: string): InventoryOutput {
  const name = file.toLowerCase();
  if (name.endsWith('.gz')) return 'jsonl.gz';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  return 'json';
}

/**
 * The inventory as `JSON.stringify(inventory, null, 2)` writes it, plus a
 * newline, in pieces: one per resource, so an inventory whose text is longer
 * than a string can be (512 MiB) is still written.
 */
export function* inventoryJsonChunks(inventory: Inventory): Generator<string> {
  const members = Object.entries(inventory).filter(([, v]) => v !== undefined);
  yield '{';
  let first = true;
  for (const [key, value] of members) {
    yield `${first ? '' : ','}\n  ${JSON.stringify(key)}: `;
    first = false;
    if (key === 'resources' && Array.isArray(value) && value.length > 0) {
      yield '[';
      for (let i = 0; i < value.length; i++) yield `${i === 0 ? '' : ','}\n    ${JSON.stringify(value[i], null, 2).replace(/\n/g, '\n    ')}`;
      yield '\n  ]';
    } else {
      yield JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
    }
  }
  yield first ? '}\n' : '\n}\n';
}

const BATCH = 1 << 20;

async function writeAll(out: Writable, chunks: Iterable<string>): Promise<void> {
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= BATCH) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  if (buffer !== '' && !out.write(buffer)) await once(out, 'drain');
}

/**
 * Writes a saved inventory whole or not at all (a temporary file beside FILE,
 * renamed over it once complete), encoded as its name says, in pieces:
 * nothing holds the whole text.
 */
export async function writeInventoryFile(file: string, inventory: Inventory): Promise<InventoryOutput> {
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw InputError.at({ file }, 'is a directory: name a file to write');
  const encoding = inventoryOutput(file);
  const dir = path.dirname(path.resolve(file));
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const out = createWriteStream(tmp, { mode: 0o644 });
  const gzip = encoding === 'jsonl.gz' ? createGzip() : undefined;
  if (gzip) gzip.pipe(out);
  const sink: Writable = gzip ?? out;
  try {
    const failed = new Promise<never>((_, reject) => {
      out.once('error', reject);
      gzip?.once('error', reject);
    });
    failed.catch(() => undefined); // raced below; an error after the race is the catch's

    const closed = once(out, 'close');
    await Promise.race([writeAll(sink, encoding === 'json' ? inventoryJsonChunks(inventory) : inventoryLines(inventory)), failed]);
    sink.end();
    await Promise.race([closed, failed]);
    renameSync(tmp, file);
  } catch (err) {
    gzip?.destroy();
    out.destroy();
    rmSync(tmp, { force: true });
    throw err;
  }
  return encoding;
}
