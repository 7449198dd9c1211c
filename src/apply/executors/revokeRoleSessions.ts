import { denyAll, denyAllStatements, guardPolicyExecutor } from '../iam/guard-policy.js';
import { observeRole } from '../iam/observe.js';

export const REVOKE_SESSIONS_POLICY = 'rollcall-revoke-sessions';

/**
 * Revokes a role's active sessions as the console's "Revoke active sessions"
 * does: an inline policy denying everything to credentials issued before this
 * run. New sessions work. A revocation already in place counts as done (its
 * cutoff is kept: moving it would cut sessions started since). Undo removes it.
 */
export const executor = guardPolicyExecutor({
  principalType: 'role',
  policyName: REVOKE_SESSIONS_POLICY,
  document: (ctx) => denyAll('RollcallRevokeOlderSessions', { DateLessThan: { 'aws:TokenIssueTime': ctx.now.toISOString() } }),
  inEffect: (existing) =>
    denyAllStatements(existing).some((s) => {
      const before = (s.Condition as { DateLessThan?: Record<string, unknown> } | undefined)?.DateLessThan;
      return typeof before?.['aws:TokenIssueTime'] === 'string';
    }),
  observe: observeRole,
});
