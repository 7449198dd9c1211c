import type { ConfigResourceTypeProps } from '../config-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';

/**
 * A Config resource type present in a region (collect/config.ts counts its
 * resources there). id: the Config type. Declared, in every region, by the
 * `configType` of the selectors under `resources.config.resource`.
 */
export const configResourceType = {
  prefix: 'configType',
  service: 'config',
  global: false,
  accountWide: true,
  collector: 'config',
  props: { configType: 'value', count: 'value', examples: 'list' } satisfies Record<keyof ConfigResourceTypeProps, FieldKind>,
  baseline: 'resources.config.resource[].configType',
  declared: { configType: 'value' },
} as const satisfies ResourceDescriptor;
