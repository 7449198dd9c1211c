/**
 * Which users changed since the credential report, from CloudTrail's event
 * history, so that a reused report (AWS serves the same one for up to 4 hours)
 * costs per-user checks only for them instead of for every user.
 *
 * The lookup series: one `EventName` series per event in CHANGE_EVENTS, in the
 * region IAM's global events are recorded in (EVENT_HISTORY_REGION). LookupEvents
 * takes one lookup attribute per call, answers 50 events a page and allows 2
 * requests per second per region, so this costs
 *   sum over the names n of max(1, ceil(E_n / 50))   calls
 * (11 calls, 5.5 seconds, on a quiet account), bounded by the changes themselves.
 * The alternatives cost more where it matters:
 * - `EventSource=iam.amazonaws.com` is one series, but event history keeps
 *   read-only events too: the previous audit's own ListAccessKeys and
 *   GetLoginProfile calls (one per user, 2,000 to 4,000 on the iam-heavy
 *   account) would be paged through, 40 to 80 calls and as many half-seconds;
 * - `ReadOnly=false` brings every service's writes in that region (instances,
 *   functions, buckets...): unbounded, and an intruder's own activity inflates it.
 * The series run under one throttle at LookupEvents' rate, and stop as soon as
 * they have cost as many calls as the per-user checks they replace, or a
 * minute (MAX_LOOKUP_CALLS).
 *
 * Delivery delay: CloudTrail delivers an event to the event history typically
 * within about 5 minutes of the call, without guarantee. Two margins follow:
 * the window starts REPORT_LEAD_MS before the report's generation time (a
 * change made while the report was being generated, or a clock apart, is
 * covered), and changes made in the last EVENT_DELAY_MS before the run may be
 * missing: iam-users.ts says so in a note naming the time, with when to run
 * again (the next run reads again from the report's time, so it covers them).
 * Checking every user instead is what this replaces; the note keeps the choice
 * visible, never silent.
 *
 * The same events date password resets, which move neither the report's
 * password_last_changed (until AWS generates a new report) nor GetLoginProfile's
 * CreateDate: the latest successful CreateLoginProfile, UpdateLoginProfile or
 * ChangePassword per user (PASSWORD_EVENTS), except under a name renamed from
 * or to in the window, whose events may be another user's.
 *
 * Anything that cannot vouch for the window (no generation time, a report older
 * than the event history's 90 days, no known region for the partition, a failed
 * or over-budget lookup, an event that names no user) returns a reason, and the
 * collector falls back to checking every user, saying why.
 */
import { LookupEventsCommand, type CloudTrailClient, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import pThrottle from 'p-throttle';
import { errorCode, errorMessage } from '../answers/error-info.js';
import { LOOKUP_PAGE_SIZE, LOOKUP_REQUESTS_PER_SECOND } from '../timeline/lookup.js';
import { valuesAt } from '../timeline/normalise.js';

import { EVENT_HISTORY_REGION } from './event-history-region.js';
export { EVENT_HISTORY_REGION };

/**
 * IAM events that change what the report says of a user's keys or password (or
 * make a new user of an old name): their users are re-checked. UpdateUser
 * renames a user (or moves its path): the report's row under either name now
 * describes another user, so both the old and the new name are re-checked.
 */
export const RECHECK_EVENTS = [
  'CreateUser',
  'UpdateUser',
  'CreateAccessKey',
  'UpdateAccessKey',
  'DeleteAccessKey',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'DeleteLoginProfile',
  'ChangePassword',
] as const;

/**
 * IAM events that change MFA: no per-user call reads a user's MFA, so those
 * users are named in a note. A change to the root's keys or MFA (any of these
 * events made by the root without a user name) has the root's counts read
 * again with GetAccountSummary (iam.ts).
 */
export const MFA_EVENTS = ['EnableMFADevice', 'DeactivateMFADevice'] as const;

export const CHANGE_EVENTS: readonly string[] = [...RECHECK_EVENTS, ...MFA_EVENTS];

/**
 * Events that set a user's password. GetLoginProfile's CreateDate does not move
 * when a password is reset (UpdateLoginProfile, ChangePassword), so their time
 * dates the password. CloudTrail's record of UpdateLoginProfile leaves the
 * password out whether or not one was given, so every successful one counts:
 * one that only sets PasswordResetRequired also makes the user choose a new
 * password at the next sign-in.
 */
export const PASSWORD_EVENTS: readonly string[] = ['CreateLoginProfile', 'UpdateLoginProfile', 'ChangePassword'];

/** The window starts this long before the report's generation time. */
export const REPORT_LEAD_MS = 15 * 60_000;
/** Changes younger than this may not be in the event history yet (AWS: about 5 minutes, not guaranteed). */
export const EVENT_DELAY_MS = 15 * 60_000;
/**
 * At most this many LookupEvents calls (a minute at 2 a second, 6,000 events):
 * past it, a flood of IAM changes would cost more time than the per-user
 * checks it saves, which IAM serves several at once.
 */
export const MAX_LOOKUP_CALLS = 120;
/** How far back the event history goes. */
export const EVENT_HISTORY_MS = 90 * 24 * 3_600_000;

export interface ChangesSeen {
  ok: true;
  region: string;
  /** The window read (ISO). */
  since: string;
  until: string;
  /** Users whose keys or password changed, who were created, or renamed (both names). */
  users: Set<string>;
  /** Users whose MFA changed. */
  mfaUsers: Set<string>;
  /** The latest successful password event (PASSWORD_EVENTS) per user name, in lower case (ISO). */
  passwordSet: Map<string, string>;
  /** Names, in lower case, renamed from or to (UpdateUser): their events may be another user's. */
  renamed: Set<string>;
  /** Event names that changed the root user's keys, password or MFA. */
  rootEvents: Set<string>;
  /** Change events kept (successful IAM calls). */
  events: number;
  calls: number;
}

export type IamChanges = ChangesSeen | { ok: false; reason: string; calls: number };

export interface ChangeSource {
  cloudtrail: (region: string) => CloudTrailClient;
  /** The caller's partition (`aws`, `aws-cn`, `aws-us-gov`, ...). */
  partition: string;
  /** LookupEvents requests per second (LookupEvents' limit unless a test says otherwise). */
  requestsPerSecond?: number;
}

export interface ChangeQuery {
  generatedTime: string | null;
  now: Date;
  /** Stop, and fall back, once the lookup has made this many calls: what the per-user checks would cost. */
  budget: number;
}

type Json = unknown;
const first = (record: Json, paths: string[]): string | undefined => paths.map((p) => valuesAt(record, p)[0]).find((v) => v !== undefined);

/** Whose credentials an IAM change event changed: a user's name, the root, or undefined when the record does not say. */
export function subjectOf(record: Json): { user: string } | { root: true } | undefined {
  const named = first(record, ['requestParameters.userName', 'responseElements.user.userName', 'responseElements.accessKey.userName', 'responseElements.loginProfile.userName']);
  if (named !== undefined) return { user: named };
  // Without a user name, the call acted on the caller's own credentials.
  const type = first(record, ['userIdentity.type']);
  if (type === 'Root') return { root: true };
  const self = first(record, ['userIdentity.userName']);
  return type === 'IAMUser' && self !== undefined ? { user: self } : undefined;
}

/** An event's time (ISO): LookupEvents' EventTime, else the record's eventTime; null when neither is a date. */
function eventTime(listed: Date | undefined, recorded: string | undefined): string | null {
  for (const t of [listed?.getTime(), recorded === undefined ? undefined : Date.parse(recorded)]) {
    if (t !== undefined && !Number.isNaN(t)) return new Date(t).toISOString();
  }
  return null;
}

class OverBudget extends Error {}

function minutes(ms: number): number {
  return Math.round(ms / 60_000);
}

/**
 * The IAM changes since the report, or why event history cannot say. Never
 * throws: every failure is a reason to fall back.
 */
export async function readIamChanges(source: ChangeSource, q: ChangeQuery): Promise<IamChanges> {
  if (q.generatedTime === null) return { ok: false, reason: 'the credential report does not say when it was generated', calls: 0 };
  const generated = Date.parse(q.generatedTime);
  if (Number.isNaN(generated)) return { ok: false, reason: 'the credential report does not say when it was generated', calls: 0 };
  if (q.now.getTime() - generated > EVENT_HISTORY_MS - REPORT_LEAD_MS) {
    return { ok: false, reason: `the report (generated at ${q.generatedTime}) is older than the 90 days CloudTrail's event history keeps`, calls: 0 };
  }
  const region = EVENT_HISTORY_REGION[source.partition];
  if (region === undefined) return { ok: false, reason: `no event-history region is known for partition ${source.partition}`, calls: 0 };
  if (q.budget <= CHANGE_EVENTS.length) {
    return { ok: false, reason: `per-user checks cost no more calls (${q.budget}) than reading the event history (at least ${CHANGE_EVENTS.length})`, calls: 0 };
  }

  const since = new Date(Math.min(generated, q.now.getTime()) - REPORT_LEAD_MS);
  const until = q.now;
  const client = source.cloudtrail(region);
  const aborting = new AbortController();
  const throttle = pThrottle({ limit: source.requestsPerSecond ?? LOOKUP_REQUESTS_PER_SECOND, interval: 1000, strict: true, signal: aborting.signal });
  const budget = Math.min(q.budget, MAX_LOOKUP_CALLS);
  let calls = 0;
  // The first failure ends every series: what the others would read cannot be used without it.
  let stop: unknown;
  const send = throttle(async (command: LookupEventsCommand): Promise<LookupEventsCommandOutput> => {
    if (stop !== undefined) throw stop;
    if (calls >= budget) stop = new OverBudget();
    else {
      calls += 1;
      try {
        return await client.send(command);
      } catch (err) {
        stop ??= err;
      }
    }
    aborting.abort(stop); // the calls waiting for their turn are not made
    throw stop;
  });
  const seen: ChangesSeen = {
    ok: true,
    region,
    since: since.toISOString(),
    until: until.toISOString(),
    users: new Set(),
    mfaUsers: new Set(),
    passwordSet: new Map(),
    renamed: new Set(),
    rootEvents: new Set(),
    events: 0,
    calls: 0,
  };
  const unattributed: string[] = [];

  const series = async (name: string): Promise<void> => {
    let token: string | undefined;
    do {
      const out = await send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }],
          StartTime: since,
          EndTime: until,
          MaxResults: LOOKUP_PAGE_SIZE,
          ...(token ? { NextToken: token } : {}),
        }),
      );
      for (const e of out.Events ?? []) {
        let record: Json;
        try {
          record = JSON.parse(e.CloudTrailEvent ?? '');
        } catch {
          record = undefined;
        }
        const source = first(record, ['eventSource']) ?? e.EventSource;
        if (source !== undefined && source !== 'iam.amazonaws.com') continue; // another service's CreateUser
        if (record === null || typeof record !== 'object') {
          unattributed.push(`${name} (${e.EventId ?? 'no id'}): its record could not be read`);
          continue;
        }
        if (first(record, ['errorCode']) !== undefined) continue; // the call failed: nothing changed
        const subject = subjectOf(record);
        if (subject === undefined) {
          unattributed.push(`${name} at ${e.EventTime?.toISOString() ?? 'unknown time'}`);
          continue;
        }
        seen.events += 1;
        if ('root' in subject) seen.rootEvents.add(name);
        else if ((MFA_EVENTS as readonly string[]).includes(name)) seen.mfaUsers.add(subject.user);
        else seen.users.add(subject.user);
        // A rename: the new name is the same user's, and the report's row under it (if any) another's.
        const renamedTo = name === 'UpdateUser' ? first(record, ['requestParameters.newUserName']) : undefined;
        if (renamedTo !== undefined) {
          seen.users.add(renamedTo);
          if ('user' in subject) seen.renamed.add(subject.user.toLowerCase());
          seen.renamed.add(renamedTo.toLowerCase());
        }
        if ('user' in subject && PASSWORD_EVENTS.includes(name)) {
          const at = eventTime(e.EventTime, first(record, ['eventTime']));
          const key = subject.user.toLowerCase();
          const known = seen.passwordSet.get(key);
          if (at !== null && (known === undefined || at > known)) seen.passwordSet.set(key, at);
        }
      }
      token = out.NextToken;
    } while (token);
  };

  const results = await Promise.allSettled(CHANGE_EVENTS.map(series));
  seen.calls = calls;
  const failure = stop ?? results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []))[0];
  if (failure instanceof OverBudget) {
    return { ok: false, reason: `the event history holds more IAM changes than per-user checks cost (stopped after ${calls} LookupEvents calls, ${calls * LOOKUP_PAGE_SIZE} events)`, calls };
  }
  if (failure !== undefined) {
    const message = errorMessage(failure).split('\n')[0]!.slice(0, 200);
    return { ok: false, reason: `cloudtrail:LookupEvents failed in ${region} (${errorCode(failure)}: ${message})`, calls };
  }
  if (unattributed.length > 0) {
    const shown = unattributed.slice(0, 3).join(', ') + (unattributed.length > 3 ? `, and ${unattributed.length - 3} more` : '');
    return { ok: false, reason: `${unattributed.length} IAM change event(s) name no user (${shown})`, calls };
  }
  return seen;
}

/** The note's sentence on changes too recent for the event history, with when to run again. */
export function delaySentence(seen: ChangesSeen, now: Date): string {
  const from = new Date(Math.max(now.getTime() - EVENT_DELAY_MS, Date.parse(seen.since) + REPORT_LEAD_MS)).toISOString();
  const again = new Date(now.getTime() + EVENT_DELAY_MS).toISOString();
  return (
    `CloudTrail delivers events to its event history typically within about 5 minutes, without guarantee: a key, password or MFA change on an existing user after ${from} may be missing from this inventory. ` +
    `A run after ${again} reads the event history again from the report's time and covers it (${minutes(EVENT_DELAY_MS)} min margin).`
  );
}
