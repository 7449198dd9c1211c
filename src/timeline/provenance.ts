/**
 * Provenance: from the exposed access keys, everything the attacker came to
 * hold and everything it did with it, followed to a fixed point.
 *
 * A foothold is something whose calls are the attacker's:
 * - `exposedKey`: a seed (incident.exposedKeys, --key);
 * - `accessKey`: a key an attacker's call made (CreateAccessKey);
 * - `session`: a session an attacker's call obtained (GetSessionToken,
 *   GetFederationToken, AssumeRole, chained as deep as it goes);
 * - `user`: a user an attacker's call created: every call it makes, with any
 *   key, is the attacker's;
 * - `console`: a user whose password an attacker's call set
 *   (CreateLoginProfile, UpdateLoginProfile): from then on, its console
 *   sign-ins and console sessions are the attacker's (its own long-term keys
 *   are not: they are the owner's, unless one is a foothold itself);
 * - `workload`: an instance or a function an attacker's call launched: the
 *   sessions of its role (`assumed-role/ROLE/i-...`, `.../FUNCTION`) are the
 *   attacker's.
 * An attacker's event can give new footholds; their events can give more.
 * The walk repeats until a pass finds nothing new, so the order events were
 * read in does not matter.
 *
 * Pure: no I/O, linear in the events per pass (passes: at most the longest
 * chain of hops). Every string is CloudTrail's: attacker data.
 */
import type { Subject, TimelineEvent } from './event.js';

export type FootholdKind = 'exposedKey' | 'accessKey' | 'session' | 'user' | 'console' | 'workload';

export interface Foothold {
  kind: FootholdKind;
  /** An access key id (exposedKey, accessKey, session), a user's name (user, console), an instance id or function name (workload). */
  id: string;
  /** Steps from an exposed key: 0 for a seed. */
  hop: number;
  /** The attacker's event that gave it (absent for a seed). */
  via?: TimelineEvent;
  /** The foothold whose event gave it (`kind:id`). */
  from?: string;
  /** A user foothold's ARN, when the event that gave it named one. */
  arn?: string;
  /** A console foothold counts from this time on (ISO-8601). */
  since?: string;
}

/** A session an attacker's call obtained: what it takes to end it (DESIGN: revoke a role's sessions, deny a user, or wait). */
export interface AttackerSession {
  accessKeyId: string;
  /** The call that issued it. */
  how: 'AssumeRole' | 'GetSessionToken' | 'GetFederationToken';
  event: TimelineEvent;
  /** AssumeRole: the role's ARN (or name) whose sessions a revocation must cover. */
  role?: string;
  /** GetSessionToken, GetFederationToken by an IAM user: the user's ARN (its deny policies bind the session too). */
  user?: string;
  /** Obtained with the root user's credentials: no IAM policy can end it; only its expiry (or AWS) does. */
  root: boolean;
  /** The session's ARN (assumed role session, federated user). */
  principal?: string;
  /** When the session ends, as the record says (ISO-8601). */
  expiration?: string;
  /**
   * The instance or function the attacker launched whose role's session this
   * is (AWS assumed the role for it: no STS event of the attacker's gave it;
   * `event` is the session's first call seen, and when it ends is unknown).
   */
  workload?: string;
}

export interface Provenance {
  seeds: string[];
  /** Seeds no event in the timeline was signed with. */
  unseenSeeds: string[];
  /** In the order they were found (seeds first). */
  footholds: Foothold[];
  /** The attacker's events, in time order. */
  events: TimelineEvent[];
  sessions: AttackerSession[];
  /** The foothold an event is the attacker's through, if it is. */
  attackerOf(event: TimelineEvent): Foothold | undefined;
}

const footholdKey = (f: Pick<Foothold, 'kind' | 'id'>) => `${f.kind}:${f.id}`;

/** The last segment of an ARN's resource (`user/path/alice` -> `alice`). */
const lastSegment = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

const byTime = (a: TimelineEvent, b: TimelineEvent) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0);

const subjectsOf = (e: TimelineEvent, kind: Subject['kind']) => e.subjects.filter((s) => s.kind === kind).map((s) => s.id);

/** Long-term access keys (a user's or root's) start AKIA; sessions ASIA. */
const isLongTermKey = (id: string) => id.startsWith('AKIA');

export function traceProvenance(events: Iterable<TimelineEvent>, seeds: readonly string[]): Provenance {
  const all = [...events].sort(byTime);
  const footholds: Foothold[] = [];
  const known = new Map<string, Foothold>();
  /** Access key id -> foothold (exposedKey, accessKey, session). */
  const keys = new Map<string, Foothold>();
  /** User name -> foothold (user). */
  const users = new Map<string, Foothold>();
  /** User name -> foothold (console). */
  const consoles = new Map<string, Foothold>();
  /** Instance id or function name -> foothold (workload). */
  const workloads = new Map<string, Foothold>();
  const sessions: AttackerSession[] = [];

  const add = (f: Foothold): boolean => {
    const k = footholdKey(f);
    const had = known.get(k);
    // A console foothold found again earlier in time counts from the earlier time.
    if (had) {
      if (had.kind === 'console' && f.since !== undefined && had.since !== undefined && f.since < had.since) {
        had.since = f.since;
        if (f.via) had.via = f.via;
        return true;
      }
      return false;
    }
    known.set(k, f);
    footholds.push(f);
    if (f.kind === 'exposedKey' || f.kind === 'accessKey' || f.kind === 'session') keys.set(f.id, f);
    else if (f.kind === 'user') users.set(f.id, f);
    else if (f.kind === 'console') consoles.set(f.id, f);
    else workloads.set(f.id, f);
    return true;
  };
  for (const s of new Set(seeds)) add({ kind: 'exposedKey', id: s, hop: 0 });

  /** The foothold an event's caller is, if any. */
  const match = (e: TimelineEvent): Foothold | undefined => {
    const a = e.actor;
    if (a.accessKeyId !== undefined) {
      const f = keys.get(a.accessKeyId);
      if (f) return f;
    }
    if (a.arn === undefined) return undefined;
    const name = lastSegment(a.arn);
    if (a.type === 'IAMUser') {
      const u = users.get(name);
      if (u && (u.arn === undefined || u.arn === a.arn)) return u;
      const c = consoles.get(name);
      if (c && c.since !== undefined && e.time >= c.since && (a.accessKeyId === undefined || !isLongTermKey(a.accessKeyId))) return c;
    }
    if (a.type === 'AssumedRole') {
      const w = workloads.get(name);
      if (w && w.since !== undefined && e.time >= w.since) return w;
    }
    return undefined;
  };

  /** The footholds an attacker's event gives, and the session it obtained. */
  const gains = (e: TimelineEvent, by: Foothold): boolean => {
    if (e.errorCode !== undefined) return false;
    const next = { hop: by.hop + 1, via: e, from: footholdKey(by) };
    let grew = false;
    if (e.issued) {
      grew = add({ kind: e.issued.kind === 'accessKey' ? 'accessKey' : 'session', id: e.issued.accessKeyId, ...next }) || grew;
      if (e.issued.kind === 'session' && !sessions.some((s) => s.accessKeyId === e.issued!.accessKeyId)) sessions.push(sessionOf(e));
    }
    if (e.source === 'iam.amazonaws.com') {
      if (e.name === 'CreateUser') {
        const arn = subjectsOf(e, 'user').find((u) => u.startsWith('arn:'));
        for (const u of subjectsOf(e, 'user').filter((u) => !u.startsWith('arn:'))) grew = add({ kind: 'user', id: u, ...next, ...(arn ? { arn } : {}) }) || grew;
      }
      if (e.name === 'CreateLoginProfile' || e.name === 'UpdateLoginProfile') {
        for (const u of subjectsOf(e, 'user')) grew = add({ kind: 'console', id: u, ...next, since: e.time }) || grew;
      }
    }
    if (e.name === 'RunInstances') for (const i of subjectsOf(e, 'instance')) grew = add({ kind: 'workload', id: i, ...next, since: e.time }) || grew;
    if (e.source === 'lambda.amazonaws.com' && e.name.startsWith('CreateFunction')) {
      for (const fn of new Set(subjectsOf(e, 'function').map((f) => (f.includes(':function:') ? f.slice(f.indexOf(':function:') + 10).split(':')[0]! : f)))) {
        grew = add({ kind: 'workload', id: fn, ...next, since: e.time }) || grew;
      }
    }
    return grew;
  };

  /**
   * A workload's role session: the credentials AWS gave the attacker's
   * instance or function, which outlive the workload (they can be copied
   * off it), so they are the attacker's session of that role.
   */
  const workloadSession = (e: TimelineEvent, f: Foothold) => {
    const a = e.actor;
    if (a.type !== 'AssumedRole' || a.accessKeyId === undefined || a.issuer === undefined) return;
    if (sessions.some((s) => s.accessKeyId === a.accessKeyId)) return;
    sessions.push({ accessKeyId: a.accessKeyId, how: 'AssumeRole', event: e, role: a.issuer, root: false, ...(a.arn !== undefined ? { principal: a.arn } : {}), workload: f.id });
  };

  const attacker = new Map<TimelineEvent, Foothold>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of all) {
      if (attacker.has(e)) continue;
      const f = match(e);
      if (!f) continue;
      attacker.set(e, f);
      if (f.kind === 'workload') workloadSession(e, f);
      grew = gains(e, f) || grew;
    }
    // A console foothold moved earlier, or a foothold found late, can claim events a pass already went by.
  }

  const seen = new Set<string>();
  for (const e of attacker.keys()) if (e.actor.accessKeyId !== undefined) seen.add(e.actor.accessKeyId);
  return {
    seeds: [...new Set(seeds)],
    unseenSeeds: [...new Set(seeds)].filter((s) => !seen.has(s)),
    footholds,
    events: all.filter((e) => attacker.has(e)),
    sessions: sessions.sort((a, b) => byTime(a.event, b.event)),
    attackerOf: (e) => attacker.get(e),
  };
}

function sessionOf(e: TimelineEvent): AttackerSession {
  const how = e.name as AttackerSession['how'];
  const role = how === 'AssumeRole' ? subjectsOf(e, 'role')[0] : undefined;
  const user = how !== 'AssumeRole' && e.actor.type === 'IAMUser' ? e.actor.arn : undefined;
  return {
    accessKeyId: e.issued!.accessKeyId,
    how,
    event: e,
    ...(role !== undefined ? { role } : {}),
    ...(user !== undefined ? { user } : {}),
    root: e.actor.type === 'Root',
    ...(e.issued!.principal !== undefined ? { principal: e.issued!.principal } : {}),
    ...(e.issued!.expiration !== undefined ? { expiration: e.issued!.expiration } : {}),
  };
}
