/**
 * `--timeline FILE|live` of audit and plan: the CloudTrail timeline, read from
 * a file `rollcall timeline --format json` wrote or live over the incident
 * window, followed from the baseline's exposed keys (provenance) and joined
 * to the inventory (timeline/join.ts). Bad input fails before any AWS call.
 */
import { EVENT_HISTORY_REGION } from '../collect/event-history-region.js';
import { InputError } from '../errors.js';
import { loadTimeline } from '../load/timeline.js';
import type { Baseline } from '../model/baseline.js';
import type { History } from '../model/history.js';
import type { Inventory } from '../model/inventory.js';
import { parseCallerArn } from '../model/caller.js';
import type { Rule } from '../model/rule.js';
import { readsAttribution, readsHistory } from '../engine/reads-history.js';
import type { TimelineEvent, TimelineGap } from '../timeline/event.js';
import { joinHistory } from '../timeline/join.js';
import { traceProvenance } from '../timeline/provenance.js';

/** The timeline as read, before it is joined to an inventory. */
export interface TimelineRead {
  events: TimelineEvent[];
  window: { since: string; until: string };
  regions: string[];
  gaps: TimelineGap[];
  /** Some events lack their targets' kinds (a file written by an earlier rollcall). */
  withoutSubjects: boolean;
  /** Where it came from, for the notes: the file, or `CloudTrail (LookupEvents)`. */
  source: string;
  /** How it was read: a trail's bucket goes silent once its trail stops logging. */
  sourceKind: 'lookup' | 'trail-bucket';
  /** The keys the file's timeline followed (rollcall timeline --key), followed again with the baseline's. */
  seeds: string[];
}

export type TimelineSpec = { kind: 'file'; file: string } | { kind: 'live' };

/** `--timeline live` or a file. */
export function parseTimelineSpec(value: string | undefined): TimelineSpec | undefined {
  if (value === undefined) return undefined;
  return value === 'live' ? { kind: 'live' } : { kind: 'file', file: value };
}

/** A timeline file, checked against its schema and the baseline's account: every event with its targets' kinds where the file has them. */
export function readTimelineFile(file: string, baseline: Baseline, baselineFile: string): TimelineRead {
  const doc = loadTimeline(file);
  if (doc.accountId !== baseline.account.id) {
    throw InputError.at(
      { file: baselineFile, path: '/account/id' },
      `the baseline is for account ${baseline.account.id}, but the timeline ${file} is for account ${doc.accountId}: refusing to join one account's history to another's`,
    );
  }
  let withoutSubjects = false;
  const events: TimelineEvent[] = [];
  for (const actor of doc.actors) {
    for (const e of actor.events) {
      if (e.subjects === undefined) withoutSubjects = true;
      events.push({ ...e, subjects: e.subjects ?? [] });
    }
  }
  return { events, window: doc.window, regions: doc.regions, gaps: doc.gaps, withoutSubjects, source: file, sourceKind: doc.source.kind, seeds: doc.provenance?.seeds ?? [] };
}

/** `--timeline live` needs the incident's start: the window is [incident.since, incident.until or now]. */
export function liveWindow(baseline: Baseline, baselineFile: string, now: Date): { since: Date; until: Date } {
  const since = baseline.incident?.since;
  if (since === undefined) {
    throw InputError.at({ file: baselineFile, path: '/incident' }, '--timeline live reads CloudTrail from the incident\'s start: set incident.since in the baseline (or give --timeline FILE, written by rollcall timeline --format json)');
  }
  const until = baseline.incident?.until;
  return { since: new Date(since), until: until !== undefined && Date.parse(until) < now.getTime() ? new Date(until) : now };
}

/** The timeline joined to the inventory: provenance from the baseline's exposed keys. */
export function joinTimeline(read: TimelineRead, inventory: Inventory, baseline: Baseline, now: Date): History {
  const provenance = traceProvenance(read.events, [...new Set([...(baseline.incident?.exposedKeys ?? []), ...read.seeds])]);
  const history = joinHistory({
    events: read.events,
    provenance,
    accountId: inventory.accountId,
    resources: inventory.resources,
    regions: inventory.regions,
    collectedAt: inventory.collectedAt,
    iamEventRegion: EVENT_HISTORY_REGION[partitionOf(inventory)],
    timeline: { window: read.window, regions: read.regions, gaps: read.gaps, source: read.sourceKind, ...(read.withoutSubjects ? { withoutSubjects: true } : {}) },
    ...(baseline.incident ? { incident: baseline.incident } : {}),
    now,
  });
  const attacker = provenance.events.length;
  const unseen = provenance.unseenSeeds.length > 0 ? `; no event was signed with ${provenance.unseenSeeds.join(', ')}` : '';
  history.notes.unshift(
    `CloudTrail timeline ${read.source}: ${read.events.length} events from ${read.window.since} to ${read.window.until}, ${attacker} of them traced to the exposed keys${unseen}${read.gaps.length > 0 ? `; ${read.gaps.length} part(s) could not be read` : ''}.`,
  );
  return history;
}

/** The partition of the inventory's account, from its caller's ARN (`aws` when it cannot tell). */
export function partitionOf(inventory: Pick<Inventory, 'caller'>): string {
  return parseCallerArn(inventory.caller.arn)?.partition ?? 'aws';
}

/**
 * The rules judged with this history: without an exposed key to follow, the
 * rules that read who the attacker is are left out, as without a timeline
 * (judged, they would pass on an attribution nobody made).
 */
export function rulesJudged(rules: readonly Rule[], history: History | undefined): Rule[] {
  return history?.unattributed === undefined ? [...rules] : rules.filter((r) => !readsAttribution(r));
}

/** The note naming the rules left out for want of an exposed key (with `rulesJudged`). */
export function unattributedRulesNote(rules: readonly Rule[], history: History): string | undefined {
  if (history.unattributed === undefined) return undefined;
  const ids = rules.filter((r) => readsHistory(r) && readsAttribution(r)).map((r) => r.id);
  if (ids.length === 0) return undefined;
  return `${ids.length} rule(s) read who the attacker is and were not judged: ${history.unattributed}. Not judged: ${ids.join(', ')}.`;
}

/** What the report says when no timeline was given and some rules need one. */
export function notJudgedNote(rules: readonly Rule[], hint = 'Give --timeline live, or --timeline FILE written by rollcall timeline --format json.'): string | undefined {
  const ids = rules.filter(readsHistory).map((r) => r.id);
  if (ids.length === 0) return undefined;
  return `${ids.length} rule(s) read the CloudTrail history and were not judged (no --timeline): ${ids.join(', ')}. ${hint}`;
}
