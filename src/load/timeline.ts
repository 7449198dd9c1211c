import type { Category } from '../timeline/catalogue.js';
import type { Actor, TimelineEvent, TimelineGap } from '../timeline/event.js';
import type { AttackerSession, FootholdKind } from '../timeline/provenance.js';
import type { TimelineResult } from '../timeline/render.js';
import { schemaProblems } from './schemas.js';
import { loadChecked } from './yaml-file.js';

/** A timeline as `rollcall timeline --format json` writes it (schemas/timeline.schema.json). Every string in it came from CloudTrail: attacker data. */
export interface TimelineDocument {
  format: number;
  accountId: string;
  window: TimelineResult['window'];
  source: TimelineResult['source'];
  regions: string[];
  records: number;
  events: number;
  complete: boolean;
  gaps: TimelineGap[];
  notes: string[];
  /** Present when the timeline followed keys (--key, a baseline's incident.exposedKeys). */
  provenance?: ProvenanceDocument;
  actors: (Actor & { key: string; accessKeyIds: string[]; events: TimelineDocumentEvent[] })[];
}

/** An event as written: `subjects` is absent in timelines written before it existed. */
export type TimelineDocumentEvent = Omit<TimelineEvent, 'id' | 'category' | 'subjects'> & {
  category: Category;
  subjects?: TimelineEvent['subjects'];
  /** The event is the attacker's, through this foothold (`kind:id`), this many hops from an exposed key. */
  attacker?: { foothold: string; hop: number };
};

/** An event as the provenance names it. */
export interface EventRef {
  time: string;
  region: string;
  source: string;
  name: string;
}

export interface ProvenanceDocument {
  seeds: string[];
  unseenSeeds: string[];
  events: number;
  footholds: { kind: FootholdKind; id: string; hop: number; from?: string; arn?: string; since?: string; via?: EventRef }[];
  sessions: { accessKeyId: string; how: AttackerSession['how']; root: boolean; role?: string; user?: string; principal?: string; expiration?: string; workload?: string; via: EventRef }[];
}

/** Reads a JSON timeline and checks it against the timeline schema: every problem at once, with its line. */
export function loadTimeline(file: string): TimelineDocument {
  return loadChecked<TimelineDocument>(file, (data) => schemaProblems('timeline', data));
}
