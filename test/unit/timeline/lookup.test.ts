/**
 * LookupEvents (the emulator does not implement it), on mocks: one lookup
 * attribute per call, 50 a page, paged with NextToken, at most 2 requests per
 * second per region (counted on fake timers, never on the wall clock), and a
 * region that fails is a gap while the others are read.
 */
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimelineSink } from '../../../src/timeline/group.js';
import { lookupSeries, readLookupEvents } from '../../../src/timeline/lookup.js';
import { timelineFor, type TimelineClients } from '../../../src/timeline/timeline.js';
import { ctRecord } from '../../helpers/cloudtrail-records.js';
import { awsError } from '../../helpers/regional.js';

const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-11-02T00:00:00Z') };

/** `n` events as LookupEvents answers them: half kept (CreateUser), half not (DescribeInstances). */
function events(n: number, region: string, from: number) {
  return Array.from({ length: n }, (_, i) => {
    const kept = (from + i) % 2 === 0;
    const rec = ctRecord({ time: '2026-11-01T10:00:00Z', region, source: kept ? 'iam.amazonaws.com' : 'ec2.amazonaws.com', name: kept ? 'CreateUser' : 'TerminateInstances', id: `${region}-${from + i}`, request: { userName: `u${from + i}` } });
    return { EventId: `${region}-${from + i}`, CloudTrailEvent: JSON.stringify(rec) };
  });
}

const clients: CloudTrailClient[] = [];
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  for (const c of clients.splice(0)) c.destroy();
});

/** A region whose ReadOnly=false series has `writes` events (paged by 50) and whose read-only series have none. */
function region(name: string, writes: number, o: { fail?: boolean } = {}) {
  const client = new CloudTrailClient({ region: name });
  clients.push(client);
  const mock = mockClient(client);
  mock.on(LookupEventsCommand).callsFake((input: LookupEventsCommandInput) => {
    const attribute = input.LookupAttributes![0]!;
    if (o.fail && attribute.AttributeKey === 'ReadOnly') throw awsError('AccessDeniedException', 'not allowed in this region');
    if (attribute.AttributeKey !== 'ReadOnly') return { Events: [] };
    const from = input.NextToken ? Number(input.NextToken) : 0;
    const n = Math.min(50, writes - from);
    return { Events: events(n, name, from), ...(from + n < writes ? { NextToken: String(from + n) } : {}) };
  });
  return { client, mock };
}

const callsOf = (mock: ReturnType<typeof mockClient>) => mock.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);

describe('LookupEvents', () => {
  it('asks one attribute a call, 50 a page, and follows NextToken to the last page', async () => {
    const east = region('us-east-1', 110);
    const sink = new TimelineSink();
    const done = readLookupEvents({ window: WINDOW, regions: ['us-east-1'], cloudtrail: () => east.client, sink });
    await vi.runAllTimersAsync();
    await done;
    const calls = callsOf(east.mock);
    // ceil(110/50) = 3 pages of writes, and one (empty) page for each read-only kept name.
    expect(calls).toHaveLength(3 + lookupSeries().length - 1);
    for (const c of calls) {
      expect(c.LookupAttributes).toHaveLength(1);
      expect(c.MaxResults).toBe(50);
      expect(c.StartTime).toEqual(WINDOW.since);
      expect(c.EndTime).toEqual(WINDOW.until);
    }
    const writes = calls.filter((c) => c.LookupAttributes![0]!.AttributeKey === 'ReadOnly');
    expect(writes.map((c) => c.NextToken)).toEqual([undefined, '50', '100']);
    expect(calls.filter((c) => c.LookupAttributes![0]!.AttributeKey === 'EventName').map((c) => c.LookupAttributes![0]!.AttributeValue).sort()).toEqual(['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetFederationToken', 'GetSessionToken']);
    expect(sink.records).toBe(110);
    expect(sink.eventCount).toBe(55);
    expect(sink.gaps).toEqual([]);
  });

  it('sends at most 2 requests per second in each region, the regions in parallel', async () => {
    const east = region('us-east-1', 200); // 4 pages + 5 read-only series = 9 calls
    const west = region('eu-west-1', 40); // 1 page + 5 = 6 calls
    const byRegion: Record<string, CloudTrailClient> = { 'us-east-1': east.client, 'eu-west-1': west.client };
    const sent: Record<string, number[]> = { 'us-east-1': [], 'eu-west-1': [] };
    const sink = new TimelineSink();
    const done = readLookupEvents({
      window: WINDOW,
      regions: ['us-east-1', 'eu-west-1'],
      cloudtrail: (r) => {
        const c = byRegion[r]!;
        // The fake clock's time of each request, as the region's endpoint would see it.
        return { send: (command: LookupEventsCommand) => (sent[r]!.push(Date.now()), c.send(command)) } as unknown as CloudTrailClient;
      },
      sink,
    });
    const start = Date.now();
    await vi.advanceTimersByTimeAsync(0);
    // Both regions start at once, two requests each, and no more until a second has passed.
    expect([sent['us-east-1']!.length, sent['eu-west-1']!.length]).toEqual([2, 2]);
    await vi.advanceTimersByTimeAsync(999);
    expect([sent['us-east-1']!.length, sent['eu-west-1']!.length]).toEqual([2, 2]);
    await vi.runAllTimersAsync();
    await done;
    expect([sent['us-east-1']!.length, sent['eu-west-1']!.length]).toEqual([9, 6]);
    for (const times of Object.values(sent)) {
      // Any three requests of one region span at least a second: never more than 2 in one second.
      for (let i = 2; i < times.length; i++) expect(times[i]! - times[i - 2]!, `request ${i}`).toBeGreaterThanOrEqual(1000);
    }
    // And the limiter does not idle: 9 requests at 2 a second end within 5 seconds of the start.
    expect(sent['us-east-1']!.at(-1)! - start).toBeLessThan(5000);
    expect(sink.records).toBe(240);
  });

  it('a region that refuses is a gap naming the region and the series; the other regions are read', async () => {
    const east = region('us-east-1', 10);
    const west = region('eu-west-1', 10, { fail: true });
    const byRegion: Record<string, CloudTrailClient> = { 'us-east-1': east.client, 'eu-west-1': west.client };
    const sink = new TimelineSink();
    const done = readLookupEvents({ window: WINDOW, regions: ['us-east-1', 'eu-west-1'], cloudtrail: (r) => byRegion[r]!, sink });
    await vi.runAllTimersAsync();
    await done;
    expect(sink.gaps).toEqual([{ region: 'eu-west-1', source: 'lookup', operation: 'cloudtrail:LookupEvents ReadOnly=false', error: 'AccessDeniedException: not allowed in this region' }]);
    expect(sink.eventCount).toBe(5);
  });

  it("a window older than the event history's 90 days is read, and reported, from where the history starts", async () => {
    const east = region('us-east-1', 3);
    const now = new Date('2027-01-30T12:00:00Z'); // the history starts 2026-11-01T12:00Z, inside the window
    const clients = {
      ec2: () => {
        throw new Error('no EC2 call');
      },
      cloudtrail: () => east.client,
      s3: () => {
        throw new Error('no S3 call');
      },
      options: { region: 'us-east-1' },
      counter: { snapshot: () => ({}) },
    } as unknown as TimelineClients;
    const done = timelineFor(clients, '123456789012', ['us-east-1'], [], { window: WINDOW, now });
    await vi.runAllTimersAsync();
    const result = await done;
    const oldest = new Date(now.getTime() - 90 * 86_400_000);
    expect(result.window).toEqual({ since: oldest.toISOString(), until: WINDOW.until.toISOString() });
    for (const c of callsOf(east.mock)) expect(c.StartTime).toEqual(oldest);
    expect(result.notes.some((n) => n.includes('keeps 90 days') && n.includes(WINDOW.since.toISOString()))).toBe(true);
  });
});
