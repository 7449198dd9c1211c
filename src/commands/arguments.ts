/**
 * Command-line values checked before anything else happens. This module loads
 * neither the AWS SDK nor the engine, so that `--help`, `validate` and `show`
 * start at once; the commands that need AWS load it when they run.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { COLLECT_CONCURRENCY } from '../collect/concurrency.js';
import { InputError } from '../errors.js';
import { unknownRegion } from '../load/aws-regions.js';

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
  const unknown = values.map(unknownRegion).filter((p): p is string => p !== undefined);
  if (unknown.length > 0) throw InputError.at({ file: '--regions' }, unknown.join('; '));
  return values;
}

export const MAX_CONCURRENCY = 64;

export function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return COLLECT_CONCURRENCY;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > MAX_CONCURRENCY) {
    throw InputError.at({ file: '--concurrency' }, `must be a whole number from 1 to ${MAX_CONCURRENCY} (got '${value}')`);
  }
  return n;
}

/** The most worker threads `--jobs` starts: past the cores, threads only wait for each other. */
export const MAX_JOBS = 64;

/** --jobs: worker threads reading a saved JSON Lines inventory; undefined when not given (the size of the file and the cores decide). */
export function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > MAX_JOBS) {
    throw InputError.at({ file: '--jobs' }, `must be a whole number from 1 to ${MAX_JOBS} (got '${value}')`);
  }
  return n;
}

/**
 * An output file (`-o`), checked before anything is collected or written: not
 * a directory, and in a folder that exists or can be made (its nearest existing
 * ancestor is a folder we may write to). The write itself stays whole-or-nothing.
 */
export function checkOutputFile(option: string, file: string): void {
  const bad = (why: string) => InputError.at({ file: option }, `'${file}' ${why}`);
  const stats = statOrNothing(file);
  if (stats?.isDirectory()) throw bad('is a directory: name a file to write, e.g. ' + `${file.replace(/\/+$/, '')}/out`);
  if (file.endsWith('/')) throw bad('ends with /: name a file to write');
  let dir = dirname(resolve(file));
  for (;;) {
    const d = statOrNothing(dir);
    if (d) {
      if (!d.isDirectory()) throw bad(`cannot be written: ${dir} is a file, not a folder`);
      break;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw bad(`cannot be written: no permission to write in ${dir}`);
  }
}

/** What is at a path, or undefined when nothing is (or a file stands where a folder should: the caller finds it going up). */
function statOrNothing(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
