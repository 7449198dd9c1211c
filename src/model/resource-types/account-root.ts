import type { RootProps } from '../iam-props.js';
import type { FieldKind, ResourceDescriptor } from './descriptor.js';

/** The account's root user. id: `root`. */
export const accountRoot = {
  prefix: 'root',
  service: 'iam',
  global: true,
  collector: 'iam',
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
