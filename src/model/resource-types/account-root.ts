import type { RootProps } from '../iam-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';
import { IAM } from './iam.js';

/** The account's root user. id: `root`. */
export const accountRoot = {
  prefix: 'root',
  ...IAM,
  props: {
    mfaEnabled: 'value',
    accessKeysPresent: 'value',
    signingCertificatesPresent: 'value',
    passwordLastUsed: 'value',
    accessKey1Active: 'value',
    accessKey2Active: 'value',
  } satisfies Record<keyof RootProps, FieldKind>,
  baseline: 'root',
  declared: { mfa: 'value', accessKeys: 'value' },
} as const satisfies ResourceDescriptor;
