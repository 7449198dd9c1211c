/** Timelines for the history rules and the join: events made from CloudTrail-shaped records, joined to resources as audit joins them. */
import type { Baseline } from '../../src/model/baseline.js';
import type { History } from '../../src/model/history.js';
import type { Resource } from '../../src/model/resource.js';
import type { TimelineEvent, TimelineGap } from '../../src/timeline/event.js';
import { joinHistory } from '../../src/timeline/join.js';
import { normaliseRecord } from '../../src/timeline/normalise.js';
import { traceProvenance } from '../../src/timeline/provenance.js';
import { ctRecord, type RecordSpec } from './cloudtrail-records.js';
import { ACCOUNT, NOW } from './resources.js';

export const HISTORY_WINDOW = { since: new Date('2026-10-01T00:00:00Z'), until: NOW };

/** A kept event, as the timeline reads it from the record. */
export function event(s: RecordSpec): TimelineEvent {
  const e = normaliseRecord(ctRecord(s), HISTORY_WINDOW);
  if (!e) throw new Error(`not kept: ${s.source} ${s.name}`);
  return e;
}

export const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
export const rootIdentity = (keyId: string) => ({ type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: keyId });

export interface TimelineSpec {
  events: TimelineEvent[];
  window?: { since: string; until: string };
  regions?: string[];
  gaps?: TimelineGap[];
  withoutSubjects?: boolean;
  source?: 'lookup' | 'trail-bucket';
}

export interface JoinOptions {
  /** The inventory's collectedAt (default: now). */
  collectedAt?: string;
  /** Where the partition records IAM's events (default us-east-1, as for aws). */
  iamEventRegion?: string | undefined;
}

/** The history audit would join: provenance from the baseline's exposed keys, the timeline's window and gaps. */
export function historyFor(t: TimelineSpec, resources: Resource[], baseline: Baseline, regions: string[] = ['global', 'us-east-1', 'eu-west-1'], now = NOW, o: JoinOptions = {}): History {
  return joinHistory({
    events: t.events,
    provenance: traceProvenance(t.events, baseline.incident?.exposedKeys ?? []),
    accountId: ACCOUNT,
    resources,
    regions,
    collectedAt: o.collectedAt ?? now.toISOString(),
    iamEventRegion: 'iamEventRegion' in o ? o.iamEventRegion : 'us-east-1',
    timeline: {
      window: t.window ?? { since: HISTORY_WINDOW.since.toISOString(), until: HISTORY_WINDOW.until.toISOString() },
      regions: t.regions ?? regions.filter((r) => r !== 'global'),
      gaps: t.gaps ?? [],
      ...(t.withoutSubjects ? { withoutSubjects: true } : {}),
      ...(t.source ? { source: t.source } : {}),
    },
    ...(baseline.incident ? { incident: baseline.incident } : {}),
    now,
  });
}
