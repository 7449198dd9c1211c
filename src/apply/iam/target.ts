/**
 * Reads what an IAM step acts on from its target: the `ref` the planner fills,
 * or else the resource id the inventory gave it (`user/alice/arn:...`).
 */
import type { PrincipalType } from '../../model/iam-props.js';
import type { PlanStep } from '../../model/plan.js';

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
  return step.target.ref.user ?? step.target.id;
}

/** An access key: its id, and `ref.user`, the user it belongs to (ListAccessKeys and UpdateAccessKey need it). */
export function accessKeyOf(step: PlanStep): { user: string; keyId: string } {
  const user = step.target.ref.user;
  if (!user) throw malformed(step, "which user the key belongs to (target.ref.user)");
  return { user, keyId: step.target.ref.accessKeyId ?? step.target.id };
}

/** `principalType/principalName/last`: the id of an attachment or an inline policy (the last part may hold `/`). */
function principalPart(step: PlanStep, lastKey: 'policyArn' | 'policyName'): { principal: Principal; last: string } {
  const ref = step.target.ref;
  const [type, name, ...rest] = step.target.id.split('/');
  const principalType = ref.principalType ?? type ?? '';
  const principalName = ref.principalName ?? name ?? '';
  const last = ref[lastKey] ?? rest.join('/');
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
  const [idUser, idGroup] = step.target.id.split('/');
  const user = step.target.ref.user ?? idUser ?? '';
  const group = step.target.ref.group ?? idGroup ?? '';
  if (user === '' || group === '') throw malformed(step, 'the user and group (target.ref.user, group)');
  return { user, group };
}

/** A role target: `ref.role`, else the id (the role name). */
export function roleOf(step: PlanStep): string {
  return step.target.ref.role ?? step.target.id;
}
