/**
 * A CloudTrail record (one element of a log file's `Records`, or a
 * LookupEvents answer's `CloudTrailEvent`) as a TimelineEvent, or undefined
 * when the timeline does not keep it: not a security-relevant event, outside
 * the window, or not shaped like a record. Records are attacker-influenced
 * JSON: only strings are read, only from the fields named here and in
 * TARGET_PATHS, and nothing else of the record (policy documents, session
 * tokens) is copied.
 */
import { categoryOf, TARGET_PATHS } from './catalogue.js';
import type { Actor, TimelineEvent, TimelineWindow } from './event.js';

type Json = unknown;

const str = (v: Json): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const field = (v: Json, key: string): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, key) ? (v as Record<string, Json>)[key] : undefined);

/** The strings at a dotted path, `[]` walking an array. */
export function valuesAt(record: Json, path: string): string[] {
  let current: Json[] = [record];
  for (const part of path.split('.')) {
    const walk = part.endsWith('[]');
    const key = walk ? part.slice(0, -2) : part;
    current = current.flatMap((v) => {
      const next = field(v, key);
      if (walk) return Array.isArray(next) ? next : [];
      return next === undefined ? [] : [next];
    });
  }
  return current.flatMap((v) => (str(v) !== undefined ? [v as string] : []));
}

function actorOf(identity: Json): Actor {
  const arn = str(field(identity, 'arn'));
  const accessKeyId = str(field(identity, 'accessKeyId'));
  const issuer = str(field(field(field(identity, 'sessionContext'), 'sessionIssuer'), 'arn'));
  const invokedBy = str(field(identity, 'invokedBy'));
  return {
    type: str(field(identity, 'type')) ?? 'Unknown',
    ...(arn ? { arn } : {}),
    ...(accessKeyId ? { accessKeyId } : {}),
    ...(issuer && issuer !== arn ? { issuer } : {}),
    ...(invokedBy ? { invokedBy } : {}),
  };
}

export function normaliseRecord(record: Json, window: TimelineWindow): TimelineEvent | undefined {
  const source = str(field(record, 'eventSource'));
  const name = str(field(record, 'eventName'));
  const time = str(field(record, 'eventTime'));
  if (!source || !name || !time) return undefined;
  const category = categoryOf(source, name);
  if (!category) return undefined;
  const at = Date.parse(time);
  if (Number.isNaN(at) || at < window.since.getTime() || at >= window.until.getTime()) return undefined;
  const targets = [...new Set(TARGET_PATHS.flatMap((p) => valuesAt(record, p)))];
  const sourceIp = str(field(record, 'sourceIPAddress'));
  const userAgent = str(field(record, 'userAgent'));
  const errorCode = str(field(record, 'errorCode'));
  const id = str(field(record, 'eventID'));
  return {
    time: new Date(at).toISOString(),
    region: str(field(record, 'awsRegion')) ?? 'unknown',
    source,
    name,
    category,
    actor: actorOf(field(record, 'userIdentity')),
    ...(sourceIp ? { sourceIp } : {}),
    ...(userAgent ? { userAgent } : {}),
    targets,
    ...(errorCode ? { errorCode } : {}),
    ...(id ? { id } : {}),
  };
}
