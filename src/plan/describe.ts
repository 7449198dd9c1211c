import { definitionOf } from '../actions/registry.js';
import type { StepAction } from '../model/action.js';
import type { Precondition, StepTarget } from '../model/plan.js';
import type { Plain, Props } from '../model/resource.js';
import { oneLine } from './instructions.js';

/**
 * A step's one-line description, and the facts apply re-reads before acting
 * (the props that justified the step and that the step itself does not
 * change, plus the state it expects to find): each action's module says them
 * (src/actions/<action>.ts).
 */
export function describeStep(action: StepAction, target: StepTarget, props: Props): string {
  return oneLine(definitionOf(action).describe(target, props));
}

/**
 * The facts a precondition may hold: every prop the plan knows. Collectors
 * store `''` where AWS did not say (moto's GetAccountAuthorizationDetails
 * omits a policy's PolicyId): that is not a fact, and apply, which reads the
 * real value, would refuse the step as changed. `null` stays: it is AWS
 * saying "none" (never used, no boundary), a fact worth re-checking.
 */
export function knownFacts(props: Readonly<Record<string, Plain | undefined>>): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  for (const [k, v] of Object.entries(props)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

export function preconditionOf(action: StepAction, props: Props | undefined): Precondition {
  if (!props) return { exists: false, props: {} };
  const kind = definitionOf(action);
  const kept = knownFacts(Object.fromEntries(kind.keep.map((k) => [k, props[k]])));
  return { exists: true, props: { ...kept, ...(kind.expect?.(props) ?? {}) } };
}
