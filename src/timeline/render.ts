/**
 * The timeline as Markdown and as JSON (schemas/timeline.schema.json), each a
 * sequence of pieces (one per actor, one per event row) so that a large
 * window is written as it is rendered, never held as one string. Every value
 * from a record is attacker data: Markdown escapes each one (escape.ts),
 * JSON relies on JSON.stringify.
 */
import { markdownCell, markdownCode, markdownText } from '../report/escape.js';
import type { TimelineEvent, TimelineGap } from './event.js';
import type { ActorGroup } from './group.js';
import type { Foothold, Provenance } from './provenance.js';

export const TIMELINE_FORMAT = 1;

export interface TimelineResult {
  accountId: string;
  window: { since: string; until: string };
  /** How the events were read. */
  source: { kind: 'lookup'; lookupCalls: number } | { kind: 'trail-bucket'; bucket: string; prefix: string };
  regions: string[];
  records: number;
  events: number;
  groups: ActorGroup[];
  gaps: TimelineGap[];
  notes: string[];
  /** What the exposed keys did, when seeds were given (--key, a baseline's incident.exposedKeys). */
  provenance?: Provenance;
}

const footholdRef = (f: Foothold) => `${f.kind}:${f.id}`;
const eventRef = (e: TimelineEvent) => ({ time: e.time, region: e.region, source: e.source, name: e.name });

/** The provenance as JSON: footholds and sessions, each with the event that gave it (its time, region and name). */
function provenanceJson(p: Provenance) {
  return {
    seeds: p.seeds,
    unseenSeeds: p.unseenSeeds,
    events: p.events.length,
    footholds: p.footholds.map((f) => ({
      kind: f.kind,
      id: f.id,
      hop: f.hop,
      ...(f.from !== undefined ? { from: f.from } : {}),
      ...(f.arn !== undefined ? { arn: f.arn } : {}),
      ...(f.since !== undefined ? { since: f.since } : {}),
      ...(f.via ? { via: eventRef(f.via) } : {}),
    })),
    sessions: p.sessions.map((s) => ({
      accessKeyId: s.accessKeyId,
      how: s.how,
      root: s.root,
      ...(s.role !== undefined ? { role: s.role } : {}),
      ...(s.user !== undefined ? { user: s.user } : {}),
      ...(s.principal !== undefined ? { principal: s.principal } : {}),
      ...(s.expiration !== undefined ? { expiration: s.expiration } : {}),
      ...(s.workload !== undefined ? { workload: s.workload } : {}),
      via: eventRef(s.event),
    })),
  };
}

const eventJson = (e: TimelineEvent, p: Provenance | undefined) => {
  const { id: _id, ...rest } = e;
  const f = p?.attackerOf(e);
  return f ? { ...rest, attacker: { foothold: footholdRef(f), hop: f.hop } } : rest;
};

export function* timelineJson(r: TimelineResult): Generator<string> {
  const head = {
    format: TIMELINE_FORMAT,
    accountId: r.accountId,
    window: r.window,
    source: r.source,
    regions: r.regions,
    records: r.records,
    events: r.events,
    complete: r.gaps.length === 0,
    gaps: r.gaps,
    notes: r.notes,
    ...(r.provenance ? { provenance: provenanceJson(r.provenance) } : {}),
  };
  const text = JSON.stringify(head, null, 2);
  yield `${text.slice(0, -2)},\n  "actors": [`;
  let first = true;
  for (const g of r.groups) {
    const actor = { key: g.key, ...g.actor, accessKeyIds: g.accessKeyIds, events: g.events.map((e) => eventJson(e, r.provenance)) };
    yield `${first ? '' : ','}\n    ${JSON.stringify(actor)}`;
    first = false;
  }
  yield `${first ? '' : '\n  '}]\n}\n`;
}

const code = (v: string | undefined) => (v === undefined || v === '' ? '' : markdownCode(v, { table: true }));

function describeActor(g: ActorGroup): string {
  const a = g.actor;
  const parts = [`type ${markdownText(a.type)}`];
  if (a.issuer) parts.push(`session of ${markdownCode(a.issuer)}`);
  if (a.invokedBy) parts.push(`invoked by ${markdownCode(a.invokedBy)}`);
  if (g.accessKeyIds.length > 0) parts.push(`access key${g.accessKeyIds.length > 1 ? 's' : ''} ${g.accessKeyIds.map((k) => markdownCode(k)).join(', ')}`);
  return parts.join('; ');
}

export function* timelineMarkdown(r: TimelineResult): Generator<string> {
  yield `# CloudTrail timeline for account ${markdownText(r.accountId)}\n\n`;
  yield `Window: ${markdownText(r.window.since)} to ${markdownText(r.window.until)}. `;
  yield r.source.kind === 'lookup'
    ? `Read from CloudTrail event history (LookupEvents, ${r.source.lookupCalls} calls)`
    : `Read from the trail's log files in ${markdownCode(`s3://${r.source.bucket}/${r.source.prefix}`)}`;
  yield ` in ${r.regions.length} region${r.regions.length === 1 ? '' : 's'}: ${r.records} records, ${r.events} security-relevant events by ${r.groups.length} actor${r.groups.length === 1 ? '' : 's'}.\n\n`;
  if (r.gaps.length > 0) {
    yield `## Gaps: events not read\n\nThe timeline is incomplete: what happened here is unknown, not absent.\n\n| Region | Source | Call | Object | Error |\n|---|---|---|---|---|\n`;
    for (const g of r.gaps) yield `| ${markdownCell(g.region)} | ${g.source} | ${markdownCell(g.operation)} | ${code(g.key)} | ${markdownCell(g.error)} |\n`;
    yield '\n';
  }
  for (const n of r.notes) yield `> ${markdownText(n)}\n\n`;
  const p = r.provenance;
  if (p) yield* provenanceMarkdown(p);
  if (r.groups.length === 0) {
    yield 'No security-relevant events in the window.\n';
    return;
  }
  for (const g of r.groups) {
    const theirs = p ? g.events.filter((e) => p.attackerOf(e)).length : 0;
    yield `## ${markdownText(g.key)}\n\n${describeActor(g)}; ${g.events.length} event${g.events.length === 1 ? '' : 's'}${theirs > 0 ? `, **${theirs} by the attacker**` : ''}.\n\n`;
    yield `| Time | Region | Event | Kind | Targets | Source IP | User agent | Error |${p ? ' Attacker |' : ''}\n|---|---|---|---|---|---|---|---|${p ? '---|' : ''}\n`;
    for (const e of g.events) {
      const targets = e.targets.map((t) => markdownCode(t, { table: true })).join(' ');
      const f = p?.attackerOf(e);
      const attacker = p ? ` ${f ? `**yes**, hop ${f.hop} via ${code(footholdRef(f))}` : ''} |` : '';
      yield `| ${markdownCell(e.time)} | ${markdownCell(e.region)} | ${markdownCell(e.name)} (${markdownCell(e.source)}) | ${e.category} | ${targets} | ${code(e.sourceIp)} | ${code(e.userAgent)} | ${e.errorCode ? markdownCell(e.errorCode) : ''} |${attacker}\n`;
    }
    yield '\n';
  }
}

const FOOTHOLD_TEXT: Record<Foothold['kind'], string> = {
  exposedKey: 'exposed access key',
  accessKey: 'access key it created',
  session: 'session it obtained',
  user: 'user it created (every call of the user)',
  console: "user whose password it set (console sign-ins and console sessions from then on)",
  workload: "instance or function it launched (its role's sessions)",
  trust: 'role whose trust it wrote (sessions of it from outside the account)',
};

function* provenanceMarkdown(p: Provenance): Generator<string> {
  yield `## What the exposed keys did\n\n`;
  yield `Followed from ${p.seeds.map((s) => markdownCode(s)).join(', ') || 'no key'} through every key, session, user, password and workload their calls gave, to a fixed point: ${p.footholds.length} foothold${p.footholds.length === 1 ? '' : 's'}, ${p.events.length} event${p.events.length === 1 ? '' : 's'} by the attacker.\n\n`;
  if (p.unseenSeeds.length > 0) {
    yield `> No event in the window was signed with ${p.unseenSeeds.map((s) => markdownCode(s)).join(', ')}: unused in the window, or used where the timeline could not read (see the gaps).\n\n`;
  }
  yield '| Hop | Foothold | What it is | Obtained | From |\n|---|---|---|---|---|\n';
  for (const f of p.footholds) {
    const via = f.via ? `${markdownCell(f.via.time)} ${markdownCell(f.via.name)} in ${markdownCell(f.via.region)}` : 'given';
    yield `| ${f.hop} | ${code(f.id)} | ${FOOTHOLD_TEXT[f.kind]} | ${via} | ${code(f.from)} |\n`;
  }
  yield '\n';
  if (p.sessions.length > 0) {
    yield '### Sessions the attacker obtained\n\nA session outlives the key that made it: deleting the key does not end it.\n\n';
    yield '| Session key | How | For | Ends | What ends it sooner |\n|---|---|---|---|---|\n';
    for (const s of p.sessions) {
      const whose = s.role ?? s.user ?? (s.root ? 'the root user' : '');
      const ender = s.how === 'AssumeRole' ? "revoking the role's sessions (revokeRoleSessions)" : s.root ? 'nothing: only its expiry (root credentials)' : "denying the user (quarantineUser): a user's deny binds its sessions";
      const how = s.workload !== undefined ? `given to ${code(s.workload)}, first used at ${markdownCell(s.event.time)}` : `${s.how} at ${markdownCell(s.event.time)}`;
      yield `| ${code(s.accessKeyId)} | ${how} | ${code(whose)} | ${s.expiration ? markdownCell(s.expiration) : 'unknown'} | ${ender} |\n`;
    }
    yield '\n';
  }
}
