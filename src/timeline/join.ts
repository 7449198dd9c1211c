/**
 * The join of a timeline to an inventory: which events named which live
 * resources, by the kind of each target (timeline/catalogue.ts SUBJECT_KINDS)
 * and the inventory's types; which of them were the attacker's (provenance);
 * which of the attacker's sessions each role, user or the root user stands
 * behind; and where the timeline is blind (regions it could not read, a
 * window that misses part of the incident).
 *
 * Pure and linear: the inventory is indexed once (by type, region and id;
 * by ARN; trails by name), then each event is looked up by its targets, never
 * a scan of all events per resource. Every string is CloudTrail's.
 */
import { historyKey, ROOT_SESSION_MAX_MS, type ForeignRoleSessions, type History, type HistoryBlindness, type HistoryEvent, type HistorySession, type ResourceHistory } from '../model/history.js';
import type { Resource, ResourceType } from '../model/resource.js';
import { REVOKE_SESSIONS_POLICY, revocationCutoff } from '../model/session-revocation.js';
import type { SubjectKind } from './catalogue.js';
import type { TimelineEvent, TimelineGap } from './event.js';
import type { Provenance } from './provenance.js';

export interface JoinInput {
  /** The timeline's events (any order). */
  events: readonly TimelineEvent[];
  provenance: Provenance;
  accountId: string;
  resources: readonly Resource[];
  /** The regions the inventory covers (`global` for IAM). */
  regions: readonly string[];
  /** When the inventory was collected: a timeline must reach it (less DELIVERY_MARGIN_MS) on an open incident. */
  collectedAt: string;
  /**
   * The region where the partition's event history records IAM's (global)
   * events (collect/iam-changes.ts EVENT_HISTORY_REGION); undefined when the
   * partition has none known. A timeline that did not read it is blind for
   * global resources.
   */
  iamEventRegion: string | undefined;
  timeline: {
    window: { since: string; until: string };
    /** The regions the timeline read. */
    regions: readonly string[];
    gaps: readonly TimelineGap[];
    /** Some events lack their targets' kinds (a timeline written before they were recorded): nothing can be joined. */
    withoutSubjects?: boolean;
    /** Where it was read: a trail's bucket goes silent, with no gap, once the trail stops logging. */
    source?: 'lookup' | 'trail-bucket';
  };
  incident?: { since?: string; until?: string };
  now: Date;
}

/** The call that makes a resource of each type: its `created` evidence. */
const CREATES: Partial<Record<ResourceType, readonly string[]>> = {
  'iam.user': ['CreateUser'],
  'iam.accessKey': ['CreateAccessKey'],
  'iam.loginProfile': ['CreateLoginProfile'],
  'iam.role': ['CreateRole'],
  'iam.group': ['CreateGroup'],
  'iam.policy': ['CreatePolicy'],
  'iam.policyAttachment': ['AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy'],
  'iam.inlinePolicy': ['PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy'],
  'iam.groupMembership': ['AddUserToGroup'],
  'ec2.instance': ['RunInstances'],
  'ec2.spotRequest': ['RequestSpotInstances'],
  'ec2.spotFleetRequest': ['RequestSpotFleet'],
  'lambda.function': ['CreateFunction'],
};

/** Calls that may repeat on a resource that exists (PutUserPolicy overwrites): the first one since the window began made it. */
const REPEATABLE = new Set(['PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy', 'AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy', 'AddUserToGroup']);

/** Calls on a managed policy itself (an attachment changes its principal and the attachment, not the policy). */
const POLICY_CALLS = new Set(['CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'SetDefaultPolicyVersion', 'TagPolicy', 'UntagPolicy']);
const LOGIN_PROFILE_CALLS = new Set(['CreateLoginProfile', 'UpdateLoginProfile', 'DeleteLoginProfile']);
const ATTACH_CALLS = /^(Attach|Detach)(User|Role|Group)Policy$/;
const INLINE_CALLS = /^(Put|Delete)(User|Role|Group)Policy$/;
const MEMBERSHIP_CALLS = new Set(['AddUserToGroup', 'RemoveUserFromGroup']);
/** Sessions are what STS calls make; sign-ins are the caller's: neither changes what it names. */
const NOT_CHANGES = new Set(['sts.amazonaws.com', 'signin.amazonaws.com']);

/** Lambda's versioned names (`CreateFunction20150331`) as the API's own. */
const baseName = (name: string) => name.replace(/\d{8}(?:v\d+)?$/, '');
/** The last segment of an ARN's resource, or the text itself (`role/path/x` -> `x`). */
const lastSegment = (s: string) => (s.startsWith('arn:') ? s.slice(s.lastIndexOf('/') + 1) : s);
/** The account of an ARN, or undefined for a name. */
const accountOfArn = (s: string) => (s.startsWith('arn:') ? s.split(':')[4] : undefined);
/** A trail's name, from its name or its ARN (`arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`). */
const trailName = (s: string) => {
  const at = s.startsWith('arn:') ? s.indexOf(':trail/') : -1;
  return at < 0 ? s : s.slice(at + 7);
};

/**
 * How long CloudTrail may take to deliver an event (AWS: typically within 15
 * minutes of the call): a timeline that ends more than this before the
 * inventory was collected misses what happened in between.
 */
export const DELIVERY_MARGIN_MS = 15 * 60_000;

/**
 * IAM's names (users, groups, roles, policies) are unique in an account
 * whatever their case, and a call may spell them either way: global
 * resources are indexed and looked up in lower case (displayed as written).
 */
const globalId = (id: string) => id.toLowerCase();

export function joinHistory(i: JoinInput): History {
  const { provenance: p } = i;
  const byKey = new Map<string, Resource>();
  const byArn = new Map<string, Resource>();
  const trailsByName = new Map<string, Resource[]>();
  for (const r of i.resources) {
    const isGlobal = r.region === 'global';
    byKey.set(historyKey(r.type, r.region, isGlobal ? globalId(r.id) : r.id), r);
    if (r.arn) byArn.set(isGlobal ? globalId(r.arn) : r.arn, r);
    if (r.type === 'cloudtrail.trail') trailsByName.set(r.id, [...(trailsByName.get(r.id) ?? []), r]);
  }
  const histories = new Map<string, ResourceHistory>();
  const historyFor = (r: Resource): ResourceHistory => {
    const k = historyKey(r.type, r.region, r.id);
    let h = histories.get(k);
    if (!h) histories.set(k, (h = { events: [], sessions: [] }));
    return h;
  };
  const global = (type: ResourceType, id: string) => byKey.get(historyKey(type, 'global', globalId(id)));
  /** A managed policy by its ARN, whatever its case. */
  const policyByArn = (arn: string) => byArn.get(globalId(arn));
  /** An IAM name from a name or an ARN of this account (another account's ARN names nothing here). */
  const iamName = (s: string) => {
    const acct = accountOfArn(s);
    return acct !== undefined && acct !== i.accountId ? undefined : lastSegment(s);
  };

  /** The live resources an event names. */
  const targetsOf = (e: TimelineEvent): Set<Resource> => {
    const of = (kind: SubjectKind) => e.subjects.filter((s) => s.kind === kind).map((s) => s.id);
    const out = new Set<Resource>();
    const put = (r: Resource | undefined) => {
      if (r) out.add(r);
    };
    const name = baseName(e.name);
    const policies = of('policy');
    const inline = of('inlinePolicy');
    const principals: ['user' | 'role' | 'group', string][] = [];
    for (const kind of ['user', 'role', 'group'] as const) {
      for (const id of new Set(of(kind).map(iamName))) if (id !== undefined) principals.push([kind, id]);
    }
    // CreateAccessKey without a userName makes a key for the caller itself: that user is given a key too.
    if (e.issued?.kind === 'accessKey') {
      const owner = e.issued.owner ?? (e.actor.type === 'IAMUser' && e.actor.arn !== undefined ? e.actor.arn : undefined);
      const name = owner === undefined ? undefined : iamName(owner);
      if (name !== undefined && !principals.some(([k, id]) => k === 'user' && id === name)) principals.push(['user', name]);
    }
    for (const [kind, id] of principals) {
      put(global(`iam.${kind}`, id));
      if (kind === 'user' && LOGIN_PROFILE_CALLS.has(name)) put(global('iam.loginProfile', id));
      if (INLINE_CALLS.test(name)) for (const pn of inline) put(global('iam.inlinePolicy', `${kind}/${id}/${pn}`));
      if (ATTACH_CALLS.test(name)) for (const arn of policies) put(global('iam.policyAttachment', `${kind}/${id}/${arn}`));
    }
    if (MEMBERSHIP_CALLS.has(name)) {
      for (const [, user] of principals.filter(([k]) => k === 'user')) for (const [, group] of principals.filter(([k]) => k === 'group')) put(global('iam.groupMembership', `${user}/${group}`));
    }
    if (POLICY_CALLS.has(name)) for (const arn of policies) put(policyByArn(arn));
    for (const id of of('accessKey')) put(global('iam.accessKey', id));
    for (const id of of('instance')) put(byKey.get(historyKey('ec2.instance', e.region, id)));
    for (const id of of('spotRequest')) put(byKey.get(historyKey('ec2.spotRequest', e.region, id)));
    for (const id of of('spotFleet')) put(byKey.get(historyKey('ec2.spotFleetRequest', e.region, id)));
    for (const f of of('function')) {
      if (f.startsWith('arn:')) {
        const [, , , region = e.region, , , fname = ''] = f.split(':');
        put(byKey.get(historyKey('lambda.function', region, fname)));
      } else put(byKey.get(historyKey('lambda.function', e.region, f)));
    }
    for (const t of of('trail')) {
      if (t.startsWith('arn:')) put(byArn.get(t));
      else {
        const named = trailsByName.get(t) ?? [];
        put(named.find((r) => r.region === e.region) ?? (named.length === 1 ? named[0] : undefined));
      }
    }
    return out;
  };

  const sorted = [...i.events].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  if (!i.timeline.withoutSubjects) {
    for (const e of sorted) {
      if (e.errorCode !== undefined || NOT_CHANGES.has(e.source)) continue;
      const targets = targetsOf(e);
      if (targets.size === 0) continue;
      const h = historyEvent(e, p);
      const name = baseName(e.name);
      for (const r of targets) {
        const rh = historyFor(r);
        rh.events.push(h);
        if (CREATES[r.type]?.includes(name) && !(REPEATABLE.has(name) && rh.created)) rh.created = h;
      }
    }
  }

  const rootSessions: HistorySession[] = [];
  const foreign = new Map<string, ForeignRoleSessions>();
  for (const s of p.sessions) {
    if (s.event.errorCode !== undefined) continue;
    const session: HistorySession = {
      accessKeyId: s.accessKeyId,
      how: s.how,
      time: s.event.time,
      root: s.root,
      hop: (p.attackerOf(s.event)?.hop ?? 0) + 1,
      ...(s.principal !== undefined ? { principal: s.principal } : {}),
      ...(s.event.sourceIp !== undefined ? { sourceIp: s.event.sourceIp } : {}),
    };
    const end = (s.expiration !== undefined ? isoTime(s.expiration) : undefined) ?? (s.root ? rootEnd(s.event.time) : undefined);
    if (end !== undefined) session.expiration = end;
    let behind: Resource | undefined;
    if (s.root) {
      behind = global('account.root', 'root');
      rootSessions.push(session);
    } else if (s.how === 'AssumeRole' && s.role !== undefined) {
      const n = iamName(s.role);
      if (n === undefined) {
        // Another account's role: its sessions are revoked there, by whoever holds that account.
        const accountId = accountOfArn(s.role)!;
        const f = foreign.get(s.role) ?? { roleArn: s.role, accountId, sessions: [] };
        f.sessions.push(session);
        foreign.set(s.role, f);
        continue;
      }
      behind = global('iam.role', n);
      // A revocation in place (the role's rollcall-revoke-sessions policy) ended every session issued before its cut-off.
      const cutoff = behind ? revocationCutoff(global('iam.inlinePolicy', `role/${behind.id}/${REVOKE_SESSIONS_POLICY}`)?.props.document) : undefined;
      if (cutoff !== undefined && Date.parse(session.time) < Date.parse(cutoff)) {
        session.revokedAt = cutoff;
        if (session.expiration === undefined || Date.parse(session.expiration) > Date.parse(cutoff)) session.expiration = cutoff;
      }
    } else if (s.user !== undefined) {
      const n = iamName(s.user);
      behind = n === undefined ? undefined : global('iam.user', n);
    }
    if (behind) historyFor(behind).sessions.push(session);
  }

  const { blind, notes } = blindness(i);
  const foreignRoleSessions = [...foreign.values()];
  for (const f of foreignRoleSessions) {
    notes.push(`The attacker assumed role ${f.roleArn} of account ${f.accountId} (${f.sessions.length} session(s), the first ${f.sessions[0]!.time}): its sessions can only be revoked in account ${f.accountId}; audit that account, or have its owner revoke the role's sessions.`);
  }
  const unattributed = p.seeds.length === 0 ? 'no exposed access key to follow (set incident.exposedKeys in the baseline, or write the timeline with rollcall timeline --key)' : undefined;
  return { byResource: histories, blind, rootSessions, notes, foreignRoleSessions, ...(unattributed !== undefined ? { unattributed } : {}) };
}

/**
 * A record's time as ISO-8601, in UTC. CloudTrail writes a session's
 * expiration as `Nov 1, 2026, 1:00:00 PM` (UTC, without saying so) in some
 * records and ISO-8601 in others; anything else is undefined (unknown).
 */
export function isoTime(text: string): string | undefined {
  const iso = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(text);
  const spelled = /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/.test(text);
  if (!iso && !spelled) return undefined;
  const t = Date.parse(iso ? text : `${text} UTC`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function rootEnd(time: string): string | undefined {
  const t = Date.parse(time);
  return Number.isNaN(t) ? undefined : new Date(t + ROOT_SESSION_MAX_MS).toISOString();
}

function historyEvent(e: TimelineEvent, p: Provenance): HistoryEvent {
  const f = p.attackerOf(e);
  return {
    time: e.time,
    name: e.name,
    source: e.source,
    region: e.region,
    actor: { type: e.actor.type, ...(e.actor.arn !== undefined ? { arn: e.actor.arn } : {}), ...(e.actor.accessKeyId !== undefined ? { accessKeyId: e.actor.accessKeyId } : {}) },
    ...(e.sourceIp !== undefined ? { sourceIp: e.sourceIp } : {}),
    ...(e.userAgent !== undefined ? { userAgent: e.userAgent } : {}),
    attacker: f !== undefined,
    ...(f ? { hop: f.hop, foothold: `${f.kind}:${f.id}` } : {}),
  };
}

/**
 * Where the timeline is blind: everywhere when it cannot be joined, its
 * window misses part of the incident, it ends well before the inventory was
 * collected on an open incident, or its trail's bucket went silent (the
 * trail stopped or deleted); for global resources when it did not read the
 * region where IAM's events are recorded; a region it could not read (a gap)
 * or did not read at all. An open incident read up to within the delivery
 * margin of the inventory is a note.
 */
function blindness(i: JoinInput): { blind: HistoryBlindness; notes: string[] } {
  const notes: string[] = [];
  const regions = new Map<string, string[]>();
  const add = (region: string, why: string) => regions.set(region, [...(regions.get(region) ?? []), why]);
  const { window } = i.timeline;
  let everywhere: string | undefined;
  const since = i.incident?.since;
  const until = i.incident?.until;
  const collected = Date.parse(i.collectedAt);
  // Open as model/aws-quarantine.ts incidentOpen says, at the inventory's time: an incident without an end, or ending after it.
  const open = i.incident !== undefined && (until === undefined || Date.parse(until) >= collected);
  const silenced = i.timeline.source === 'trail-bucket' && !i.timeline.withoutSubjects ? silencedBy(i.events) : undefined;
  if (i.timeline.withoutSubjects) {
    everywhere = 'the timeline does not say what kind of resource each event names (it was written by an earlier rollcall): write it again with rollcall timeline';
  } else if (since !== undefined && Date.parse(window.since) > Date.parse(since)) {
    everywhere = `the timeline starts ${window.since}, after the incident began (${since})`;
  } else if (until !== undefined && Date.parse(until) < i.now.getTime() && Date.parse(window.until) < Date.parse(until)) {
    everywhere = `the timeline ends ${window.until}, before the incident ended (${until})`;
  } else if (open && Date.parse(window.until) < collected - DELIVERY_MARGIN_MS) {
    everywhere = `the timeline ends ${window.until}, long before the inventory was collected (${i.collectedAt}) while the incident is open: what happened since is not in it; run rollcall timeline again, or use --timeline live`;
  } else if (silenced !== undefined) {
    everywhere = `trail ${silenced.trail} stopped logging at ${silenced.time} (${silenced.name}) and did not start again: its bucket holds nothing since, so nothing after then can be seen`;
  }
  if (since === undefined) notes.push(`The baseline sets no incident.since: the timeline's window (${window.since} to ${window.until}) is taken as it is.`);
  else if (open && everywhere === undefined && Date.parse(window.until) < i.now.getTime()) {
    notes.push(`The timeline ends ${window.until}: what happened since is not in it.`);
  }
  for (const g of i.timeline.gaps) add(g.region, `${g.operation}${g.key !== undefined ? ` (${g.key})` : ''}: ${g.error}`);
  const read = new Set(i.timeline.regions);
  for (const r of i.regions) if (r !== 'global' && !read.has(r)) add(r, 'not read by the timeline');
  let global: string[] | undefined;
  if (i.regions.includes('global')) {
    if (i.iamEventRegion === undefined) global = ['no region is known where this partition records IAM events'];
    else if (!read.has(i.iamEventRegion)) global = [`IAM's events are recorded in ${i.iamEventRegion}, which the timeline did not read`];
  }
  if (global !== undefined) notes.push(`The timeline is blind for IAM and the root user: ${global.join('; ')}. Read ${i.iamEventRegion ?? 'that region'} too (rollcall timeline without --regions, or --timeline live).`);
  return { blind: { ...(everywhere !== undefined ? { everywhere } : {}), regions, ...(global !== undefined ? { global } : {}) }, notes };
}

const STOPS = new Set(['StopLogging', 'DeleteTrail']);

/**
 * The first successful StopLogging or DeleteTrail after which its trail (by
 * name) never logged again (no later successful StartLogging): from then on a
 * trail's bucket receives nothing, and its silence is no gap.
 */
function silencedBy(events: readonly TimelineEvent[]): { trail: string; time: string; name: string } | undefined {
  const stopped = new Map<string, { trail: string; time: string; name: string }>();
  const sorted = events.filter((e) => e.source === 'cloudtrail.amazonaws.com' && e.errorCode === undefined).sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  for (const e of sorted) {
    for (const t of new Set(e.subjects.filter((s) => s.kind === 'trail').map((s) => trailName(s.id)))) {
      if (STOPS.has(e.name) && !stopped.has(t)) stopped.set(t, { trail: t, time: e.time, name: e.name });
      else if (e.name === 'StartLogging') stopped.delete(t);
    }
  }
  return [...stopped.values()].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0))[0];
}
