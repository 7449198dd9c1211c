/**
 * `--timeline live`: the CloudTrail history read from LookupEvents. A module
 * of its own, loaded only when AWS is reached, so that an audit of a saved
 * inventory loads no AWS client.
 */
import { EVENT_HISTORY_REGION } from '../collect/event-history-region.js';
import { timelineFor, type TimelineClients } from '../timeline/timeline.js';
import type { TimelineRead } from './timeline-input.js';

/**
 * The live timeline over the audited regions, and always the region where the
 * partition records IAM's (global) events, even when --regions leaves it out:
 * without it IAM's history is blind.
 */
export async function readTimelineLive(clients: TimelineClients, accountId: string, regions: readonly string[], window: { since: Date; until: Date }, now: Date, log: (m: string) => void, partition = 'aws'): Promise<TimelineRead> {
  const read = regions.filter((r) => r !== 'global');
  const iamRegion = EVENT_HISTORY_REGION[partition];
  if (iamRegion !== undefined && !read.includes(iamRegion)) read.push(iamRegion);
  const result = await timelineFor(clients, accountId, read, [], { window, now, log });
  for (const n of result.notes) log(`timeline: ${n}`);
  return {
    events: result.groups.flatMap((g) => g.events),
    window: result.window,
    regions: result.regions,
    gaps: result.gaps,
    withoutSubjects: false,
    source: 'CloudTrail (LookupEvents)',
    sourceKind: 'lookup',
    seeds: [],
  };
}
