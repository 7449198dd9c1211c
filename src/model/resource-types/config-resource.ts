import type { ConfigResourceProps } from '../config-props.js';
import { SELECTOR_FIELDS, type FieldKind, type ResourceDescriptor } from './descriptor.js';

/**
 * Any resource AWS Config records (with --config, or --config-aggregator NAME):
 * the types rollcall has no collector for, untagged ones included. Listed once
 * for the account (collect/config.ts); its id is `<Config type>/<resource id>`.
 */
export const configResource = {
  prefix: 'config',
  service: 'config',
  global: false,
  accountWide: true,
  collector: 'config',
  props: {
    configType: 'value',
    resourceId: 'value',
    name: 'value',
    captureTime: 'value',
    createdTime: 'value',
    source: 'value',
    collectedAs: 'value',
    tagged: 'value',
    inEveryRegion: 'value',
  } satisfies Record<keyof ConfigResourceProps, FieldKind>,
  baseline: 'resources',
  selectorsDoc:
    'Resources AWS Config records (read with --config or --config-aggregator). Every selector names `configType`, a Config type such as `AWS::SageMaker::NotebookInstance` (`*` matches any run of characters); a type no selector names is reported once (config-resource-type-undeclared), a resource of a named type that no selector matches on its own (config-resource-undeclared). `id` is `<Config type>/<resource id>`, `name` matches the Config resource name.',
  selectorRef: 'configSelector',
  declared: SELECTOR_FIELDS,
} as const satisfies ResourceDescriptor;
