/**
 * A saved JSON Lines inventory read by worker threads (load/inventory-workers.ts),
 * begun as early as an audit can: before the command loads its other modules
 * (the AWS SDK among them) and before it reads the baseline and the rules,
 * the workers start, the header is read and the first lines are handed out,
 * so that the workers parse while the main thread does the rest. A light
 * module: it loads neither the SDK nor the commands.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { inventoryEncoding } from '../load/inventory-lines.js';
import { InventoryRead, InventoryWorkers, type InventoryHeader } from '../load/inventory-workers.js';
import { parseJobs } from './arguments.js';

/** A saved JSON Lines inventory this large is read by worker threads unless --jobs says otherwise (smaller ones take longer to hand over than to read). */
const JOBS_MIN_BYTES = 32 * 2 ** 20;
/** Worker threads by default: one per core, at most this many (the main thread only hands out bytes). */
const DEFAULT_MAX_JOBS = 4;

/**
 * How many worker threads read the saved inventory, or 0 for none: --jobs
 * when given (1: none); otherwise one per core (up to DEFAULT_MAX_JOBS) for
 * a JSON Lines inventory of JOBS_MIN_BYTES or more (gzipped: an eighth of
 * that), on a machine with more than one core. Never with a timeline, which
 * is joined to the whole inventory.
 */
export function inventoryJobs(file: string, jobs: number | undefined, timeline: boolean): number {
  if (timeline || jobs === 1) return 0;
  const encoding = inventoryEncoding(file);
  if (encoding === 'json') return 0;
  if (jobs !== undefined) return jobs;
  const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  const cores = availableParallelism();
  if (cores < 2 || size < (encoding === 'jsonl.gz' ? JOBS_MIN_BYTES / 8 : JOBS_MIN_BYTES)) return 0;
  return Math.min(cores, DEFAULT_MAX_JOBS);
}

/** Bytes of a saved inventory handed to the workers before the baseline and rules are read (parsed meanwhile, judged once they are). */
const EARLY_BYTES = 32 * 2 ** 20;

export interface BegunInventory {
  read: InventoryRead;
  /** Undefined when the read declined (a bad header, none): the inventory is then read whole, whose reader says what is wrong. */
  header: InventoryHeader | undefined;
  /** Stops the workers and closes the file, whatever happened (again: nothing). */
  close(): Promise<void>;
}

/**
 * Starts the workers and the read of `inventory`, when it is one to read so
 * (inventoryJobs): `jobs` is --jobs as given, `failing` whether the report
 * format needs the resources that failed a rule (SARIF).
 */
export async function beginSavedInventory(o: { inventory?: string; jobs?: string; timeline?: string }, failing: boolean): Promise<BegunInventory | undefined> {
  const jobs = parseJobs(o.jobs);
  if (!o.inventory) return undefined;
  const threads = inventoryJobs(o.inventory, jobs, o.timeline !== undefined);
  if (threads === 0) return undefined;
  const workers = new InventoryWorkers(threads, { failing });
  let read: InventoryRead | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    read?.close();
    await workers.close();
  };
  try {
    read = new InventoryRead(o.inventory, workers);
    return { read, header: await read.begin(EARLY_BYTES), close };
  } catch {
    // Whatever stopped the early read (a file that cannot be read or gunzipped, a worker that failed) is the
    // whole-file reader's to say, after the baseline and the rules, in the order --jobs 1 says it.
    await close();
    return undefined;
  }
}
