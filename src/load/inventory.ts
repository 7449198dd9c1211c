import { statSync } from 'node:fs';
import { InputError, type InputProblem } from '../errors.js';
import type { Inventory } from '../model/inventory.js';
import { inventoryEncoding, readInventoryLines, type ReadLinesOptions } from './inventory-lines.js';
import { schemaProblems } from './schemas.js';
import { loadChecked, type DataFile } from './yaml-file.js';

/** Reads a saved inventory (JSON, or YAML) and checks it against the inventory schema. */
export function loadInventory(file: string): Inventory {
  return loadChecked<Inventory>(file, checkInventory);
}

/**
 * Reads a saved inventory in any of its encodings, told by content: JSON Lines
 * (gzipped or not) as a stream, checked line by line; JSON or YAML whole, as
 * loadInventory does.
 */
export async function readInventory(file: string, options: ReadLinesOptions = {}): Promise<Inventory> {
  if (inventoryEncoding(file) !== 'json') return readInventoryLines(file, options);
  try {
    return loadInventory(file);
  } catch (e) {
    // A JSON text is read whole, and Node's strings stop at 512 MiB: say what reads a larger one.
    const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    const tooLong = e instanceof InputError && size > MAX_JSON_CHARS && e.problems.some((p) => /string longer than|Invalid string length/.test(p.message));
    if (!tooLong) throw e;
    throw InputError.at(
      { file },
      `${(size / 2 ** 20).toFixed(0)} MiB of JSON: more than Node reads as one text (512 MiB). Collect it again as JSON Lines (collect -o inventory.jsonl, or .jsonl.gz), which is read as a stream, line by line`,
    );
  }
}

/** The longest string V8 makes (2^29 - 24 characters): a larger JSON inventory cannot be read whole. */
export const MAX_JSON_CHARS = 2 ** 29 - 24;

export function checkInventory(file: DataFile): InputProblem[] {
  return schemaProblems('inventory', file);
}
