/**
 * The timeline: who the caller's account is, which regions are enabled (as
 * collect finds them), then every region's kept events from one source, by
 * actor. A region that could not be read is a gap in the result, never left
 * out silently.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { S3Client } from '@aws-sdk/client-s3';
import { callerIdentity } from '../answers/caller-identity.js';
import type { AwsClients } from '../aws/clients.js';
import { EVENT_HISTORY_REGION } from '../collect/iam-changes.js';
import { discoverRegions } from '../collect/regions.js';
import { parseCallerArn } from '../model/caller.js';
import type { TimelineWindow } from './event.js';
import { TimelineSink } from './group.js';
import { lookupSeries, readLookupEvents } from './lookup.js';
import type { TimelineResult } from './render.js';
import { readTrailBucket, type TrailBucket } from './trail-bucket.js';

/** CloudTrail's event history keeps 90 days. */
const HISTORY_DAYS = 90;

export interface TimelineOptions {
  window: TimelineWindow;
  /** --regions: narrow the enabled regions. */
  regions?: string[];
  /** --trail-bucket: read the trail's log files instead of LookupEvents. */
  trailBucket?: TrailBucket;
  now: Date;
  log?: (message: string) => void;
}

/** The clients the timeline uses (AwsClients, or mocks in tests). */
export interface TimelineClients {
  ec2(region: string): EC2Client;
  cloudtrail(region: string): CloudTrailClient;
  s3(): S3Client;
  readonly options: { region: string };
  readonly counter: { snapshot(): Record<string, number> };
}

export async function buildTimeline(clients: AwsClients, o: TimelineOptions): Promise<TimelineResult> {
  const who = await callerIdentity(clients);
  const partition = parseCallerArn(who.arn)?.partition ?? 'aws';
  // IAM's (and the console's) events are recorded in one region of the partition: read it, whatever --regions says.
  const iamRegion = EVENT_HISTORY_REGION[partition];
  const requested = o.regions && iamRegion !== undefined && !o.regions.includes(iamRegion) ? [...o.regions, iamRegion] : o.regions;
  const plan = await discoverRegions(clients.ec2(clients.options.region), requested, partition);
  const notes = requested !== o.regions ? [...plan.notes, `${iamRegion} is read too: CloudTrail records IAM's events (users, keys, roles, policies) there, whatever region they were made from.`] : plan.notes;
  return timelineFor(clients, who.account, plan.regions, notes, o);
}

const lookupCalls = (clients: TimelineClients) => clients.counter.snapshot()['cloudtrail:LookupEvents'] ?? 0;

/** The timeline of known regions of a known account. */
export async function timelineFor(clients: TimelineClients, accountId: string, regions: string[], notes: string[], o: TimelineOptions): Promise<TimelineResult> {
  const sink = new TimelineSink();
  const all = [...notes];
  const before = lookupCalls(clients);
  /** The window actually read: the event history starts 90 days back, whatever was asked (so a reader sees the timeline does not reach the incident's start). */
  let window = o.window;
  if (o.trailBucket) {
    let files = 0;
    await readTrailBucket({
      window: o.window,
      regions,
      accountId,
      location: o.trailBucket,
      s3: clients.s3(),
      sink,
      onFile: () => {
        files += 1;
        if (files % 500 === 0) o.log?.(`timeline: ${files} log files read, ${sink.records} records`);
      },
    });
  } else {
    const oldest = new Date(o.now.getTime() - HISTORY_DAYS * 86_400_000);
    if (o.window.since.getTime() < oldest.getTime()) {
      all.push(`CloudTrail's event history keeps ${HISTORY_DAYS} days: the window asked started at ${o.window.since.toISOString()}, but events before ${oldest.toISOString()} are not in it, so the timeline starts there; read the earlier ones from the trail's bucket (--trail-bucket).`);
      window = { since: oldest.getTime() < o.window.until.getTime() ? oldest : o.window.until, until: o.window.until };
    }
    all.push(`LookupEvents asks ${lookupSeries().length} series per region (${lookupSeries().map((a) => `${a.AttributeKey}=${a.AttributeValue}`).join(', ')}), 50 events a page, 2 requests per second per region.`);
    await readLookupEvents({ window, regions, cloudtrail: (r) => clients.cloudtrail(r), sink });
  }
  const groups = sink.grouped();
  return {
    accountId,
    window: { since: window.since.toISOString(), until: window.until.toISOString() },
    source: o.trailBucket
      ? { kind: 'trail-bucket', bucket: o.trailBucket.bucket, prefix: o.trailBucket.prefix }
      : { kind: 'lookup', lookupCalls: lookupCalls(clients) - before },
    regions,
    records: sink.records,
    events: sink.eventCount,
    groups,
    gaps: sink.sortedGaps(),
    notes: all,
  };
}
