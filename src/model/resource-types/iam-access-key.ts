import type { AccessKeyProps } from '../iam-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';
import { IAM } from './iam.js';

/** An IAM user's access key. id: the access key id. */
export const iamAccessKey = {
  prefix: 'accessKey',
  ...IAM,
  props: {
    user: 'value',
    status: 'value',
    createDate: 'value',
    lastUsedDate: 'value',
    lastUsedService: 'value',
    lastUsedRegion: 'value',
    lastActivity: 'value',
  } satisfies Record<keyof AccessKeyProps, FieldKind>,
  baseline: 'iam.users[].accessKeys',
  declared: { name: 'value', id: 'value', user: 'value', maxAgeDays: 'value', count: 'value', accepted: 'list', displacing: 'list' },
} as const satisfies ResourceDescriptor;
