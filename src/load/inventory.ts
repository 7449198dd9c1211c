import { InputError, type InputProblem } from '../errors.js';
import type { Inventory } from '../model/inventory.js';
import { schemaProblems } from './schemas.js';
import { readDataFile, type DataFile } from './yaml-file.js';

/** Reads a saved inventory (JSON, or YAML) and checks it against the inventory schema. */
export function loadInventory(file: string): Inventory {
  const data = readDataFile(file);
  const problems = checkInventory(data);
  if (problems.length > 0) throw new InputError(problems);
  return data.data as Inventory;
}

export function checkInventory(file: DataFile): InputProblem[] {
  return schemaProblems('inventory', file);
}
