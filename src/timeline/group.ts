/**
 * Where the sources put what they keep: events once each (an event read twice,
 * by two lookups or in two files, counts once), grouped by actor, and the
 * gaps. Only kept events are held, never the records they came from.
 */
import { actorKey, type Actor, type TimelineEvent, type TimelineGap } from './event.js';

export interface ActorGroup {
  key: string;
  actor: Actor;
  /** Every access key id the actor signed with in the window. */
  accessKeyIds: string[];
  /** In time order (then region, source, name). */
  events: TimelineEvent[];
}

const byTime = (a: TimelineEvent, b: TimelineEvent) =>
  a.time < b.time ? -1 : a.time > b.time ? 1 : cmp(a.region, b.region) || cmp(a.source, b.source) || cmp(a.name, b.name);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class TimelineSink {
  private readonly ids = new Set<string>();
  private readonly groups = new Map<string, ActorGroup>();
  readonly gaps: TimelineGap[] = [];
  /** Records read (kept or not), for the summary and the measurements. */
  records = 0;

  add(event: TimelineEvent): void {
    if (event.id !== undefined) {
      const id = `${event.region}/${event.id}`;
      if (this.ids.has(id)) return;
      this.ids.add(id);
    }
    const key = actorKey(event.actor);
    let group = this.groups.get(key);
    if (!group) {
      group = { key, actor: event.actor, accessKeyIds: [], events: [] };
      this.groups.set(key, group);
    }
    const keyId = event.actor.accessKeyId;
    if (keyId !== undefined && !group.accessKeyIds.includes(keyId)) group.accessKeyIds.push(keyId);
    group.events.push(event);
  }

  gap(gap: TimelineGap): void {
    this.gaps.push(gap);
  }

  /** Actors in the order of their first event; each one's events in time order. */
  grouped(): ActorGroup[] {
    const groups = [...this.groups.values()];
    for (const g of groups) {
      g.events.sort(byTime);
      g.accessKeyIds.sort();
    }
    return groups.sort((a, b) => byTime(a.events[0]!, b.events[0]!) || cmp(a.key, b.key));
  }

  sortedGaps(): TimelineGap[] {
    return [...this.gaps].sort((a, b) => cmp(a.region, b.region) || cmp(a.source, b.source) || cmp(a.key ?? '', b.key ?? ''));
  }

  get eventCount(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.events.length;
    return n;
  }
}
