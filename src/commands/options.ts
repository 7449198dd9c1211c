import { InputError } from '../errors.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import { AwsClients, DEFAULT_CLIENT_OPTIONS, socketsFor } from '../aws/clients.js';
import type { CollectOptions } from '../collect/collect.js';
import { DEFAULT_CONCURRENCY } from '../collect/concurrency.js';
import { parseConcurrency, parseRegions } from './arguments.js';
import { createProgress } from '../progress/progress.js';
import { terminalText } from '../report/escape.js';

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
  // Messages quote names and error text from AWS: shown, never obeyed by the terminal (terminalText).
  return g.quiet ? () => {} : (message) => process.stderr.write(`rollcall: ${terminalText(message)}\n`);
}
