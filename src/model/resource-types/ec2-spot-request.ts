import type { SpotRequestProps } from '../regional-props.js';
import { SELECTOR_FIELDS, type FieldKind, type ResourceDescriptor } from './descriptor.js';

/** A spot instance request. id: the request id. */
export const ec2SpotRequest = {
  prefix: 'spotRequest',
  service: 'ec2',
  global: false,
  collector: 'ec2',
  props: {
    state: 'value',
    statusCode: 'value',
    type: 'value',
    instanceId: 'value',
    spotPrice: 'value',
    instanceType: 'value',
    imageId: 'value',
    keyName: 'value',
    instanceProfileArn: 'value',
    createTime: 'value',
    name: 'value',
  } satisfies Record<keyof SpotRequestProps, FieldKind>,
  baseline: 'resources',
  selectorsDoc: 'Spot instance requests. `name` matches the Name tag.',
  declared: SELECTOR_FIELDS,
  terminalStates: ['closed', 'cancelled', 'failed'],
  taggedAs: 'ec2:spot-instances-request',
} as const satisfies ResourceDescriptor;
