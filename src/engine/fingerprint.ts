import { createHash } from 'node:crypto';

/** Stable across runs: the same rule, account and subject always give the same fingerprint. */
export function fingerprint(ruleId: string, accountId: string, subject: string): string {
  return createHash('sha256').update(`${ruleId}\u0000${accountId}\u0000${subject}`).digest('hex').slice(0, 32);
}
