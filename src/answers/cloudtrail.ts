/**
 * CloudTrail's answers as resources: a trail (DescribeTrails' entry, its
 * GetTrailStatus and its GetEventSelectors) and what the account's trails add
 * up to. The collector reads with these, and apply re-reads a trail with
 * `readTrail`, so a precondition compares like with like.
 *
 * Every per-trail call is made in the trail's home region, naming the trail
 * by its ARN (an organization trail seen from a member account belongs to
 * the management account, so its name alone would not find it).
 */
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type AdvancedEventSelector,
  type CloudTrailClient,
  type EventSelector,
  type GetEventSelectorsCommandOutput,
  type GetTrailStatusCommandOutput,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { operationOf, recordOperation } from '../aws/call-kind.js';
import type { CloudTrailAccountProps, TrailProps } from '../model/cloudtrail-props.js';
import type { Resource } from '../model/resource.js';
import { parseArn } from './arn.js';
import { hasCode } from './error-info.js';
import { isoOrNull } from './values.js';

/** CloudTrail's answer for a trail it does not know (deleted meanwhile). */
export const TRAIL_NOT_FOUND = 'TrailNotFound';
export const isTrailNotFound = (err: unknown): boolean => hasCode(err, TRAIL_NOT_FOUND);

/** Which management events a trail's selectors record. */
export interface ManagementEvents {
  read: boolean;
  write: boolean;
  advanced: boolean;
}

/** Classic selectors: management events are included unless a selector says otherwise; ReadWriteType defaults to All. */
function classic(selectors: readonly EventSelector[]): { read: boolean; write: boolean } {
  let read = false;
  let write = false;
  for (const s of selectors) {
    if (s.IncludeManagementEvents === false) continue;
    const rw = s.ReadWriteType ?? 'All';
    read ||= rw === 'All' || rw === 'ReadOnly';
    write ||= rw === 'All' || rw === 'WriteOnly';
  }
  return { read, write };
}

/**
 * Advanced selectors: one whose `eventCategory` equals `Management` records
 * management events; its `readOnly` field, when present, narrows them to
 * reads (`true`) or writes (`false`). Other fields (an `eventSource` left
 * out) narrow further, but the trail still records management events.
 */
function advanced(selectors: readonly AdvancedEventSelector[]): { read: boolean; write: boolean } {
  let read = false;
  let write = false;
  for (const s of selectors) {
    const fields = s.FieldSelectors ?? [];
    const category = fields.find((f) => f.Field === 'eventCategory');
    if (!(category?.Equals ?? []).includes('Management')) continue;
    const readOnly = fields.find((f) => f.Field === 'readOnly');
    if (!readOnly) {
      read = write = true;
      continue;
    }
    const equals = readOnly.Equals ?? [];
    const notEquals = readOnly.NotEquals ?? [];
    read ||= equals.includes('true') || notEquals.includes('false');
    write ||= equals.includes('false') || notEquals.includes('true');
  }
  return { read, write };
}

/** What GetEventSelectors says about management events. A trail uses either kind of selector, never both. */
export function managementEvents(answer: Pick<GetEventSelectorsCommandOutput, 'EventSelectors' | 'AdvancedEventSelectors'>): ManagementEvents {
  const adv = answer.AdvancedEventSelectors ?? [];
  if (adv.length > 0) return { ...advanced(adv), advanced: true };
  return { ...classic(answer.EventSelectors ?? []), advanced: false };
}

/** The home region of a trail: DescribeTrails' HomeRegion, else its ARN's region. */
export function homeRegionOf(trail: Pick<Trail, 'HomeRegion' | 'TrailARN'>): string {
  return trail.HomeRegion ?? parseArn(trail.TrailARN ?? '')?.region ?? '';
}

/** One trail as a resource, in its home region. */
export function trailResource(
  accountId: string,
  trail: Trail,
  status: Pick<GetTrailStatusCommandOutput, 'IsLogging' | 'StartLoggingTime' | 'StopLoggingTime'>,
  selectors: Pick<GetEventSelectorsCommandOutput, 'EventSelectors' | 'AdvancedEventSelectors'>,
): Resource {
  const arn = trail.TrailARN ?? '';
  const name = trail.Name ?? '';
  const homeRegion = homeRegionOf(trail);
  const events = managementEvents(selectors);
  const props: TrailProps = {
    name,
    homeRegion,
    multiRegion: trail.IsMultiRegionTrail === true,
    organizationTrail: trail.IsOrganizationTrail === true,
    ownerAccountId: parseArn(arn)?.accountId || accountId,
    includeGlobalServiceEvents: trail.IncludeGlobalServiceEvents === true,
    logging: status.IsLogging === true,
    startLoggingTime: isoOrNull(status.StartLoggingTime),
    stopLoggingTime: isoOrNull(status.StopLoggingTime),
    managementEventsRead: events.read,
    managementEventsWrite: events.write,
    advancedEventSelectors: events.advanced,
    s3Bucket: trail.S3BucketName ?? null,
    s3KeyPrefix: trail.S3KeyPrefix ?? null,
    logFileValidation: trail.LogFileValidationEnabled === true,
  };
  return { type: 'cloudtrail.trail', id: name, arn, region: homeRegion, accountId, tags: {}, props: props as unknown as Resource['props'] };
}

/** The call's answer; its failure names the operation (call-kind's operationOf), for a client that did not tag it. */
const named = <T>(operation: string, call: () => Promise<T>): Promise<T> =>
  Promise.resolve()
    .then(call)
    .catch((err: unknown) => {
      if (operationOf(err) === undefined) recordOperation(err, operation);
      throw err;
    });

/**
 * A trail's status and selectors, read in its home region, as a resource;
 * undefined when CloudTrail no longer knows it. Any other failure throws.
 */
export async function readTrailState(cloudtrail: CloudTrailClient, accountId: string, trail: Trail): Promise<Resource | undefined> {
  const Name = trail.TrailARN ?? trail.Name ?? '';
  try {
    const [status, selectors] = await Promise.all([
      named('GetTrailStatus', () => cloudtrail.send(new GetTrailStatusCommand({ Name }))),
      named('GetEventSelectors', () => cloudtrail.send(new GetEventSelectorsCommand({ TrailName: Name }))),
    ]);
    return trailResource(accountId, trail, status, selectors);
  } catch (err) {
    if (isTrailNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * The trails DescribeTrails returns for these ARNs, asked in their home
 * region; only those asked for (an endpoint that answers more is not trusted
 * to have filtered).
 */
export async function describeTrails(cloudtrail: CloudTrailClient, arns: readonly string[]): Promise<Trail[]> {
  const wanted = new Set(arns);
  const answer = await cloudtrail.send(new DescribeTrailsCommand({ trailNameList: [...arns], includeShadowTrails: true }));
  const seen = new Set<string>();
  return (answer.trailList ?? []).filter((t) => {
    const arn = t.TrailARN ?? '';
    if (!wanted.has(arn) || seen.has(arn)) return false;
    seen.add(arn);
    return true;
  });
}

/** One trail, re-read by ARN in its home region (apply's observation): undefined when it is gone. */
export async function readTrail(cloudtrail: CloudTrailClient, accountId: string, arn: string): Promise<Resource | undefined> {
  const [trail] = await describeTrails(cloudtrail, [arn]).catch((err: unknown) => {
    if (isTrailNotFound(err)) return [];
    throw err;
  });
  return trail ? readTrailState(cloudtrail, accountId, trail) : undefined;
}

/** A trail that logs every region's management events, reads and writes, right now. */
export const logsAllManagementEvents = (p: TrailProps): boolean => p.multiRegion && p.logging && p.managementEventsRead && p.managementEventsWrite;

/** What the account's trails add up to, from every trail read. */
export function cloudTrailAccount(accountId: string, trails: readonly Resource[]): Resource {
  const props = trails.map((t) => ({ arn: t.arn ?? '', p: t.props as unknown as TrailProps }));
  const summary: CloudTrailAccountProps = {
    trails: trails.length,
    multiRegionTrails: props.filter((t) => t.p.multiRegion).map((t) => t.arn).sort(),
    loggingMultiRegionTrails: props.filter((t) => logsAllManagementEvents(t.p)).map((t) => t.arn).sort(),
  };
  return { type: 'account.cloudtrail', id: 'account', region: 'global', accountId, tags: {}, props: summary as unknown as Resource['props'] };
}
