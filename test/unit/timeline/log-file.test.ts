/**
 * One trail log file, read both ways: at once when it unzips within the
 * buffer limit, as a stream beyond it. Both keep the same events and count
 * the same records; a file that is not gzipped JSON fails (its caller makes it
 * a gap).
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TimelineSink } from '../../../src/timeline/group.js';
import { readLogFile } from '../../../src/timeline/trail-bucket.js';
import { ctRecord } from '../../helpers/cloudtrail-records.js';

const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-11-02T00:00:00Z') };

function file(): Buffer {
  const records = Array.from({ length: 400 }, (_, i) =>
    ctRecord({ time: `2026-11-0${i % 3 === 0 ? 2 : 1}T10:00:00Z`, source: i % 4 === 0 ? 'iam.amazonaws.com' : 'ec2.amazonaws.com', name: i % 4 === 0 ? 'CreateUser' : 'DescribeInstances', request: { userName: `u${i}` }, id: `e${i}` }),
  );
  return gzipSync(JSON.stringify({ Records: records }));
}

/** The body as S3 hands it over: a stream of small chunks. */
const body = (buf: Buffer) => Readable.from(Array.from({ length: Math.ceil(buf.length / 1000) }, (_, i) => buf.subarray(i * 1000, (i + 1) * 1000)));

async function read(buf: Buffer, bufferLimit?: number) {
  const sink = new TimelineSink();
  await readLogFile(body(buf), { window: WINDOW, sink, ...(bufferLimit !== undefined ? { bufferLimit } : {}) });
  return sink;
}

describe('a trail log file', () => {
  it('is read alike whole or as a stream: the same events, the same records counted', async () => {
    const buf = file();
    const whole = await read(buf);
    const streamed = await read(buf, 4096);
    // 100 CreateUser, a third of them (i % 3 === 0) on the day after the window.
    expect(whole.eventCount).toBe(66);
    expect(whole.records).toBe(400);
    expect(streamed.records).toBe(400);
    expect(streamed.grouped()).toEqual(whole.grouped());
  });

  it('a file that is not gzip, or not JSON, fails either way', async () => {
    await expect(read(Buffer.from('not gzip at all'))).rejects.toThrow();
    const notJson = gzipSync('{"Records": [{"eventSource": "iam.amazonaws.com", "eventName": "CreateUser", ' + 'x'.repeat(10_000));
    await expect(read(notJson)).rejects.toThrow();
    await expect(read(notJson, 1024)).rejects.toThrow();
  });

  it('a JSON file without Records holds no events', async () => {
    expect((await read(gzipSync('{"digest": 1}'))).eventCount).toBe(0);
    expect((await read(gzipSync(`{"digest": "${'x'.repeat(5000)}"}`), 1024)).eventCount).toBe(0);
  });
});
