/**
 * Hand-written plans for apply's tests: steps as the planner makes them
 * (flags from the action catalogue), and a plan whose digest is computed as
 * the planner computes it, so it passes the same checks.
 */
import { ACTIONS } from '../../src/actions/registry.js';
import type { StepAction } from '../../src/model/action.js';
import { digestOf } from '../../src/model/digest.js';
import { PLAN_FORMAT, type Plan, type PlanStep, type StepTarget } from '../../src/model/plan.js';
import type { Plain, ResourceType } from '../../src/model/resource.js';
import { ACCOUNT } from './resources.js';

export const OPERATOR_ARN = `arn:aws:iam::${ACCOUNT}:user/operator`;

export interface StepOptions {
  ref?: Record<string, string>;
  dependsOn?: string[];
  precondition?: Record<string, Plain>;
  exists?: boolean;
  region?: string;
  instructions?: string;
}

export function planStep(action: StepAction, type: ResourceType, id: string, o: StepOptions = {}): PlanStep {
  const region = o.region ?? 'global';
  const target: StepTarget = { type, id, region, ref: o.ref ?? {}, subject: `${type.split('.')[1]}/${id}` };
  const spec = ACTIONS[action];
  return {
    id: `${action} ${target.subject}`,
    action,
    target,
    description: `${action} ${id}`,
    because: [],
    dependsOn: o.dependsOn ?? [],
    precondition: { exists: o.exists ?? true, props: o.precondition ?? {} },
    reversible: spec.reversible,
    destructive: spec.destructive,
    ...(spec.manual ? { instructions: o.instructions ?? `Do ${action} by hand.` } : {}),
  };
}

/** A plan of these steps, made now by the operator, with its digest. */
export function makePlan(steps: PlanStep[], over: Partial<Omit<Plan, 'digest' | 'steps'>> = {}): Plan {
  const body: Omit<Plan, 'digest'> = {
    format: PLAN_FORMAT,
    tool: { name: 'rollcall', version: '0.1.0' },
    accountId: ACCOUNT,
    caller: { account: ACCOUNT, arn: OPERATOR_ARN, userId: 'AIDAOPERATOR' },
    createdAt: new Date().toISOString(),
    inventoryDigest: 'f'.repeat(64),
    complete: true,
    destructive: steps.some((s) => s.destructive),
    ...over,
    steps,
  };
  return { ...body, digest: digestOf(body) };
}

/** The same plan with changes, digested again (as a plan made that way would be). */
export function redigest(plan: Plan, change: Partial<Omit<Plan, 'digest'>>): Plan {
  const { digest: _old, ...body } = { ...plan, ...change };
  return { ...body, digest: digestOf(body) };
}
