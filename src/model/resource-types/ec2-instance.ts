import type { InstanceProps } from '../regional-props.js';
import { SELECTOR_FIELDS, type FieldKind, type ResourceDescriptor } from './descriptor.js';

/** An EC2 instance. id: the instance id. */
export const ec2Instance = {
  prefix: 'instance',
  service: 'ec2',
  global: false,
  collector: 'ec2',
  props: {
    state: 'value',
    instanceType: 'value',
    launchTime: 'value',
    imageId: 'value',
    keyName: 'value',
    name: 'value',
    instanceProfileArn: 'value',
    roles: 'list',
    lifecycle: 'value',
    spotRequestId: 'value',
    vpcId: 'value',
    subnetId: 'value',
    publicIp: 'value',
    privateIp: 'value',
  } satisfies Record<keyof InstanceProps, FieldKind>,
  baseline: 'resources',
  selectorsDoc: 'EC2 instances. `name` matches the Name tag.',
  declared: SELECTOR_FIELDS,
  // AWS lists terminated instances for about an hour.
  terminalStates: ['shutting-down', 'terminated'],
  taggedAs: 'ec2:instance',
} as const satisfies ResourceDescriptor;
