/**
 * What apply checks before it touches anything, and before each step: the
 * account and caller are the plan's, the plan is fresh, the identity running
 * apply is never a target, destructive steps stay within bounds, and each
 * target is still as the plan saw it.
 */
import type { AwsClients } from '../aws/clients.js';
import { ApplyRefused } from '../errors.js';
import { callerIdentity } from '../answers/caller-identity.js';
import { callerKey, callerPrincipal } from '../model/caller.js';
import { canonicalJson } from '../model/digest.js';
import { ACTIONS, definitionOf } from '../actions/registry.js';
import type { Plan, PlanStep, StepTarget } from '../model/plan.js';
import { targetRef } from '../model/target-ref.js';
import type { Plain } from '../model/resource.js';
import type { Observed } from './executor.js';

/** Who runs apply: the STS caller, and the access key its credentials carry. */
export interface RunIdentity {
  account: string;
  arn: string;
  userId: string;
  /** The access key id the SDK signs with (absent when the provider gives none). */
  accessKeyId?: string;
}

export async function identify(clients: AwsClients): Promise<RunIdentity> {
  const caller = await callerIdentity(clients);
  const credentials = await clients.sts().config.credentials();
  return { ...caller, ...(credentials.accessKeyId ? { accessKeyId: credentials.accessKeyId } : {}) };
}

/** The credentials must be for the account, and the identity (an assumed role's session aside), that made the plan (or ran the apply being undone). */
export function checkCaller(expected: { what: 'plan' | 'journal'; accountId: string; callerArn: string }, who: RunIdentity): void {
  const { what, accountId, callerArn } = expected;
  if (who.account !== accountId) {
    throw new ApplyRefused(`${what} is for account ${accountId}, credentials are for ${who.account}: refusing to ${what === 'plan' ? 'apply' : 'undo'}`);
  }
  if (callerKey(who.arn) !== callerKey(callerArn)) {
    throw new ApplyRefused(
      what === 'plan'
        ? `plan was made by ${callerArn}, credentials are for ${who.arn}: apply must run as the identity that planned`
        : `journal was written by ${callerArn}, credentials are for ${who.arn}: undo must run as the identity that applied`,
    );
  }
}

export const DEFAULT_MAX_AGE_HOURS = 24;

/**
 * How far a plan's createdAt may lie ahead of apply's clock. Honest clocks on
 * two machines differ by seconds; AWS itself refuses requests signed more
 * than 15 minutes off, so a plan further ahead than that was made with
 * `plan --now` in the future, or on a machine whose clock is wrong.
 */
export const MAX_CLOCK_SKEW_MINUTES = 15;

/**
 * A plan must be fresh (no older than --max-age) and real: not from the
 * future. A plan's time is what its facts are as of: the exposed-key grace
 * period is counted back from it, and its age from it. `plan --now` ahead of
 * the clock would skip the grace period and keep the plan from ever going
 * stale, so apply refuses such a plan (it is fine for a preview).
 */
export function checkAge(plan: Pick<Plan, 'createdAt'>, now: Date, maxAgeHours = DEFAULT_MAX_AGE_HOURS): void {
  const created = Date.parse(plan.createdAt);
  if (Number.isNaN(created)) throw new ApplyRefused(`plan has no valid createdAt ('${plan.createdAt}')`);
  const ahead = (created - now.getTime()) / 60_000;
  if (ahead > MAX_CLOCK_SKEW_MINUTES) {
    throw new ApplyRefused(
      `plan is from the future: made at ${plan.createdAt}, ${ahead >= 120 ? `${(ahead / 60).toFixed(1)} hours` : `${Math.round(ahead)} minutes`} after now (${now.toISOString()}): ` +
        `it was planned with --now ahead of the clock, or a clock is wrong; its grace periods and its age count from that time, so it cannot be applied: make a new plan without --now`,
    );
  }
  const hours = (now.getTime() - created) / 3_600_000;
  if (hours > maxAgeHours) {
    throw new ApplyRefused(
      `plan is stale: made ${hours.toFixed(1)} hours ago (at ${plan.createdAt}), more than --max-age ${maxAgeHours}: make a new plan from a fresh inventory`,
    );
  }
}

/** Steps that delete or terminate: the step says so, or its action always does. */
export const isDestructive = (step: PlanStep): boolean => step.destructive || ACTIONS[step.action].destructive;

/** Why a destructive step may not run in this plan, if it may not. */
export function destructiveRefusal(plan: Pick<Plan, 'complete'>, step: PlanStep): string | undefined {
  if (!plan.complete && isDestructive(step)) return 'destructive step refused: the plan was made from an incomplete inventory (it had gaps)';
  return undefined;
}

export function checkMaxDestructive(count: number, max: number | undefined): void {
  if (max !== undefined && count > max) {
    throw new ApplyRefused(`${count} destructive step(s) would run, more than --max-destructive ${max}: refusing the whole run`);
  }
}

/** The principal a target belongs to: the entity itself, or the user or role whose key, password, policy or membership it is. */
function ownerOf(t: StepTarget): { type: string; name: string } | undefined {
  const ref = targetRef(t);
  switch (t.type) {
    case 'iam.user':
    case 'iam.accessKey':
    case 'iam.loginProfile':
    case 'iam.groupMembership':
      return ref.user === undefined ? undefined : { type: 'user', name: ref.user };
    case 'iam.role':
      return ref.role === undefined ? undefined : { type: 'role', name: ref.role };
    case 'iam.policyAttachment':
    case 'iam.inlinePolicy':
      return { type: ref.principalType ?? '', name: ref.principalName ?? '' };
    default:
      return undefined;
  }
}

/**
 * Why a step would act on the identity running apply (its access key, its
 * user, or its role, with whatever belongs to them), if it would. Such steps
 * are skipped whatever the plan says: apply never cuts off its own access.
 */
export function selfTargetReason(step: PlanStep, who: RunIdentity): string | undefined {
  const t = step.target;
  if (who.accessKeyId && t.type === 'iam.accessKey' && (t.id === who.accessKeyId || targetRef(t).accessKeyId === who.accessKeyId)) {
    return `access key ${who.accessKeyId} is the one this apply runs with`;
  }
  const owner = ownerOf(t);
  const self = callerPrincipal(who.arn);
  if (!owner || !self || owner.type !== self.type || owner.name !== self.name) return undefined;
  return self.type === 'user' ? `it belongs to IAM user ${self.name}, who runs this apply` : `it belongs to IAM role ${self.name}, which runs this apply`;
}

export type PreconditionCheck =
  | { kind: 'ok' }
  /** The target is gone: the step counts as done. */
  | { kind: 'gone' }
  /** The target is in the state the step leaves: run it (it will say `already`). */
  | { kind: 'end-state' }
  | { kind: 'changed'; changes: string[] };

/** Arrays of plain values compare as sets (a trust policy's principals in another order are the same principals). */
function normal(value: Plain | undefined): string {
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    return canonicalJson([...value].map((v) => canonicalJson(v)).sort());
  }
  return canonicalJson(value ?? null);
}

const show = (value: Plain | undefined): string => (value === undefined ? '(not observed)' : JSON.stringify(value));

/**
 * Compares the target as observed with the step's precondition. A target gone
 * is done. A precondition with `exists: false` (the plan saw no target, as for
 * a key still to be created) names no props to check. Given the plan, a
 * value another of its steps on the same target leaves is the plan's own
 * doing (a trust policy it restored, seen by the role's quarantine when the
 * plan is applied again), not a change.
 */
export function checkPrecondition(step: PlanStep, seen: Observed, plan?: Pick<Plan, 'steps'>): PreconditionCheck {
  if (!seen.exists) return { kind: 'gone' };
  if (!step.precondition.exists) return { kind: 'ok' };
  const changes: string[] = [];
  // Props the step's own action changes, with the values it leaves (its module says): finding one of these
  // instead of the planned value means the step is done already (a run that stopped before journaling it).
  const endState = definitionOf(step.action).endState?.(step);
  const siblings = (plan?.steps ?? []).filter((o) => o.id !== step.id && o.target.subject === step.target.subject).map((o) => definitionOf(o.action).endState?.(o));
  const leaves = (ends: Readonly<Record<string, readonly Plain[]>> | undefined, key: string, actual: Plain | undefined) => ends?.[key]?.some((v) => normal(v) === normal(actual)) === true;
  let allEndState = true;
  for (const [key, expected] of Object.entries(step.precondition.props)) {
    const actual = seen.props[key];
    if (actual !== undefined && normal(actual) === normal(expected)) continue;
    const own = leaves(endState, key, actual);
    if (!own && siblings.some((ends) => leaves(ends, key, actual))) continue;
    changes.push(`${key} was ${show(expected)}, is ${show(actual)}`);
    if (!own) allEndState = false;
  }
  if (changes.length === 0) return { kind: 'ok' };
  return allEndState ? { kind: 'end-state' } : { kind: 'changed', changes };
}
