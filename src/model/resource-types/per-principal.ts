import type { Fields } from './descriptor.js';

/** `declared.*` of a type declared on the baseline's users, groups and roles (policy attachments, inline policies). */
export const PER_PRINCIPAL_FIELDS = { principalType: 'value', principalName: 'value', policy: 'value' } as const satisfies Fields;
