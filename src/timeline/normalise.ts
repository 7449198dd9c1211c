/**
 * A CloudTrail record (one element of a log file's `Records`, or a
 * LookupEvents answer's `CloudTrailEvent`) as a TimelineEvent, or undefined
 * when the timeline does not keep it: not a security-relevant event, outside
 * the window, or not shaped like a record. Records are attacker-influenced
 * JSON: only strings are read, only from the fields named here and in
 * TARGET_PATHS, and nothing else of the record (policy documents, session
 * tokens) is copied.
 */
import { categoryOf, ISSUED_PATHS, TARGET_PATHS } from './catalogue.js';
import type { Actor, IssuedCredential, Subject, TimelineEvent, TimelineWindow } from './event.js';

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

function actorOf(identity: Json, fromConsole: boolean): Actor {
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
    ...(fromConsole ? { console: true as const } : {}),
  };
}

/** The event's targets, each with its kind, once per kind and id, in the catalogue's order. */
function subjectsOf(record: Json, source: string): Subject[] {
  const seen = new Set<string>();
  const out: Subject[] = [];
  for (const p of TARGET_PATHS) {
    const kind = p.bySource !== undefined && Object.hasOwn(p.bySource, source) ? p.bySource[source]! : p.kind;
    for (const id of valuesAt(record, p.path)) {
      const key = `${kind}\u0000${id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ kind, id });
    }
  }
  return out;
}

const first = (record: Json, paths: readonly string[]): string | undefined => {
  for (const p of paths) {
    const v = valuesAt(record, p)[0];
    if (v !== undefined) return v;
  }
  return undefined;
};

const SESSION_CALLS = new Set(['GetSessionToken', 'GetFederationToken', 'AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']);

/** The credential a successful CreateAccessKey, GetSessionToken, GetFederationToken or AssumeRole issued. */
function issuedBy(record: Json, name: string): IssuedCredential | undefined {
  const accessKeyId = first(record, ISSUED_PATHS.accessKeyId);
  if (accessKeyId === undefined) return undefined;
  if (name === 'CreateAccessKey') {
    const owner = first(record, ISSUED_PATHS.owner);
    return { kind: 'accessKey', accessKeyId, ...(owner ? { owner } : {}) };
  }
  if (!SESSION_CALLS.has(name)) return undefined;
  const principal = first(record, ISSUED_PATHS.principal);
  const expiration = first(record, ISSUED_PATHS.expiration);
  return { kind: 'session', accessKeyId, ...(principal ? { principal } : {}), ...(expiration ? { expiration } : {}) };
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
  const subjects = subjectsOf(record, source);
  const targets = [...new Set(subjects.map((t) => t.id))];
  const sourceIp = str(field(record, 'sourceIPAddress'));
  const userAgent = str(field(record, 'userAgent'));
  const errorCode = str(field(record, 'errorCode'));
  const id = str(field(record, 'eventID'));
  const issued = errorCode ? undefined : issuedBy(record, name);
  return {
    time: new Date(at).toISOString(),
    region: str(field(record, 'awsRegion')) ?? 'unknown',
    source,
    name,
    category,
    actor: actorOf(field(record, 'userIdentity'), field(record, 'sessionCredentialFromConsole') === 'true' || field(record, 'sessionCredentialFromConsole') === true),
    ...(sourceIp ? { sourceIp } : {}),
    ...(userAgent ? { userAgent } : {}),
    targets,
    subjects,
    ...(issued ? { issued } : {}),
    ...(errorCode ? { errorCode } : {}),
    ...(id ? { id } : {}),
  };
}
