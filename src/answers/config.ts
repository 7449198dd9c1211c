/**
 * AWS Config's answers as rollcall reads them: the advanced query's rows
 * (JSON text, one per resource) as `config.resource`, what a recorder's
 * recording group leaves out, and the types a rollcall collector lists too.
 * Everything here is Config's data, written by whoever made the resource:
 * only strings are taken, and nothing is trusted for more than its text.
 */
import type { ConfigurationRecorder, ConfigurationRecorderStatus } from '@aws-sdk/client-config-service';
import type { ConfigResourceProps, ConfigResourceTypeProps } from '../model/config-props.js';
import type { Resource, ResourceType } from '../model/resource.js';
import { isoText } from './values.js';

/** The largest page SelectResourceConfig and SelectAggregateResourceConfig serve. */
export const CONFIG_PAGE_SIZE = 100;

/** What rollcall asks of every resource: identity, tags and times, never the configuration itself (the heavy part). */
export const CONFIG_FIELDS = [
  'resourceId',
  'resourceName',
  'resourceType',
  'arn',
  'awsRegion',
  'accountId',
  'tags',
  'configurationItemCaptureTime',
  'resourceCreationTime',
  'configurationItemStatus',
] as const;

/** The query for one account's own recorder: every resource it records in its region. */
export const ACCOUNT_QUERY = `SELECT ${CONFIG_FIELDS.join(', ')}`;

const ACCOUNT_ID = /^\d{12}$/;

/** The query for an aggregator: every resource of one account (its id checked: nothing else reaches the SQL). */
export function aggregateQuery(account: string): string {
  if (!ACCOUNT_ID.test(account)) throw new Error(`internal error: not an account id for Config's SQL: ${JSON.stringify(account)}`);
  return `${ACCOUNT_QUERY} WHERE accountId = '${account}'`;
}

/**
 * Config types a rollcall collector lists too, with the id that collector
 * gives the resource: its record is the richer one and wins (collect/config-join.ts).
 */
export const COLLECTED_AS: Readonly<Record<string, { type: ResourceType; id: 'resourceId' | 'name' }>> = {
  'AWS::EC2::Instance': { type: 'ec2.instance', id: 'resourceId' },
  'AWS::EC2::SpotFleet': { type: 'ec2.spotFleetRequest', id: 'resourceId' },
  'AWS::Lambda::Function': { type: 'lambda.function', id: 'name' },
  'AWS::IAM::User': { type: 'iam.user', id: 'name' },
  'AWS::IAM::Role': { type: 'iam.role', id: 'name' },
  'AWS::IAM::Group': { type: 'iam.group', id: 'name' },
  'AWS::IAM::Policy': { type: 'iam.policy', id: 'name' },
  'AWS::CloudTrail::Trail': { type: 'cloudtrail.trail', id: 'name' },
};

/** Items Config keeps for resources that are gone or no longer recorded: not in the account now. */
const GONE = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded', 'ResourceNotRecorded']);

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Config's tags: `[{ key, value }]` in query results (`{ Key, Value }` or a plain map accepted too). */
function tagsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const t of v) {
      if (typeof t !== 'object' || t === null) continue;
      const r = t as Record<string, unknown>;
      const key = text(r.key) ?? text(r.Key);
      if (key !== null) out[key] = typeof (r.value ?? r.Value) === 'string' ? String(r.value ?? r.Value) : '';
    }
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, value] of Object.entries(v)) if (typeof value === 'string') out[k] = value;
  }
  return out;
}

/** A Config type's global resources (IAM's) live in `global`, as rollcall's IAM types do. */
const regionOf = (configType: string, awsRegion: string | null): string | null =>
  configType.startsWith('AWS::IAM::') || awsRegion === 'global' ? 'global' : awsRegion;

/**
 * One row of an advanced query as a `config.resource`, or null for a row that
 * is not one (unreadable, no type or id, another account's, gone).
 * `fallback`: the account and region asked, for a row that omits them.
 */
export function configResourceOf(row: string | Record<string, unknown>, source: string, fallback: { accountId?: string; region?: string }): Resource | null {
  let r: unknown = row;
  if (typeof row === 'string') {
    try {
      r = JSON.parse(row);
    } catch {
      return null;
    }
  }
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return null;
  const o = r as Record<string, unknown>;
  const configType = text(o.resourceType);
  const resourceId = text(o.resourceId);
  const accountId = text(o.accountId) ?? fallback.accountId ?? null;
  const region = configType ? regionOf(configType, text(o.awsRegion) ?? fallback.region ?? null) : null;
  if (!configType || !resourceId || !accountId || !region) return null;
  const status = text(o.configurationItemStatus);
  if (status !== null && GONE.has(status)) return null;
  const props: ConfigResourceProps = {
    configType,
    resourceId,
    name: text(o.resourceName),
    captureTime: isoText(text(o.configurationItemCaptureTime) ?? undefined),
    createdTime: isoText(text(o.resourceCreationTime) ?? undefined),
    source,
    collectedAs: COLLECTED_AS[configType]?.type ?? null,
    tagged: false,
    inEveryRegion: null,
  };
  const arn = text(o.arn);
  const tags = tagsOf(o.tags);
  return {
    type: 'config.resource',
    id: `${configType}/${resourceId}`,
    ...(arn ? { arn } : {}),
    region,
    accountId,
    tags,
    props: { ...props, tagged: Object.keys(tags).length > 0 },
  };
}

/**
 * Config's resources with `props.inEveryRegion` set: whether their type is
 * in every one of `read`, the regions Config was read in full (no gap for
 * config.resource); null in `global`, or when fewer than two regions were
 * read (one region cannot tell a per-region default from a rarity).
 */
export function withRegionPresence(resources: readonly Resource[], read: readonly string[]): Resource[] {
  const where = new Map<string, Set<string>>();
  for (const r of resources) {
    if (r.type !== 'config.resource') continue;
    const type = String(r.props.configType);
    where.set(type, (where.get(type) ?? new Set<string>()).add(r.region));
  }
  return resources.map((r) => {
    if (r.type !== 'config.resource') return r;
    const found = where.get(String(r.props.configType))!;
    const inEveryRegion = r.region === 'global' || read.length < 2 ? null : read.every((region) => found.has(region));
    return { ...r, props: { ...r.props, inEveryRegion } };
  });
}

/**
 * One `config.resourceType` per Config type and region, for the types no
 * collector lists (sorted by region, then type), so a type the baseline does
 * not declare is one finding per region, whatever its count.
 */
export function configTypesOf(resources: readonly Resource[], accountId: string): Resource[] {
  const byKey = new Map<string, Resource[]>();
  for (const r of resources) {
    if (r.type !== 'config.resource' || r.props.collectedAs !== null) continue;
    const key = `${r.region}\u0000${String(r.props.configType)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  return [...byKey.keys()].sort().map((key) => {
    const members = byKey.get(key)!;
    const [region, configType] = key.split('\u0000') as [string, string];
    const props: ConfigResourceTypeProps = {
      configType,
      count: members.length,
      examples: members.slice(0, 5).map((m) => (typeof m.props.name === 'string' ? m.props.name : String(m.props.resourceId))),
    };
    return { type: 'config.resourceType', id: configType, region, accountId, tags: {}, props: { ...props } };
  });
}

/** What one region's recorders leave unrecorded, in words for a gap; null when they record everything rollcall needs. */
export interface RecorderCoverage {
  code: 'NoConfigurationRecorder' | 'ConfigurationRecorderStopped' | 'ConfigRecorderFailing' | 'ConfigTypesNotRecorded';
  message: string;
}

const listed = (types: readonly string[]): string => (types.length <= 8 ? types.join(', ') : `${types.slice(0, 8).join(', ')} and ${types.length - 8} more`);

/**
 * A region's recording, from DescribeConfigurationRecorders and
 * DescribeConfigurationRecorderStatus: no recorder, none recording, one
 * recording whose last recording failed (lastStatus Failure: it is on, but
 * what it shows may be stale), or a recording group that leaves types out are
 * gaps. (lastStatusChangeTime is not judged: it moves only when something is
 * recorded, so a quiet region's healthy recorder looks as old as a stuck one.) Types a rollcall collector
 * lists anyway (COLLECTED_AS) and IAM's global types (recorded in one region
 * only, by design) are not counted as left out.
 */
export function recorderCoverage(region: string, recorders: readonly ConfigurationRecorder[], statuses: readonly ConfigurationRecorderStatus[]): RecorderCoverage | null {
  if (recorders.length === 0) return { code: 'NoConfigurationRecorder', message: `no AWS Config recorder in ${region}: Config knows nothing of it` };
  const statusOf = (rec: ConfigurationRecorder) => statuses.find((s) => s.recording === true && (s.name === rec.name || (s.arn !== undefined && s.arn === rec.arn)));
  const on = recorders.filter((rec) => statusOf(rec) !== undefined);
  if (on.length === 0) {
    const s = statuses[0];
    const since = s?.lastStopTime ? ` since ${s.lastStopTime.toISOString()}` : '';
    return { code: 'ConfigurationRecorderStopped', message: `the AWS Config recorder in ${region} is not recording${since}: what it shows may be stale, and new resources are missing` };
  }
  const recording = on.filter((rec) => statusOf(rec)!.lastStatus !== 'Failure');
  if (recording.length === 0) {
    const s = statusOf(on[0]!)!;
    const error = [s.lastErrorCode, s.lastErrorMessage].filter((x): x is string => typeof x === 'string' && x !== '').join(': ').slice(0, 300);
    return {
      code: 'ConfigRecorderFailing',
      message: `the AWS Config recorder in ${region} is recording but its last recording failed${error ? ` (${error})` : ''}: new and changed resources may be missing`,
    };
  }
  const ignorable = (t: string) => COLLECTED_AS[t] !== undefined || t.startsWith('AWS::IAM::');
  const problems: string[] = [];
  for (const rec of recording) {
    const g = rec.recordingGroup;
    const strategy = g?.recordingStrategy?.useOnly;
    if (strategy === 'EXCLUSION_BY_RESOURCE_TYPES') {
      const excluded = (g?.exclusionByResourceTypes?.resourceTypes ?? []).filter((t) => !ignorable(t));
      if (excluded.length === 0) return null;
      problems.push(`does not record ${listed(excluded)}`);
      continue;
    }
    // The default group, or all supported types: every type is recorded.
    if (g === undefined || g.allSupported === true || strategy === 'ALL_SUPPORTED_RESOURCE_TYPES') return null;
    const only = g.resourceTypes ?? [];
    problems.push(`records only ${only.length} type${only.length === 1 ? '' : 's'} (${listed(only)}): any other type is invisible to it`);
  }
  return { code: 'ConfigTypesNotRecorded', message: `the AWS Config recorder in ${region} ${problems[0] ?? 'records nothing'}` };
}
