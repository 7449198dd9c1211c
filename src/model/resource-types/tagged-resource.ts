import type { TaggedResourceProps } from '../regional-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';

/** Any taggable resource no specific collector covers, from the Tagging API. id: its ARN. Never declared one by one. */
export const taggedResource = {
  prefix: 'tagged',
  service: 'tagging',
  global: false,
  collector: 'tagging',
  props: { service: 'value', resourceType: 'value', name: 'value' } satisfies Record<keyof TaggedResourceProps, FieldKind>,
  baseline: null,
  declared: {},
} as const satisfies ResourceDescriptor;
