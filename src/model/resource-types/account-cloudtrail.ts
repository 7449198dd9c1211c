import type { CloudTrailAccountProps } from '../cloudtrail-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';

/**
 * What the account's trails add up to (whether some multi-region trail logs
 * every management event). id: `account`. Made by the CloudTrail collector
 * from the trails it read, never from a partial read.
 */
export const accountCloudtrail = {
  prefix: 'cloudtrail',
  service: 'cloudtrail',
  global: true,
  collector: 'cloudtrail',
  props: {
    trails: 'value',
    multiRegionTrails: 'list',
    loggingMultiRegionTrails: 'list',
  } satisfies Record<keyof CloudTrailAccountProps, FieldKind>,
  baseline: 'cloudtrail',
  declared: { multiRegionLogging: 'value' },
} as const satisfies ResourceDescriptor;
