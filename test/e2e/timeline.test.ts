/**
 * `rollcall timeline --trail-bucket` with the built CLI against the
 * emulator's S3: JSON to a file (whole, schema-shaped), Markdown to stdout
 * with a hostile user agent escaped, and a file that cannot be read listed as
 * a gap with exit 4. (LookupEvents, which the emulator lacks, is tested with
 * mocks in test/unit/timeline/lookup.test.ts.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ctRecord } from '../helpers/cloudtrail-records.js';
import { resetEmulator } from '../helpers/emulator.js';
import { ACCOUNT } from '../helpers/resources.js';
import { tempDir } from '../helpers/temp.js';
import { loadTimeline } from '../../src/load/timeline.js';

const BUCKET = 'trail-logs';
const key = (region: string, n: number) => `AWSLogs/${ACCOUNT}/CloudTrail/${region}/2026/11/01/${ACCOUNT}_CloudTrail_${region}_20261101T0000Z_${n}.json.gz`;
const ARGS = ['timeline', '--since', '2026-11-01', '--until', '2026-11-02', '--trail-bucket', `s3://${BUCKET}`, '--regions', 'us-east-1,eu-west-1', '-q'];

let s3: S3Client;
beforeEach(async () => {
  await resetEmulator();
  s3 = new S3Client({ region: 'us-east-1', forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const records = [
    ctRecord({ time: '2026-11-01T07:00:00Z', source: 'cloudtrail.amazonaws.com', name: 'StopLogging', request: { name: 'main' } }),
    ctRecord({ time: '2026-11-01T07:05:00Z', region: 'eu-west-1', source: 'ec2.amazonaws.com', name: 'RunInstances', agent: '<img src=x onerror=alert(1)>\n# pwned', response: { instancesSet: { items: [{ instanceId: 'i-0abc' }] } } }),
    ctRecord({ time: '2026-11-01T07:06:00Z', source: 'ec2.amazonaws.com', name: 'DescribeInstances' }),
  ];
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key('us-east-1', 1), Body: gzipSync(JSON.stringify({ Records: records })) }));
});
afterEach(() => s3.destroy());

describe('rollcall timeline', () => {
  it('writes the JSON timeline to a file and the escaped Markdown to stdout; exit 0', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'timeline.json');
    const json = await runCli([...ARGS, '--format', 'json', '-o', out]);
    expect(json.code, json.stderr).toBe(0);
    const t = JSON.parse(readFileSync(out, 'utf8')) as { complete: boolean; events: number; records: number; actors: { key: string; events: { name: string; userAgent?: string }[] }[] };
    expect(t).toMatchObject({ complete: true, events: 2, records: 3 });
    expect(t.actors).toHaveLength(1);
    expect(t.actors[0]!.events.map((e) => e.name)).toEqual(['StopLogging', 'RunInstances']);
    expect(t.actors[0]!.events[1]!.userAgent).toBe('<img src=x onerror=alert(1)>\n# pwned');

    const md = await runCli(ARGS);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain(`## arn:aws:iam::${ACCOUNT}:user/mallory`);
    expect(md.stdout).toContain('`<img src=x onerror=alert(1)> # pwned`');
    expect(md.stdout).not.toMatch(/^# pwned/m);
  });

  it('a log file that cannot be read is a gap in the output, with exit 4', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key('eu-west-1', 2), Body: 'not gzip' }));
    const md = await runCli(ARGS);
    expect(md.code, md.stderr).toBe(4);
    expect(md.stdout).toContain('## Gaps: events not read');
    expect(md.stdout).toContain(key('eu-west-1', 2));
  });

  it("follows the baseline's exposed key through the key it made (window from the incident), schema-valid; a bad --key is refused", async () => {
    const followed = [
      ctRecord({ time: '2026-11-01T08:00:00Z', source: 'iam.amazonaws.com', name: 'CreateAccessKey', request: { userName: 'svc' }, response: { accessKey: { accessKeyId: 'AKIABACKDOOR00000001', userName: 'svc', secretAccessKey: 'NEVER-PRINTED' } } }),
      ctRecord({ time: '2026-11-01T09:00:00Z', region: 'eu-west-1', source: 'ec2.amazonaws.com', name: 'RunInstances', user: 'svc', keyId: 'AKIABACKDOOR00000001', response: { instancesSet: { items: [{ instanceId: 'i-0def' }] } } }),
      ctRecord({ time: '2026-11-01T09:30:00Z', source: 'iam.amazonaws.com', name: 'CreateUser', user: 'admin', keyId: 'AKIAADMIN00000000001', request: { userName: 'carol' } }),
    ];
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key('eu-west-1', 3), Body: gzipSync(JSON.stringify({ Records: followed })) }));
    const dir = tempDir();
    const baseline = path.join(dir, 'baseline.yaml');
    writeFileSync(baseline, `version: 1\naccount: { id: "${ACCOUNT}" }\nincident:\n  since: 2026-11-01T00:00:00Z\n  until: 2026-11-02T00:00:00Z\n  exposedKeys: [AKIAEXPOSED0000000001]\n`);
    const out = path.join(dir, 'timeline.json');
    const args = ['timeline', '-b', baseline, '--trail-bucket', `s3://${BUCKET}`, '--regions', 'us-east-1,eu-west-1', '-q'];
    const json = await runCli([...args, '--format', 'json', '-o', out]);
    expect(json.code, json.stderr).toBe(0);
    const t = loadTimeline(out);
    expect(t.window).toEqual({ since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z' });
    expect(t.provenance!.footholds.map((f) => [f.kind, f.id, f.hop])).toEqual([
      ['exposedKey', 'AKIAEXPOSED0000000001', 0],
      ['workload', 'i-0abc', 1],
      ['accessKey', 'AKIABACKDOOR00000001', 1],
      ['workload', 'i-0def', 2],
    ]);
    expect(t.provenance!.events).toBe(4);
    const marked = t.actors.flatMap((a) => a.events).filter((e) => e.attacker).map((e) => e.name);
    expect(marked.sort()).toEqual(['CreateAccessKey', 'RunInstances', 'RunInstances', 'StopLogging']);
    expect(readFileSync(out, 'utf8')).not.toContain('NEVER-PRINTED');

    const md = await runCli(args);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('## What the exposed keys did');
    expect(md.stdout).toMatch(/\| 1 \| `AKIABACKDOOR00000001` \| access key it created \|/);
    expect(md.stdout).not.toContain('NEVER-PRINTED');

    const bad = await runCli(['timeline', '--since', '2026-11-01', '--key', 'AKIA$(reboot)', '--trail-bucket', `s3://${BUCKET}`, '-q']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--key');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const none = await runCli(['timeline', '--trail-bucket', `s3://${BUCKET}`, '-q']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--since');
  });
});
