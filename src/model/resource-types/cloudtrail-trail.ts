import type { TrailProps } from '../cloudtrail-props.js';
import { SELECTOR_FIELDS, type FieldKind, type ResourceDescriptor } from './descriptor.js';

/**
 * A CloudTrail trail, in its home region. id: the trail's name. Listed once
 * for the account (ListTrails answers for every region), read in its home
 * region (collect/cloudtrail.ts).
 */
export const cloudtrailTrail = {
  prefix: 'trail',
  service: 'cloudtrail',
  global: false,
  accountWide: true,
  collector: 'cloudtrail',
  props: {
    name: 'value',
    homeRegion: 'value',
    multiRegion: 'value',
    organizationTrail: 'value',
    ownerAccountId: 'value',
    includeGlobalServiceEvents: 'value',
    logging: 'value',
    startLoggingTime: 'value',
    stopLoggingTime: 'value',
    managementEventsRead: 'value',
    managementEventsWrite: 'value',
    advancedEventSelectors: 'value',
    s3Bucket: 'value',
    s3KeyPrefix: 'value',
    logFileValidation: 'value',
  } satisfies Record<keyof TrailProps, FieldKind>,
  baseline: 'resources',
  selectorsDoc: 'CloudTrail trails, in their home region. `name` matches the trail name.',
  declared: SELECTOR_FIELDS,
  taggedAs: 'cloudtrail:trail',
} as const satisfies ResourceDescriptor;
