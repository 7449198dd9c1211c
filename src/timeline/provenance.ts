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
 *   sign-ins and the calls its console sessions make (the record's
 *   sessionCredentialFromConsole) are the attacker's, until someone else sets
 *   or deletes the password; its own keys and the sessions they get (an MFA
 *   GetSessionToken) stay the owner's, unless one is a foothold itself;
 * - `workload`: an instance or a function an attacker's call launched: the
 *   sessions of its role are the attacker's (an instance's session is named
 *   after its id, `assumed-role/ROLE/i-...`; a function's after its name, so
 *   it counts only from the function's own execution role, since a function
 *   name is anybody's session name).
 * - `trust`: a role whose trust policy an attacker's call wrote (CreateRole,
 *   UpdateAssumeRolePolicy): from then on, sessions of it obtained from
 *   outside the account (another account's principal, a web identity, a SAML
 *   user) are the attacker's: a backdoor needs no key of this account.
 * IAM names are matched without regard to case, as IAM treats them, and a
 * user or console foothold only within the account that gave it.
 * An attacker's event can give new footholds; their events can give more.
 * The walk repeats until a pass finds nothing new, so the order events were
 * read in does not matter.
 *
 * Pure: no I/O, linear in the events per pass (passes: at most the longest
 * chain of hops). Every string is CloudTrail's: attacker data.
 */
import type { Subject, TimelineEvent } from './event.js';

export type FootholdKind = 'exposedKey' | 'accessKey' | 'session' | 'user' | 'console' | 'workload' | 'trust';

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
  /** A console or workload foothold counts from this time on (ISO-8601). */
  since?: string;
  /** A console foothold ends here: someone other than the attacker set or deleted the password. */
  until?: string;
  /** A function's execution role (its ARN): only sessions of that role are the function's. A trust foothold's role name is its id. */
  role?: string;
  /** The account a user or console foothold belongs to (from the ARN of the call that gave it). */
  account?: string;
}

/** A session an attacker's call obtained: what it takes to end it (DESIGN: revoke a role's sessions, deny a user, or wait). */
export interface AttackerSession {
  accessKeyId: string;
  /** The call that issued it (AssumeRole for AssumeRoleWithWebIdentity and AssumeRoleWithSAML too: `event` says which). */
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

/** The account field of an ARN (`arn:aws:iam::123456789012:user/x` -> `123456789012`), if it has one. */
const accountOf = (arn: string | undefined): string | undefined => {
  const field = arn?.split(':')[4];
  return field !== undefined && field !== '' ? field : undefined;
};

/** IAM names are unique without regard to case. */
const iamKey = (name: string) => name.toLowerCase();

const PASSWORD_EVENTS = new Set(['CreateLoginProfile', 'UpdateLoginProfile', 'DeleteLoginProfile']);

/** Lambda calls that make a function's code or configuration the caller's (versioned names included). */
const CODE_CALLS = /^(?:CreateFunction|UpdateFunctionCode|UpdateFunctionConfiguration)/;

/** The function names an event names (`arn:...:function:NAME[:qualifier]` or NAME). */
const functionsOf = (e: TimelineEvent) =>
  new Set(e.subjects.filter((s) => s.kind === 'function').map((s) => (s.id.includes(':function:') ? s.id.slice(s.id.indexOf(':function:') + 10).split(':')[0]! : s.id)));

/** The calls that get a role's session. */
const ASSUME_ROLE = new Set(['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']);

/** Callers that are outside the account by nature. */
const OUTSIDE_TYPES = new Set(['AWSAccount', 'WebIdentityUser', 'SAMLUser']);

/** A sign-in, or a call made with console session credentials. */
const fromConsole = (e: TimelineEvent) => (e.source === 'signin.amazonaws.com' && e.name === 'ConsoleLogin') || e.actor.console === true;

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
  /** Role name (lower case) -> foothold (trust). */
  const trusts = new Map<string, Foothold>();
  const sessions: AttackerSession[] = [];
  /** Each event found to be the attacker's, with the foothold it is the attacker's through. */
  const attacker = new Map<TimelineEvent, Foothold>();

  const add = (f: Foothold): boolean => {
    const k = footholdKey(f);
    const had = known.get(k);
    // A console foothold found again earlier in time counts from the earlier time.
    if (had) {
      if (had.kind === 'console' && f.since !== undefined && had.since !== undefined && f.since < had.since) {
        had.since = f.since;
        if (f.via) had.via = f.via;
        endConsole(had);
        return true;
      }
      return false;
    }
    known.set(k, f);
    footholds.push(f);
    if (f.kind === 'exposedKey' || f.kind === 'accessKey' || f.kind === 'session') keys.set(f.id, f);
    else if (f.kind === 'user') users.set(iamKey(f.id), f);
    else if (f.kind === 'console') {
      consoles.set(iamKey(f.id), f);
      endConsole(f);
    } else if (f.kind === 'trust') trusts.set(iamKey(f.id), f);
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
    const backdoor = trustedFromOutside(e);
    if (backdoor) return backdoor;
    if (a.arn === undefined) return undefined;
    const name = lastSegment(a.arn);
    const inAccount = (f: Foothold) => f.account === undefined || f.account === accountOf(a.arn);
    if (a.type === 'IAMUser') {
      const u = users.get(iamKey(name));
      if (u && (u.arn !== undefined ? u.arn.toLowerCase() === a.arn.toLowerCase() : inAccount(u))) return u;
      const c = consoles.get(iamKey(name));
      if (c && inAccount(c) && c.since !== undefined && e.time >= c.since && (c.until === undefined || e.time < c.until) && fromConsole(e) && (a.accessKeyId === undefined || !isLongTermKey(a.accessKeyId))) return c;
    }
    if (a.type === 'AssumedRole') {
      const w = workloads.get(name);
      if (w && w.since !== undefined && e.time >= w.since && (w.role !== undefined ? a.issuer === w.role : w.id.startsWith('i-'))) return w;
    }
    return undefined;
  };

  /** A session of a role whose trust the attacker wrote, obtained from outside the role's account. */
  function trustedFromOutside(e: TimelineEvent): Foothold | undefined {
    if (e.source !== 'sts.amazonaws.com' || !ASSUME_ROLE.has(e.name)) return undefined;
    for (const r of subjectsOf(e, 'role')) {
      const t = trusts.get(iamKey(lastSegment(r)));
      if (!t || t.since === undefined || e.time < t.since) continue;
      const roleAccount = accountOf(r) ?? t.account;
      const callerAccount = accountOf(e.actor.arn);
      const outside = OUTSIDE_TYPES.has(e.actor.type) || e.name !== 'AssumeRole' || (callerAccount !== undefined && roleAccount !== undefined && callerAccount !== roleAccount);
      if (outside) return t;
    }
    return undefined;
  }

  /** Each function's execution role, as the timeline's CreateFunction and UpdateFunctionConfiguration calls last set it. */
  const functionRoles = new Map<string, string>();
  for (const e of all) {
    if (e.source !== 'lambda.amazonaws.com' || e.errorCode !== undefined || !/^(?:CreateFunction|UpdateFunctionConfiguration)/.test(e.name)) continue;
    const role = subjectsOf(e, 'role').find((r) => r.startsWith('arn:'));
    if (role !== undefined) for (const fn of functionsOf(e)) functionRoles.set(fn, role);
  }

  /** Successful password calls, by user: someone else's ends a console foothold. */
  const passwordCalls = new Map<string, TimelineEvent[]>();
  for (const e of all) {
    if (e.source !== 'iam.amazonaws.com' || !PASSWORD_EVENTS.has(e.name) || e.errorCode !== undefined) continue;
    for (const u of subjectsOf(e, 'user')) {
      const k = iamKey(lastSegment(u));
      const list = passwordCalls.get(k);
      if (list) list.push(e);
      else passwordCalls.set(k, [e]);
    }
  }
  /**
   * A console foothold's end: the first later password call that is not the
   * attacker's. It only moves later as the attacker's calls are found (the
   * set only grows), so events claimed before stay rightly claimed.
   */
  function endConsole(c: Foothold): boolean {
    const end = passwordCalls.get(iamKey(c.id))?.find((p) => c.since !== undefined && p.time > c.since && !attacker.has(p))?.time;
    if (end === c.until) return false;
    if (end === undefined) delete c.until;
    else c.until = end;
    return true;
  }

  /** The footholds an attacker's event gives, and the session it obtained. */
  const gains = (e: TimelineEvent, by: Foothold): boolean => {
    if (e.errorCode !== undefined) return false;
    const next = { hop: by.hop + 1, via: e, from: footholdKey(by) };
    const account = accountOf(e.actor.arn);
    const inAccount = account !== undefined ? { account } : {};
    let grew = false;
    if (e.issued) {
      grew = add({ kind: e.issued.kind === 'accessKey' ? 'accessKey' : 'session', id: e.issued.accessKeyId, ...next }) || grew;
      if (e.issued.kind === 'session' && !sessions.some((s) => s.accessKeyId === e.issued!.accessKeyId)) sessions.push(sessionOf(e));
    }
    if (e.source === 'iam.amazonaws.com') {
      if (e.name === 'CreateUser') {
        const arn = subjectsOf(e, 'user').find((u) => u.startsWith('arn:'));
        for (const u of subjectsOf(e, 'user').filter((u) => !u.startsWith('arn:'))) grew = add({ kind: 'user', id: u, ...next, ...inAccount, ...(arn ? { arn } : {}) }) || grew;
      }
      if (e.name === 'CreateLoginProfile' || e.name === 'UpdateLoginProfile') {
        for (const u of subjectsOf(e, 'user')) grew = add({ kind: 'console', id: lastSegment(u), ...next, ...inAccount, since: e.time }) || grew;
      }
    }
    if (e.source === 'iam.amazonaws.com' && (e.name === 'CreateRole' || e.name === 'UpdateAssumeRolePolicy')) {
      for (const r of new Set(subjectsOf(e, 'role').map(lastSegment))) grew = add({ kind: 'trust', id: r, ...next, ...inAccount, since: e.time }) || grew;
    }
    if (e.name === 'RunInstances') for (const i of subjectsOf(e, 'instance')) grew = add({ kind: 'workload', id: i, ...next, since: e.time }) || grew;
    if (e.source === 'lambda.amazonaws.com' && CODE_CALLS.test(e.name)) {
      // Its code (or configuration) is the attacker's from now on: so are its sessions, of the role it runs with.
      for (const fn of functionsOf(e)) {
        const role = subjectsOf(e, 'role').find((r) => r.startsWith('arn:')) ?? functionRoles.get(fn);
        grew = add({ kind: 'workload', id: fn, ...next, since: e.time, ...(role !== undefined ? { role } : {}) }) || grew;
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

  for (let grew = true; grew; ) {
    grew = false;
    for (const c of consoles.values()) grew = endConsole(c) || grew;
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
  const how: AttackerSession['how'] = ASSUME_ROLE.has(e.name) ? 'AssumeRole' : (e.name as AttackerSession['how']);
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
