/**
 * Source B: a trail's log files in S3, in CloudTrail's documented layout
 *   <prefix>/AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/<file>.json.gz
 * each a gzipped `{ "Records": [ ... ] }`.
 *
 * Only the window's day folders are listed (one more day after it: a file is
 * filed under the day it was delivered, up to ~15 minutes after its last
 * event). Files are read a few at a time (FILE_CONCURRENCY), each gunzipped
 * as a stream and parsed (readLogFile): memory holds the kept events and at
 * most FILE_CONCURRENCY x BUFFER_LIMIT bytes of files, never all files.
 *
 * A day folder that cannot be listed is a gap for its region, a file that
 * cannot be read or parsed a gap naming its key; the rest is still read.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import parser from 'stream-json/parser.js';
import pick from 'stream-json/filters/pick.js';
import streamArray from 'stream-json/streamers/stream-array.js';
import { InputError } from '../errors.js';
import { redact } from '../redact.js';
import { categoryOf } from './catalogue.js';
import type { TimelineWindow } from './event.js';
import type { TimelineSink } from './group.js';
import { normaliseRecord } from './normalise.js';

export const FILE_CONCURRENCY = 8;
/** Unzipped bytes of one file held at most; beyond, the file is parsed as a stream. */
export const BUFFER_LIMIT = 8 * 1024 * 1024;
const DAY = 86_400_000;

export interface TrailBucket {
  bucket: string;
  /** The key prefix the trail writes under, '' or ending in '/'. */
  prefix: string;
}

/** `s3://bucket` or `s3://bucket/some/prefix` (a trailing slash or none). */
export function parseTrailBucket(value: string): TrailBucket {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(value.trim());
  if (!m) throw InputError.at({ file: '--trail-bucket' }, `must be s3://bucket or s3://bucket/prefix (got '${value}')`);
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { bucket: m[1]!, prefix: prefix === '' ? '' : `${prefix}/` };
}

/** The UTC days whose folders can hold the window's events: since's day to until's, and the day after. */
export function windowDays(window: TimelineWindow): string[] {
  const days: string[] = [];
  const first = Math.floor(window.since.getTime() / DAY) * DAY;
  const last = Math.floor((window.until.getTime() - 1) / DAY) * DAY + DAY;
  for (let t = first; t <= last; t += DAY) days.push(new Date(t).toISOString().slice(0, 10).replace(/-/g, '/'));
  return days;
}

export interface TrailBucketOptions {
  window: TimelineWindow;
  regions: readonly string[];
  accountId: string;
  location: TrailBucket;
  s3: S3Client;
  sink: TimelineSink;
  concurrency?: number;
  bufferLimit?: number;
  onFile?: (key: string) => void;
}

export async function readTrailBucket(o: TrailBucketOptions): Promise<void> {
  const files = pLimit(o.concurrency ?? FILE_CONCURRENCY);
  const lists = pLimit(o.concurrency ?? FILE_CONCURRENCY);
  const reads: Promise<void>[] = [];
  const days = windowDays(o.window);
  await Promise.all(
    o.regions.flatMap((region) =>
      days.map((day) =>
        lists(async () => {
          const prefix = `${o.location.prefix}AWSLogs/${o.accountId}/CloudTrail/${region}/${day}/`;
          try {
            for await (const page of paginateListObjectsV2({ client: o.s3 }, { Bucket: o.location.bucket, Prefix: prefix })) {
              for (const object of page.Contents ?? []) {
                const key = object.Key;
                if (key === undefined || !key.endsWith('.json.gz')) continue;
                reads.push(files(() => readFile(key, region, o)));
              }
            }
          } catch (err) {
            o.sink.gap({ region, source: 'trail-bucket', operation: 's3:ListObjectsV2', error: errorText(err), key: prefix });
          }
        }),
      ),
    ),
  );
  await Promise.all(reads);
}

const errorText = (err: unknown) => {
  const e = err as Error;
  return `${e.name ?? 'Error'}: ${redact(e.message ?? String(err))}`;
};

/** A record is looked at only once its source and name are known: counted, and kept when the timeline keeps such events. */
function isKept(v: unknown, sink: TimelineSink): boolean | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const { eventSource, eventName } = v as { eventSource?: unknown; eventName?: unknown };
  if (typeof eventSource !== 'string' || typeof eventName !== 'string') return undefined;
  sink.records += 1;
  return categoryOf(eventSource, eventName) !== undefined;
}

/**
 * A log file's records into the sink. A file that unzips to at most
 * `bufferLimit` bytes (nearly all: CloudTrail delivers a region's events every
 * few minutes) is parsed at once, JSON.parse being several times faster than
 * any streaming parser; a larger one goes on, from the bytes already read, to
 * stream-json, which assembles one record at a time and drops a record it does
 * not keep as soon as its source and name are read. Either way memory holds
 * at most `bufferLimit` bytes of a file.
 */
export async function readLogFile(body: Readable, o: { window: TimelineWindow; sink: TimelineSink; bufferLimit?: number }): Promise<void> {
  const limit = o.bufferLimit ?? BUFFER_LIMIT;
  const gunzip = createGunzip();
  const unzipping = pipeline(body, gunzip);
  const chunks = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let size = 0;
  let whole = true;
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done) break;
      head.push(next.value);
      size += next.value.length;
      if (size > limit) {
        whole = false;
        break;
      }
    }
  } catch (err) {
    await unzipping.catch(() => {});
    throw err;
  }
  const keep = (record: unknown) => {
    const event = normaliseRecord(record, o.window);
    if (event) o.sink.add(event);
  };
  if (whole) {
    await unzipping;
    const doc = JSON.parse(Buffer.concat(head, size).toString('utf8')) as unknown;
    head.length = 0;
    const records = doc !== null && typeof doc === 'object' ? (doc as { Records?: unknown }).Records : undefined;
    if (Array.isArray(records)) for (const r of records) if (isKept(r, o.sink)) keep(r);
    return;
  }
  async function* rest(): AsyncGenerator<Buffer> {
    while (head.length > 0) yield head.shift()!;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const parsing = Promise.all([
    unzipping,
    pipeline(
      Readable.from(rest()),
      parser.asStream(),
      pick.asStream({ filter: 'Records' }),
      streamArray.asStream({ objectFilter: (asm: { current: unknown }) => isKept(asm.current, o.sink) }),
      async (items: AsyncIterable<{ value: unknown }>) => {
        for await (const item of items) keep(item.value);
      },
    ),
  ]);
  try {
    await parsing;
  } catch (err) {
    body.destroy(); // a file that is not JSON: let go of its connection
    gunzip.destroy();
    throw err;
  }
}

async function readFile(key: string, region: string, o: TrailBucketOptions): Promise<void> {
  try {
    const out = await o.s3.send(new GetObjectCommand({ Bucket: o.location.bucket, Key: key }));
    const body = out.Body as Readable | undefined;
    if (!body) throw new Error('the object has no body');
    await readLogFile(body, o);
    o.onFile?.(key);
  } catch (err) {
    o.sink.gap({ region, source: 'trail-bucket', operation: 's3:GetObject', error: errorText(err), key });
  }
}
