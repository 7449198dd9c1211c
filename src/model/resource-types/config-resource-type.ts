import type { ConfigResourceTypeProps } from '../config-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';

/**
 * A Config resource type present in the account (collect/config.ts sums its
 * resources over the regions read). id: the Config type. Declared by the
 * `configType` of the selectors under `resources.config.resource`.
 */
export const configResourceType = {
  prefix: 'configType',
  service: 'config',
  global: true,
  accountWide: true,
  collector: 'config',
  props: { configType: 'value', count: 'value', regions: 'list', examples: 'list' } satisfies Record<keyof ConfigResourceTypeProps, FieldKind>,
  baseline: 'resources.config.resource[].configType',
  declared: { configType: 'value' },
} as const satisfies ResourceDescriptor;
