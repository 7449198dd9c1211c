import type { FunctionProps } from '../regional-props.js';
import { SELECTOR_FIELDS, type FieldKind, type ResourceDescriptor } from './descriptor.js';

/** A Lambda function. id: the function name. Its tags come from the Tagging API (collect/join.ts). */
export const lambdaFunction = {
  prefix: 'function',
  service: 'lambda',
  global: false,
  collector: 'lambda',
  props: {
    name: 'value',
    runtime: 'value',
    roleArn: 'value',
    roles: 'list',
    handler: 'value',
    lastModified: 'value',
    codeSize: 'value',
    memorySize: 'value',
    timeout: 'value',
    packageType: 'value',
  } satisfies Record<keyof FunctionProps, FieldKind>,
  baseline: 'resources',
  selectorsDoc: 'Lambda functions. `name` matches the function name.',
  declared: SELECTOR_FIELDS,
  taggedAs: 'lambda:function',
} as const satisfies ResourceDescriptor;
