/**
 * Source A: CloudTrail's event history (LookupEvents), region by region.
 *
 * LookupEvents takes one lookup attribute per call and answers 50 events a
 * page, at most 2 requests per second per region. The fewest calls that
 * return every kept event: one series by `ReadOnly=false` (every write:
 * IAM, EC2, Lambda, CloudTrail, GuardDuty... and ConsoleLogin), plus one
 * series by `EventName` for each kept event CloudTrail records as read-only
 * (READ_ONLY_LOOKUPS: GetSessionToken, GetFederationToken, AssumeRole). For a
 * region with W write events and S_n events of read-only kept name n in the
 * window, that is
 *   max(1, ceil(W/50)) + sum over n of max(1, ceil(S_n/50))   calls,
 * and at 2 per second a region takes half as many seconds; regions run in
 * parallel. (Asking by EventName for every kept name instead would cost at
 * least one call per name per region, ~90 per region, however quiet.)
 *
 * A series that fails makes a gap for its region (with what it had read
 * until then kept); it never stops the other regions.
 */
import { LookupEventsCommand, type CloudTrailClient, type LookupAttribute } from '@aws-sdk/client-cloudtrail';
import pThrottle from 'p-throttle';
import { redact } from '../redact.js';
import { READ_ONLY_LOOKUPS } from './catalogue.js';
import type { TimelineWindow } from './event.js';
import type { TimelineSink } from './group.js';
import { normaliseRecord } from './normalise.js';

/** LookupEvents' own limits. */
export const LOOKUP_PAGE_SIZE = 50;
export const LOOKUP_REQUESTS_PER_SECOND = 2;

/** The lookup series asked in every region: one attribute each. */
export function lookupSeries(): LookupAttribute[] {
  return [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }, ...READ_ONLY_LOOKUPS.map((n): LookupAttribute => ({ AttributeKey: 'EventName', AttributeValue: n }))];
}

export interface LookupOptions {
  window: TimelineWindow;
  regions: readonly string[];
  cloudtrail: (region: string) => CloudTrailClient;
  sink: TimelineSink;
  onProgress?: (region: string, pages: number) => void;
}

export async function readLookupEvents(o: LookupOptions): Promise<void> {
  await Promise.all(o.regions.map((region) => readRegion(region, o)));
}

async function readRegion(region: string, o: LookupOptions): Promise<void> {
  const client = o.cloudtrail(region);
  // One limiter per region, shared by its series: LookupEvents' quota is per region and account.
  const throttle = pThrottle({ limit: LOOKUP_REQUESTS_PER_SECOND, interval: 1000, strict: true });
  const send = throttle((command: LookupEventsCommand) => client.send(command));
  let pages = 0;
  await Promise.all(
    lookupSeries().map(async (attribute) => {
      let token: string | undefined;
      try {
        do {
          const out = await send(
            new LookupEventsCommand({
              LookupAttributes: [attribute],
              StartTime: o.window.since,
              EndTime: o.window.until,
              MaxResults: LOOKUP_PAGE_SIZE,
              ...(token ? { NextToken: token } : {}),
            }),
          );
          pages += 1;
          o.onProgress?.(region, pages);
          for (const e of out.Events ?? []) {
            o.sink.records += 1;
            if (e.CloudTrailEvent === undefined) continue;
            let record: unknown;
            try {
              record = JSON.parse(e.CloudTrailEvent);
            } catch {
              continue; // not a record: nothing to keep
            }
            const event = normaliseRecord(record, o.window);
            if (event) o.sink.add(event);
          }
          token = out.NextToken;
        } while (token);
      } catch (err) {
        const e = err as Error;
        o.sink.gap({ region, source: 'lookup', operation: `cloudtrail:LookupEvents ${attribute.AttributeKey}=${attribute.AttributeValue}`, error: `${e.name}: ${redact(e.message ?? '')}` });
      }
    }),
  );
}
