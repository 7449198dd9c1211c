/**
 * The CloudTrail rules' failing and passing cases, for the built-in rules
 * test (builtin-rules.test.ts spreads them into its table). Trails are made
 * with the collector's own mapping of CloudTrail's answers.
 */
import type { Trail } from '@aws-sdk/client-cloudtrail';
import { cloudTrailAccount, trailResource } from '../../../src/answers/cloudtrail.js';
import type { Baseline } from '../../../src/model/baseline.js';
import type { Resource } from '../../../src/model/resource.js';
import { ACCOUNT, baseline, daysAgo } from '../../helpers/resources.js';

interface Case {
  baseline: Baseline;
  resources: Resource[];
  subjects: string[];
}

const ALL = { EventSelectors: [{ ReadWriteType: 'All' as const, IncludeManagementEvents: true }] };
const WRITE_ONLY = { EventSelectors: [{ ReadWriteType: 'WriteOnly' as const, IncludeManagementEvents: true }] };

/** A trail as the collector maps it: logging, every management event, unless told otherwise. */
export function trail(
  name: string,
  home: string,
  o: { multiRegion?: boolean; logging?: boolean; stoppedAt?: string; selectors?: typeof ALL | typeof WRITE_ONLY; trail?: Partial<Trail> } = {},
): Resource {
  return trailResource(
    ACCOUNT,
    { Name: name, HomeRegion: home, TrailARN: `arn:aws:cloudtrail:${home}:${ACCOUNT}:trail/${name}`, IsMultiRegionTrail: o.multiRegion ?? false, S3BucketName: `${name}-logs`, ...o.trail },
    { IsLogging: o.logging ?? true, StartLoggingTime: new Date(daysAgo(60)), ...(o.stoppedAt ? { StopLoggingTime: new Date(o.stoppedAt) } : {}) },
    o.selectors ?? ALL,
  );
}

/** The trails, and the account summary the collector makes from them. */
export const withAccount = (trails: Resource[]): Resource[] => [...trails, cloudTrailAccount(ACCOUNT, trails)];

const incident = baseline({ incident: { since: '2026-11-01T00:00:00Z' } });
const closedIncident = baseline({ incident: { since: '2026-11-01T00:00:00Z', until: '2026-11-10T00:00:00Z' } });
const required = baseline({ cloudtrail: { multiRegionLogging: 'required' } });
const declared = baseline({ resources: { 'cloudtrail.trail': [{ name: 'org-main', region: 'us-east-1' }] } });

export const CLOUDTRAIL_CASES: Record<string, { fail: Case; pass: Case }> = {
  'cloudtrail-logging-stopped-during-incident': {
    fail: {
      baseline: incident,
      resources: [trail('main', 'us-east-1', { multiRegion: true, logging: false, stoppedAt: '2026-11-03T10:00:00Z' }), trail('eu-only', 'eu-west-1', { logging: false, stoppedAt: daysAgo(2) })],
      subjects: ['trail/us-east-1/main', 'trail/eu-west-1/eu-only'],
    },
    pass: {
      baseline: closedIncident,
      resources: [
        // stopped before the incident began, after it ended, and stopped then started again
        trail('old', 'us-east-1', { logging: false, stoppedAt: '2026-10-01T00:00:00Z' }),
        trail('later', 'us-east-1', { logging: false, stoppedAt: '2026-11-15T00:00:00Z' }),
        trail('restarted', 'eu-west-1', { logging: true, stoppedAt: '2026-11-03T10:00:00Z' }),
      ],
      subjects: [],
    },
  },
  'cloudtrail-trail-not-logging': {
    fail: { baseline: declared, resources: [trail('org-main', 'us-east-1', { multiRegion: true, logging: false, stoppedAt: daysAgo(1) })], subjects: ['trail/us-east-1/org-main'] },
    // logging; and a stopped trail the baseline does not declare is another rule's
    pass: { baseline: declared, resources: [trail('org-main', 'us-east-1', { multiRegion: true }), trail('scratch', 'us-east-1', { logging: false })], subjects: [] },
  },
  'cloudtrail-multi-region-logging-missing': {
    fail: {
      baseline: required,
      // multi-region but stopped; logging but one region only; multi-region and logging but writes only
      resources: withAccount([
        trail('main', 'us-east-1', { multiRegion: true, logging: false }),
        trail('local', 'eu-west-1'),
        trail('writes', 'eu-west-1', { multiRegion: true, selectors: WRITE_ONLY }),
      ]),
      subjects: ['cloudtrail/account'],
    },
    pass: { baseline: required, resources: withAccount([trail('main', 'us-east-1', { multiRegion: true })]), subjects: [] },
  },
  'cloudtrail-trail-undeclared': {
    fail: { baseline: declared, resources: [trail('org-main', 'us-east-1', { multiRegion: true }), trail('exfil', 'ap-south-1')], subjects: ['trail/ap-south-1/exfil'] },
    pass: { baseline: declared, resources: [trail('org-main', 'us-east-1', { multiRegion: true })], subjects: [] },
  },
};
