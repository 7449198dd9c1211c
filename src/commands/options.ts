import { InputError } from '../errors.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import { AwsClients, DEFAULT_CLIENT_OPTIONS, socketsFor } from '../aws/clients.js';
import { DEFAULT_CONCURRENCY, type CollectOptions } from '../collect/collect.js';
import { createProgress } from '../progress/progress.js';

export interface GlobalOptions {
  profile?: string;
  region?: string;
  quiet?: boolean;
}

/** What `audit` and `collect` take to collect live. */
export interface CollectionOptions extends GlobalOptions {
  /** From --regions: comma-separated, the option repeated, or both. */
  regions?: string[];
  concurrency?: string;
}

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

export interface Collection {
  regions?: string[];
  concurrency: number;
}

/** --regions and --concurrency, checked before anything else happens. */
export function parseCollection(o: CollectionOptions): Collection {
  const regions = parseRegions(o.regions);
  return { concurrency: parseConcurrency(o.concurrency), ...(regions ? { regions } : {}) };
}

/**
 * Runs `work` with clients sized for the collection and the options for
 * collectInventory (progress on stderr included); cleans both up after.
 */
export async function withCollection<T>(o: GlobalOptions, c: Collection, now: Date, work: (clients: AwsClients, options: CollectOptions) => Promise<T>): Promise<T> {
  const progress = createProgress(Boolean(o.quiet));
  const clients = makeClients(o, c.concurrency);
  try {
    return await work(clients, { now, log: progress.log, onProgress: progress.event, ...c });
  } finally {
    progress.done();
    clients.destroy();
  }
}

export function parseSeverity(value: string): Severity {
  if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  throw InputError.at({ file: '--fail-on' }, `must be one of: ${SEVERITIES.join(', ')} (got '${value}')`);
}

/** `--now` lets an audit be evaluated as of a fixed time (reproducible reports, exception expiry checks). */
export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw InputError.at({ file: '--now' }, `must be an ISO-8601 date or date-time (got '${value}')`);
  return d;
}

export function makeClients(g: GlobalOptions, concurrency = DEFAULT_CONCURRENCY): AwsClients {
  return new AwsClients({
    ...DEFAULT_CLIENT_OPTIONS,
    maxSockets: socketsFor(concurrency),
    ...(g.region ? { region: g.region } : {}),
    ...(g.profile ? { profile: g.profile } : {}),
  });
}

export function makeLog(g: GlobalOptions): (message: string) => void {
  return g.quiet ? () => {} : (message) => process.stderr.write(`rollcall: ${message}\n`);
}
