import type { Category } from '../timeline/catalogue.js';
import type { Actor, TimelineEvent, TimelineGap } from '../timeline/event.js';
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
  actors: (Actor & { key: string; accessKeyIds: string[]; events: TimelineDocumentEvent[] })[];
}

/** An event as written: `subjects` is absent in timelines written before it existed. */
export type TimelineDocumentEvent = Omit<TimelineEvent, 'id' | 'category' | 'subjects'> & { category: Category; subjects?: TimelineEvent['subjects'] };

/** Reads a JSON timeline and checks it against the timeline schema: every problem at once, with its line. */
export function loadTimeline(file: string): TimelineDocument {
  return loadChecked<TimelineDocument>(file, (data) => schemaProblems('timeline', data));
}
