import type { InputProblem } from '../errors.js';
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
  return inventoryEncoding(file) === 'json' ? loadInventory(file) : readInventoryLines(file, options);
}

export function checkInventory(file: DataFile): InputProblem[] {
  return schemaProblems('inventory', file);
}
