import { InputError } from '../errors.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import type { AssumeRole, AwsClients } from '../aws/clients.js';
import type { CollectOptions } from '../collect/collect.js';
import type { ConfigSource } from '../collect/config.js';
import { COLLECT_CONCURRENCY } from '../collect/concurrency.js';
import { parseConcurrency, parseRegions } from './arguments.js';
import { createProgress } from '../progress/progress.js';
import { terminalText } from '../report/escape.js';

export interface GlobalOptions {
  profile?: string;
  region?: string;
  quiet?: boolean;
  /** --role-arn, --external-id, --role-session-name: a role assumed for the whole run. */
  roleArn?: string;
  externalId?: string;
  roleSessionName?: string;
}

/** What `audit` and `collect` take to collect live. */
export interface CollectionOptions extends GlobalOptions {
  /** From --regions: comma-separated, the option repeated, or both. */
  regions?: string[];
  concurrency?: string;
  /** --config: read AWS Config's recorders of the account too; --config-aggregator NAME: an aggregator in the run's region instead. */
  config?: boolean;
  configAggregator?: string;
  /** --config-aggregator-trusted: accept the aggregator's word that a region whose source SUCCEEDED is fully recorded. */
  configAggregatorTrusted?: boolean;
}

export interface Collection {
  regions?: string[];
  concurrency: number;
  config?: ConfigSource;
}

/** --regions, --concurrency and the AWS Config source, checked before anything else happens. */
export function parseCollection(o: CollectionOptions): Collection {
  const regions = parseRegions(o.regions);
  const config = parseConfigSource(o);
  return { concurrency: parseConcurrency(o.concurrency), ...(regions ? { regions } : {}), ...(config ? { config } : {}) };
}

/** An aggregator's name, as AWS Config allows it. */
const AGGREGATOR_NAME = /^[\w-]{1,256}$/;

/** --config or --config-aggregator NAME (not both): where AWS Config is read; undefined when it is not. */
export function parseConfigSource(o: Pick<CollectionOptions, 'config' | 'configAggregator' | 'configAggregatorTrusted'>): ConfigSource | undefined {
  if (o.configAggregatorTrusted && o.configAggregator === undefined) {
    throw InputError.at({ file: '--config-aggregator-trusted' }, 'accepts the coverage of an aggregator: give it with --config-aggregator NAME');
  }
  if (o.configAggregator !== undefined) {
    if (o.config) throw InputError.at({ file: '--config' }, 'give --config (the account\'s own recorders) or --config-aggregator NAME, not both');
    if (!AGGREGATOR_NAME.test(o.configAggregator)) {
      throw InputError.at({ file: '--config-aggregator' }, `not an AWS Config aggregator name: letters, digits, _ and -, 1 to 256 (got ${JSON.stringify(o.configAggregator)})`);
    }
    return { kind: 'aggregator', name: o.configAggregator, ...(o.configAggregatorTrusted ? { trusted: true } : {}) };
  }
  return o.config ? { kind: 'account' } : undefined;
}

/**
 * Runs `work` with clients sized for the collection and the options for
 * collectInventory (progress on stderr included); cleans both up after.
 */
export async function withCollection<T>(o: GlobalOptions, c: Collection, now: Date, work: (clients: AwsClients, options: CollectOptions) => Promise<T>): Promise<T> {
  const progress = createProgress(Boolean(o.quiet));
  const clients = await makeClients(o, c.concurrency);
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

/** `2026-11-29`, or a date-time with its zone: `2026-11-29T10:00:00Z`, `2026-11-29T10:00+01:00`. */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * `--now` lets an audit be evaluated as of a fixed time (reproducible reports,
 * exception expiry checks). Only ISO-8601: JavaScript's own date parser reads
 * `March 7` as 2001-03-07 and `2026-02-30` as March 2. A date alone is the
 * start of that day, UTC; a date-time must say its zone.
 */
export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const bad = (why: string) =>
    InputError.at({ file: '--now' }, `${why} (got '${value}'; e.g. 2026-11-29, 2026-11-29T10:00:00Z or 2026-11-29T10:00:00+01:00)`);
  const m = ISO_8601.exec(value.trim());
  if (!m) throw bad('must be an ISO-8601 date or date-time');
  const [, y, mo, d, h, mi, sec, zone] = m;
  if (h !== undefined && zone === undefined) throw bad('a date-time must end with its zone, Z or an offset such as +01:00');
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (Number(mo) < 1 || Number(mo) > 12 || day.getUTCDate() !== Number(d)) throw bad('is not a real date');
  if (Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(sec ?? 0) > 59) throw bad('is not a real time of day');
  const date = new Date(h === undefined ? `${y}-${mo}-${d}T00:00:00Z` : value.trim());
  if (Number.isNaN(date.getTime())) throw bad('must be an ISO-8601 date or date-time');
  return date;
}

/**
 * Clients as the global options ask: the region from --region, else as the
 * SDK finds it for the profile (AWS_REGION, then the profile's `region`), else
 * AWS_DEFAULT_REGION or us-east-1; the profile's credentials, or a role
 * assumed with them (--role-arn).
 */
export async function makeClients(g: GlobalOptions, concurrency = COLLECT_CONCURRENCY): Promise<AwsClients> {
  const assumeRole = parseAssumeRole(g);
  // Loaded when clients are made: a command that reads only files loads no AWS client.
  const { AwsClients, DEFAULT_CLIENT_OPTIONS, socketsFor } = await import('../aws/clients.js');
  const region = g.region ?? (await profileRegion(g.profile)) ?? DEFAULT_CLIENT_OPTIONS.region;
  return new AwsClients({
    ...DEFAULT_CLIENT_OPTIONS,
    maxSockets: socketsFor(concurrency),
    region,
    ...(g.profile ? { profile: g.profile } : {}),
    ...(assumeRole ? { assumeRole } : {}),
  });
}

/** The region the SDK would use for this profile (or AWS_PROFILE's, or the default one): AWS_REGION, then the profile's `region`; undefined when neither says. */
export async function profileRegion(profile: string | undefined): Promise<string | undefined> {
  const { loadConfig, NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS } = await import('@smithy/core/config');
  try {
    return await loadConfig(NODE_REGION_CONFIG_OPTIONS, { ...NODE_REGION_CONFIG_FILE_OPTIONS, ...(profile ? { profile } : {}) })();
  } catch {
    return undefined; // no region configured: the caller's default
  }
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** --role-arn and its companions, checked before any call: bad values are bad input (exit 2). */
export function parseAssumeRole(g: GlobalOptions): AssumeRole | undefined {
  if (g.roleArn === undefined) {
    const stray = g.externalId !== undefined ? '--external-id' : g.roleSessionName !== undefined ? '--role-session-name' : undefined;
    if (stray) throw InputError.at({ file: stray }, 'only means something with --role-arn');
    return undefined;
  }
  if (!ROLE_ARN.test(g.roleArn)) throw InputError.at({ file: '--role-arn' }, `must be a role ARN, e.g. arn:aws:iam::123456789012:role/audit (got '${g.roleArn}')`);
  if (g.externalId !== undefined && !EXTERNAL_ID.test(g.externalId)) {
    throw InputError.at({ file: '--external-id' }, 'must be 2 to 1224 letters, digits or _+=,.@:/-');
  }
  const sessionName = g.roleSessionName ?? 'rollcall';
  if (!SESSION_NAME.test(sessionName)) throw InputError.at({ file: '--role-session-name' }, `must be 2 to 64 letters, digits or _+=,.@- (got '${sessionName}')`);
  return { roleArn: g.roleArn, sessionName, ...(g.externalId !== undefined ? { externalId: g.externalId } : {}) };
}

export function makeLog(g: GlobalOptions): (message: string) => void {
  // Messages quote names and error text from AWS: shown, never obeyed by the terminal (terminalText).
  return g.quiet ? () => {} : (message) => process.stderr.write(`rollcall: ${terminalText(message)}\n`);
}
