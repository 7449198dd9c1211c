import type { Fields } from './descriptor.js';

/** What every IAM type shares: the iam service's one global endpoint, read by the IAM collector. */
export const IAM = { service: 'iam', global: true, collector: 'iam' } as const;

/** `declared.*` of a type declared on the baseline's users, groups and roles (policy attachments, inline policies). */
export const PER_PRINCIPAL_FIELDS = { principalType: 'value', principalName: 'value', policy: 'value' } as const satisfies Fields;
