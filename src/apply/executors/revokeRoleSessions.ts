import { REVOKE_SESSIONS_POLICY, revocationCutoff } from '../../model/session-revocation.js';
import { denyAll, guardPolicyExecutor } from '../iam/guard-policy.js';
import { observeRole } from '../iam/observe.js';

export { REVOKE_SESSIONS_POLICY };

/**
 * Revokes a role's active sessions as the console's "Revoke active sessions"
 * does: an inline policy denying everything to credentials issued before this
 * run. New sessions work. A revocation already in place counts as done only
 * if its cut-off is at or after the step's `notBefore` (the plan's createdAt,
 * later than every session the plan saw): an older cut-off leaves a session
 * the attacker obtained since then live, so it is moved forward to now (undo
 * puts the older document back). A step without `notBefore` (a plan made
 * before it was recorded) takes any cut-off in place as done.
 */
export const executor = guardPolicyExecutor({
  principalType: 'role',
  policyName: REVOKE_SESSIONS_POLICY,
  document: (ctx) => denyAll('RollcallRevokeOlderSessions', { DateLessThan: { 'aws:TokenIssueTime': ctx.now.toISOString() } }),
  inEffect: (existing, step) => {
    const cutoff = revocationCutoff(existing);
    if (cutoff === undefined) return false;
    const notBefore = step.target.ref.notBefore;
    return notBefore === undefined || Date.parse(cutoff) >= Date.parse(notBefore);
  },
  observe: observeRole,
});
