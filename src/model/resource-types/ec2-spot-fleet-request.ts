import type { SpotFleetRequestProps } from '../regional-props.js';
import { SELECTOR_FIELDS, type FieldKind, type ResourceDescriptor } from './descriptor.js';

/** A spot fleet request. id: the request id. Listed only where a fleet can exist (collect/spot-fleet-gate.ts). */
export const ec2SpotFleetRequest = {
  prefix: 'spotFleet',
  service: 'ec2',
  global: false,
  collector: 'ec2.spotFleets',
  props: {
    state: 'value',
    targetCapacity: 'value',
    type: 'value',
    iamFleetRole: 'value',
    createTime: 'value',
    name: 'value',
  } satisfies Record<keyof SpotFleetRequestProps, FieldKind>,
  baseline: 'resources',
  selectorsDoc: 'Spot fleet requests. `name` matches the Name tag.',
  declared: SELECTOR_FIELDS,
  terminalStates: ['cancelled', 'failed', 'cancelled_terminating', 'cancelled_running'],
  taggedAs: 'ec2:spot-fleet-request',
} as const satisfies ResourceDescriptor;
