import type { LoginProfileProps } from '../iam-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';
import { IAM } from './iam.js';

/** An IAM user's console password. id: the user name. */
export const iamLoginProfile = {
  prefix: 'loginProfile',
  ...IAM,
  props: {
    user: 'value',
    passwordLastUsed: 'value',
    passwordLastChanged: 'value',
  } satisfies Record<keyof LoginProfileProps, FieldKind>,
  baseline: 'iam.users[].console',
  declared: { name: 'value', user: 'value' },
} as const satisfies ResourceDescriptor;
