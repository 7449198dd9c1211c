/**
 * The timeline from a trail's log files in the emulator's S3: gzipped files
 * in CloudTrail's layout and record format, for several regions and days.
 * Only the window's day folders (and the day after) of the scanned regions
 * are read; records are filtered to the window and to the kept events; a
 * file that is not gzipped JSON is a gap naming its key, the rest is read.
 */
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { permissionsPolicy } from '../../src/commands/permissions.js';
import { ACTION_OF_OPERATION } from '../../src/timeline/permissions.js';
import { timelineJson } from '../../src/timeline/render.js';
import { buildTimeline } from '../../src/timeline/timeline.js';
import { parseTrailBucket } from '../../src/timeline/trail-bucket.js';
import { ctRecord, type RecordSpec } from '../helpers/cloudtrail-records.js';
import { resetEmulator } from '../helpers/emulator.js';
import { ACCOUNT } from '../helpers/resources.js';

const BUCKET = 'org-trail-logs';
const PREFIX = 'trails/main';
const WINDOW = { since: new Date('2026-11-01T06:00:00Z'), until: new Date('2026-11-03T00:00:00Z') };

let s3: S3Client;
let clients: AwsClients | undefined;
beforeEach(async () => {
  await resetEmulator();
  s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterEach(() => {
  s3.destroy();
  clients?.destroy();
  clients = undefined;
});

const keyOf = (region: string, day: string, n: number) => `${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail/${region}/${day}/${ACCOUNT}_CloudTrail_${region}_${day.replace(/\//g, '')}T0000Z_${n}.json.gz`;

async function logFile(region: string, day: string, n: number, records: RecordSpec[]): Promise<void> {
  const body = gzipSync(JSON.stringify({ Records: records.map((r) => ctRecord({ region, ...r })) }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: keyOf(region, day, n), Body: body }));
}

/** Noise CloudTrail records by the thousand: reads the timeline drops. */
const noise = (time: string, n: number): RecordSpec[] => Array.from({ length: n }, () => ({ time, source: 'ec2.amazonaws.com', name: 'DescribeInstances', readOnly: true }));

describe('timeline from the trail bucket', () => {
  it('reads the window from several regions and days, by actor, and names an unreadable file as a gap', async () => {
    // Before the window (same day folder): dropped by time.
    await logFile('us-east-1', '2026/11/01', 1, [{ time: '2026-11-01T05:59:59Z', source: 'iam.amazonaws.com', name: 'CreateUser', request: { userName: 'early' } }]);
    // In the window: the exposed key stops logging, makes a user and a key, and starts instances in two regions.
    await logFile('us-east-1', '2026/11/01', 2, [
      ...noise('2026-11-01T07:00:00Z', 300),
      { time: '2026-11-01T07:00:00Z', source: 'cloudtrail.amazonaws.com', name: 'StopLogging', request: { name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` } },
      { time: '2026-11-01T07:05:00Z', source: 'iam.amazonaws.com', name: 'CreateUser', request: { userName: 'backdoor' }, response: { user: { arn: `arn:aws:iam::${ACCOUNT}:user/backdoor` } } },
      { time: '2026-11-01T07:06:00Z', source: 'iam.amazonaws.com', name: 'CreateAccessKey', request: { userName: 'backdoor' }, response: { accessKey: { accessKeyId: 'AKIABACKDOOR00000001', userName: 'backdoor' } } },
    ]);
    await logFile('eu-west-1', '2026/11/02', 1, [
      { time: '2026-11-02T09:00:00Z', source: 'ec2.amazonaws.com', name: 'RunInstances', user: 'backdoor', keyId: 'AKIABACKDOOR00000001', response: { instancesSet: { items: [{ instanceId: 'i-0aaa' }] } } },
      ...noise('2026-11-02T09:00:00Z', 200),
    ]);
    // Delivered the day after the window ends, holding its last minutes: read.
    await logFile('ap-south-1', '2026/11/03', 1, [
      { time: '2026-11-02T23:58:00Z', source: 'ec2.amazonaws.com', name: 'RunInstances', user: 'backdoor', keyId: 'AKIABACKDOOR00000001', response: { instancesSet: { items: [{ instanceId: 'i-0bbb' }] } } },
      { time: '2026-11-03T00:01:00Z', source: 'ec2.amazonaws.com', name: 'RunInstances', user: 'backdoor', keyId: 'AKIABACKDOOR00000001' },
    ]);
    // A folder outside the window is never listed, whatever its records claim.
    await logFile('us-east-1', '2026/10/31', 1, [{ time: '2026-11-01T08:00:00Z', source: 'iam.amazonaws.com', name: 'CreateUser', request: { userName: 'misfiled' } }]);
    // A region the scan leaves out.
    await logFile('sa-east-1', '2026/11/01', 1, [{ time: '2026-11-01T08:00:00Z', source: 'iam.amazonaws.com', name: 'CreateUser', request: { userName: 'elsewhere' } }]);
    // Not gzip.
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: keyOf('eu-west-1', '2026/11/01', 9), Body: 'not gzip' }));

    clients = new AwsClients(DEFAULT_CLIENT_OPTIONS);
    const result = await buildTimeline(clients, { window: WINDOW, now: new Date('2026-11-10T00:00:00Z'), regions: ['us-east-1', 'eu-west-1', 'ap-south-1'], trailBucket: parseTrailBucket(`s3://${BUCKET}/${PREFIX}/`) });

    expect(result.accountId).toBe(ACCOUNT);
    expect(result.regions).toEqual(['ap-south-1', 'eu-west-1', 'us-east-1']);
    const mallory = result.groups.find((g) => g.key === `arn:aws:iam::${ACCOUNT}:user/mallory`)!;
    expect(mallory.events.map((e) => [e.time, e.region, e.name, e.targets])).toEqual([
      ['2026-11-01T07:00:00.000Z', 'us-east-1', 'StopLogging', [`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`]],
      ['2026-11-01T07:05:00.000Z', 'us-east-1', 'CreateUser', ['backdoor', `arn:aws:iam::${ACCOUNT}:user/backdoor`]],
      ['2026-11-01T07:06:00.000Z', 'us-east-1', 'CreateAccessKey', ['backdoor', 'AKIABACKDOOR00000001']],
    ]);
    const backdoor = result.groups.find((g) => g.key === `arn:aws:iam::${ACCOUNT}:user/backdoor`)!;
    expect(backdoor.accessKeyIds).toEqual(['AKIABACKDOOR00000001']);
    expect(backdoor.events.map((e) => [e.region, e.name, e.targets])).toEqual([
      ['eu-west-1', 'RunInstances', ['i-0aaa']],
      ['ap-south-1', 'RunInstances', ['i-0bbb']],
    ]);
    expect(result.groups).toHaveLength(2);
    expect(result.events).toBe(5);
    // Every record of the files read was counted, kept or not (the misfiled and the left-out ones were not read).
    expect(result.records).toBe(1 + 303 + 201 + 2);
    expect(result.gaps).toEqual([{ region: 'eu-west-1', source: 'trail-bucket', operation: 's3:GetObject', error: expect.any(String) as string, key: keyOf('eu-west-1', '2026/11/01', 9) }]);

    // Every call made is granted by `rollcall permissions timeline`.
    const granted = new Set<string>(permissionsPolicy('timeline').Statement[0]!.Action);
    expect(Object.keys(clients.counter.snapshot()).map((op) => ACTION_OF_OPERATION[op] ?? op).filter((a) => !granted.has(a))).toEqual([]);

    const json = JSON.parse([...timelineJson(result)].join('')) as { complete: boolean; source: unknown };
    expect(json.complete).toBe(false);
    expect(json.source).toEqual({ kind: 'trail-bucket', bucket: BUCKET, prefix: `${PREFIX}/` });
  });

  it('a bucket that cannot be listed is a gap for every region, never an empty timeline', async () => {
    clients = new AwsClients(DEFAULT_CLIENT_OPTIONS);
    const result = await buildTimeline(clients, { window: WINDOW, now: new Date('2026-11-10T00:00:00Z'), regions: ['us-east-1', 'eu-west-1'], trailBucket: parseTrailBucket('s3://no-such-bucket-here') });
    expect(result.events).toBe(0);
    expect([...new Set(result.gaps.map((g) => `${g.region} ${g.operation}`))]).toEqual(['eu-west-1 s3:ListObjectsV2', 'us-east-1 s3:ListObjectsV2']);
    expect(result.gaps.every((g) => g.error.startsWith('NoSuchBucket'))).toBe(true);
  });

  it("reads the partition's IAM event region too when --regions leaves it out, and says so", async () => {
    clients = new AwsClients(DEFAULT_CLIENT_OPTIONS);
    const result = await buildTimeline(clients, { window: WINDOW, now: new Date('2026-11-10T00:00:00Z'), regions: ['eu-west-1'], trailBucket: parseTrailBucket('s3://no-such-bucket-here') });
    expect(result.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(result.notes.some((n) => n.startsWith("us-east-1 is read too: CloudTrail records IAM's events"))).toBe(true);
  });
});
