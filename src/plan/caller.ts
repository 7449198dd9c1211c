import { callerPrincipal } from '../model/caller.js';
import type { CallerIdentity } from '../model/inventory.js';
import { ACTIONS } from '../actions/registry.js';
import type { PlanStep } from '../model/plan.js';

/** API steps that act on the identity that made the plan: apply will refuse them, so say so now. */
export function callerNotes(caller: CallerIdentity, steps: PlanStep[]): string[] {
  const me = callerPrincipal(caller.arn);
  if (!me) return [];
  const mine = steps.filter((s) => {
    if (ACTIONS[s.action].manual) return false;
    const { type, id, ref } = s.target;
    if (ref.principalType === me.type && ref.principalName === me.name) return true;
    if (me.type === 'user') return (type === 'iam.user' && id === me.name) || ref.user === me.name;
    return type === 'iam.role' && id === me.name;
  });
  if (mine.length === 0) return [];
  return [`${mine.length} step${mine.length === 1 ? '' : 's'} act${mine.length === 1 ? 's' : ''} on the identity that made this plan (${caller.arn}): apply never touches the identity it runs as (${mine.map((s) => s.id).join(', ')}).`];
}
