/**
 * Reads what an IAM step acts on from its target, as model/target-ref.ts
 * reads it (the `ref` the planner fills, else the resource id the inventory
 * gave it), and refuses a target that does not say it.
 */
import type { PrincipalType } from '../../model/iam-props.js';
import type { PlanStep } from '../../model/plan.js';
import { targetRef } from '../../model/target-ref.js';

export interface Principal {
  type: PrincipalType;
  name: string;
}

const PRINCIPAL_TYPES: readonly string[] = ['user', 'group', 'role'];

function malformed(step: PlanStep, what: string): Error {
  return new Error(`step ${step.id}: the target does not say ${what}`);
}

/** A user-level target (a user, its login profile): `ref.user`, else the id. */
export function userOf(step: PlanStep): string {
  return targetRef(step.target).user ?? step.target.id;
}

/** An access key: its id, and `ref.user`, the user it belongs to (ListAccessKeys and UpdateAccessKey need it). */
export function accessKeyOf(step: PlanStep): { user: string; keyId: string } {
  const { user, accessKeyId } = targetRef(step.target);
  if (!user) throw malformed(step, "which user the key belongs to (target.ref.user)");
  return { user, keyId: accessKeyId ?? step.target.id };
}

/** The principal of an attachment or an inline policy, and its policy's ARN or name. */
function principalPart(step: PlanStep, lastKey: 'policyArn' | 'policyName'): { principal: Principal; last: string } {
  const ref = targetRef(step.target);
  const principalType = ref.principalType ?? '';
  const principalName = ref.principalName ?? '';
  const last = ref[lastKey] ?? '';
  if (!PRINCIPAL_TYPES.includes(principalType) || principalName === '' || last === '') {
    throw malformed(step, `the principal and ${lastKey} (target.ref.principalType, principalName, ${lastKey})`);
  }
  return { principal: { type: principalType as PrincipalType, name: principalName }, last };
}

export function attachmentOf(step: PlanStep): { principal: Principal; policyArn: string } {
  const { principal, last } = principalPart(step, 'policyArn');
  return { principal, policyArn: last };
}

export function inlinePolicyOf(step: PlanStep): { principal: Principal; policyName: string } {
  const { principal, last } = principalPart(step, 'policyName');
  return { principal, policyName: last };
}

/** A group membership: `ref.user` and `ref.group`, else the id `user/group`. */
export function membershipOf(step: PlanStep): { user: string; group: string } {
  const { user = '', group = '' } = targetRef(step.target);
  if (user === '' || group === '') throw malformed(step, 'the user and group (target.ref.user, group)');
  return { user, group };
}

/** A role target: `ref.role`, else the id (the role name). */
export function roleOf(step: PlanStep): string {
  return targetRef(step.target).role ?? step.target.id;
}
