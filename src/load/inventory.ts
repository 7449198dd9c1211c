import type { InputProblem } from '../errors.js';
import type { Inventory } from '../model/inventory.js';
import { schemaProblems } from './schemas.js';
import { loadChecked, type DataFile } from './yaml-file.js';

/** Reads a saved inventory (JSON, or YAML) and checks it against the inventory schema. */
export function loadInventory(file: string): Inventory {
  return loadChecked<Inventory>(file, checkInventory);
}

export function checkInventory(file: DataFile): InputProblem[] {
  return schemaProblems('inventory', file);
}
