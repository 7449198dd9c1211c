/**
 * Command-line values checked before anything else happens. This module loads
 * neither the AWS SDK nor the engine, so that `--help`, `validate` and `show`
 * start at once; the commands that need AWS load it when they run.
 */
import { DEFAULT_CONCURRENCY } from '../collect/concurrency.js';
import { InputError } from '../errors.js';

/** Commander's accumulator for repeatable options: `--done a --done b` -> [a, b]. */
export const addValue = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Commander's accumulator for --regions: `--regions a,b --regions c` -> [a, b, c]. */
export function addRegions(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((r) => r.trim()).filter((r) => r !== '')];
}

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function parseRegions(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const bad = values.filter((r) => !REGION_NAME.test(r));
  if (bad.length > 0) throw InputError.at({ file: '--regions' }, `not a region name: ${bad.map((r) => `'${r}'`).join(', ')} (expected names like us-east-1, eu-west-1)`);
  if (values.length === 0) throw InputError.at({ file: '--regions' }, 'names no region');
  return values;
}

export const MAX_CONCURRENCY = 64;

export function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > MAX_CONCURRENCY) {
    throw InputError.at({ file: '--concurrency' }, `must be a whole number from 1 to ${MAX_CONCURRENCY} (got '${value}')`);
  }
  return n;
}

