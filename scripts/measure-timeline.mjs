// Measures `rollcall timeline`. Not a test (timings depend on the machine):
// run `npm run build` first, then
//   node scripts/measure-timeline.mjs s3 [records] [regions]
//     seeds the emulator's S3 with a trail's log files in CloudTrail's layout
//     (1,000 records a gzipped file, over `regions` regions and 3 days; 1 in
//     10 records a kept event) and times the built CLI reading them with
//     --trail-bucket, following one exposed key: records/s and peak memory.
//   node scripts/measure-timeline.mjs lookup [writes] [regions]
//     LookupEvents (the emulator lacks it) answered by aws-sdk-client-mock,
//     on the real rate limiter and clock: the calls made per region against
//     the floor (per series, ceil(events/50), at least 1) and the wall time
//     against the floor's calls at 2 per second per region.
// Removes what it writes.
import { runNode } from './run-node.mjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = new URL('../dist/', import.meta.url).href;
const ACCOUNT = '123456789012';
const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-south-1',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1', 'sa-east-1', 'eu-south-1', 'ap-southeast-3', 'af-south-1',
];
const EXPOSED = 'AKIAEXPOSEDKEY000001';

/** Record `i` of a region: 1 in 10 a kept event (the exposed key's CreateAccessKey and the new keys' RunInstances among them), the rest reads. */
function record(region, i, day) {
  const kept = i % 10 === 0;
  const time = `2026-11-0${day + 1}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`;
  const key = kept && i % 1000 === 0 ? EXPOSED : `AKIAUSER${String(i % 500).padStart(12, '0')}`;
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/u${i % 500}`, accountId: ACCOUNT, accessKeyId: key, userName: `u${i % 500}` },
    eventTime: time,
    eventSource: kept ? (i % 20 === 0 ? 'iam.amazonaws.com' : 'ec2.amazonaws.com') : 'ec2.amazonaws.com',
    eventName: kept ? (i % 20 === 0 ? 'CreateAccessKey' : 'RunInstances') : 'DescribeInstances',
    awsRegion: region,
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2023 prompt/off command/ec2.describe-instances',
    requestParameters: kept ? (i % 20 === 0 ? { userName: `u${i % 500}` } : { instancesSet: { items: [{ imageId: 'ami-0abcdef1234567890', minCount: 1, maxCount: 1 }] }, instanceType: 'p3.16xlarge' }) : { instancesSet: {}, filterSet: {} },
    responseElements: kept ? (i % 20 === 0 ? { accessKey: { accessKeyId: `AKIANEW${region.replace(/-/g, '').toUpperCase().slice(0, 6)}${String(i).padStart(7, '0')}`, userName: `u${i % 500}`, status: 'Active' } } : { instancesSet: { items: [{ instanceId: `i-${region.length}${String(i).padStart(16, '0')}` }] } }) : null,
    requestID: `req-${region}-${day}-${i}`,
    eventID: `${region}-${day}-${i}`,
    readOnly: !kept,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
}

const run = (args, env) => runNode(root, args, env);

async function measureS3(records, regionCount) {
  const { startMoto } = await import('./moto.mjs');
  const { S3Client, CreateBucketCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const moto = await startMoto();
  const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-measure-timeline-'));
  try {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAMEASURE000000001';
    process.env.AWS_SECRET_ACCESS_KEY = 'measure';
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'trail' }));
    const regions = REGIONS.slice(0, regionCount);
    const perFile = 1000;
    const files = Math.ceil(records / perFile);
    const started = Date.now();
    let bytes = 0;
    const puts = [];
    for (let f = 0; f < files; f += 1) {
      const region = regions[f % regions.length];
      const day = f % 3;
      const base = Math.floor(f / regions.length) * perFile;
      const body = gzipSync(JSON.stringify({ Records: Array.from({ length: perFile }, (_, j) => record(region, base + j, day)) }));
      bytes += body.length;
      const key = `AWSLogs/${ACCOUNT}/CloudTrail/${region}/2026/11/0${day + 1}/${ACCOUNT}_CloudTrail_${region}_2026110${day + 1}T0000Z_${f}.json.gz`;
      puts.push(s3.send(new PutObjectCommand({ Bucket: 'trail', Key: key, Body: body })));
      if (puts.length >= 8) await puts.shift();
    }
    await Promise.all(puts);
    s3.destroy();
    console.log(`seeded ${files} files (${(bytes / 1e6).toFixed(0)} MB gzipped), ${files * perFile} records over ${regions.length} regions in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const env = { ...process.env, AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: 'us-east-1', ROLLCALL_BENCH_RSS_FILE: path.join(dir, 'rss') };
    const out = path.join(dir, 'timeline.json');
    const t0 = process.hrtime.bigint();
    const r = await run(['--import', './scripts/bench-rss.mjs', 'dist/bin/rollcall.js', 'timeline', '--since', '2026-11-01', '--until', '2026-11-05', '--trail-bucket', 's3://trail', '--regions', regions.join(','), '--key', EXPOSED, '--format', 'json', '-o', out, '-q'], env);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`timeline failed (${r.status}): ${r.stderr.slice(-2000)}`);
    const t = JSON.parse(readFileSync(out, 'utf8'));
    const peakMB = Number(readFileSync(path.join(dir, 'rss'), 'utf8')) / 1024;
    console.log(
      JSON.stringify({ records: t.records, events: t.events, actors: t.actors.length, footholds: t.provenance.footholds.length, attackerEvents: t.provenance.events, seconds: Number(seconds.toFixed(1)), recordsPerSecond: Math.round(t.records / seconds), peakMB: Math.round(peakMB) }),
    );
  } finally {
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureLookup(writes, regionCount) {
  const { CloudTrailClient, LookupEventsCommand } = await import('@aws-sdk/client-cloudtrail');
  const { mockClient } = await import('aws-sdk-client-mock');
  const { readLookupEvents, lookupSeries, LOOKUP_PAGE_SIZE, LOOKUP_REQUESTS_PER_SECOND } = await import(`${dist}timeline/lookup.js`);
  const { TimelineSink } = await import(`${dist}timeline/group.js`);
  const regions = REGIONS.slice(0, regionCount);
  // Per region: `writes` write events; the read-only series: AssumeRole 120, GetSessionToken 7, GetFederationToken 0.
  const readOnly = { AssumeRole: 120, GetSessionToken: 7, GetFederationToken: 0 };
  const countOf = (attribute) => (attribute.AttributeKey === 'ReadOnly' ? writes : readOnly[attribute.AttributeValue] ?? 0);
  const calls = new Map();
  const clients = regions.map((region) => {
    const client = new CloudTrailClient({ region, credentials: { accessKeyId: 'AKIAMEASURE', secretAccessKey: 'x' } });
    mockClient(client)
      .on(LookupEventsCommand)
      .callsFake((input) => {
        calls.set(region, (calls.get(region) ?? 0) + 1);
        const attribute = input.LookupAttributes[0];
        const total = countOf(attribute);
        const from = input.NextToken ? Number(input.NextToken) : 0;
        const n = Math.min(input.MaxResults, total - from);
        const name = attribute.AttributeKey === 'ReadOnly' ? 'CreateUser' : attribute.AttributeValue;
        const Events = Array.from({ length: n }, (_, i) => ({
          EventId: `${region}-${name}-${from + i}`,
          CloudTrailEvent: JSON.stringify(record(region, (from + i) * 10, 0)).replace('"RunInstances"', `"${name === 'CreateUser' ? 'RunInstances' : name}"`),
        }));
        return { Events, ...(from + n < total ? { NextToken: String(from + n) } : {}) };
      });
    return [region, client];
  });
  const byRegion = new Map(clients);
  const sink = new TimelineSink();
  const t0 = process.hrtime.bigint();
  await readLookupEvents({ window: { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-11-02T00:00:00Z') }, regions, cloudtrail: (r) => byRegion.get(r), sink });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const floorPerRegion = lookupSeries().reduce((n, a) => n + Math.max(1, Math.ceil(countOf(a) / LOOKUP_PAGE_SIZE)), 0);
  const made = [...calls.values()];
  console.log(
    JSON.stringify({
      regions: regions.length,
      eventsPerRegion: { writes, ...readOnly },
      callsPerRegion: { min: Math.min(...made), max: Math.max(...made), floor: floorPerRegion },
      callsTotal: made.reduce((a, b) => a + b, 0),
      floorTotal: floorPerRegion * regions.length,
      seconds: Number(seconds.toFixed(1)),
      floorSeconds: (floorPerRegion - 1) / LOOKUP_REQUESTS_PER_SECOND,
      kept: sink.eventCount,
      gaps: sink.gaps.length,
    }),
  );
  for (const [, c] of clients) c.destroy();
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 's3') await measureS3(Number(a ?? 1_000_000), Number(b ?? 20));
else if (mode === 'lookup') await measureLookup(Number(a ?? 1000), Number(b ?? 20));
else {
  console.error('usage: node scripts/measure-timeline.mjs s3 [records] [regions] | lookup [writes] [regions]');
  process.exit(2);
}
