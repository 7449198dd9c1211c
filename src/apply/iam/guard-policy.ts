/**
 * An inline deny policy that rollcall puts on a user or role and undo removes:
 * the quarantine (deny everything) and the session revocation (deny everything
 * to sessions issued before the run). One executor shape serves both.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { statementsOf } from '../../answers/policy-document.js';
import type { PrincipalType } from '../../model/iam-props.js';
import type { PlanStep } from '../../model/plan.js';
import type { Plain } from '../../model/resource.js';
import type { ExecContext, Executor, Observed, ReversibleExecutor } from '../executor.js';
import { recordedString } from '../recorded.js';
import { changed } from './errors.js';
import { deleteInlinePolicy, getInlinePolicy, putInlinePolicy } from './principal-policies.js';
import { roleOf, userOf, type Principal } from './target.js';

export interface GuardPolicy {
  principalType: Extract<PrincipalType, 'user' | 'role'>;
  policyName: string;
  /** The document this run puts. */
  document(ctx: ExecContext): Plain;
  /** Whether a document found in place already does the job for this step: the step is then `already`. */
  inEffect(existing: Plain, step: PlanStep): boolean;
  observe(iam: IAMClient, name: string): Promise<Observed>;
}

/** The one statement both guards are made of: Deny every action on every resource (with an optional condition). */
export function denyAll(sid: string, condition?: Record<string, Record<string, string>>): Plain {
  return { Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Deny', Action: '*', Resource: '*', ...(condition ? { Condition: condition } : {}) }] };
}

const hasStar = (value: unknown): boolean => value === '*' || (Array.isArray(value) && value.includes('*'));

/** The statements of a document that deny every action on every resource. */
export function denyAllStatements(document: Plain): Record<string, unknown>[] {
  return statementsOf(document).filter((s) => s.Effect === 'Deny' && hasStar(s.Action) && hasStar(s.Resource));
}

export const QUARANTINE_POLICY = 'rollcall-quarantine';

/** The quarantine of a user or role: an explicit deny-all inline policy; only an unconditional deny-all counts as in place. */
export function quarantineExecutor(principalType: GuardPolicy['principalType'], observe: GuardPolicy['observe']): ReversibleExecutor {
  return guardPolicyExecutor({
    principalType,
    policyName: QUARANTINE_POLICY,
    document: () => denyAll('RollcallQuarantine'),
    inEffect: (existing) => denyAllStatements(existing).some((s) => s.Condition === undefined),
    observe,
  });
}

export function guardPolicyExecutor(g: GuardPolicy): ReversibleExecutor {
  const principalOf = (step: Parameters<Executor['run']>[0]): Principal => ({
    type: g.principalType,
    name: g.principalType === 'user' ? userOf(step) : roleOf(step),
  });
  return {
    observe: (step, ctx) => g.observe(ctx.clients.iam(), principalOf(step).name),

    async run(step, ctx) {
      const iam = ctx.clients.iam();
      const p = principalOf(step);
      const existing = await getInlinePolicy(iam, p, g.policyName);
      if (existing !== undefined && g.inEffect(existing, step)) return { result: 'already' };
      // A principal that is gone needs no guard: PutUserPolicy answers NoSuchEntity.
      ctx.intend({ principalType: p.type, principalName: p.name, policyName: g.policyName, previous: existing ?? null });
      const made = await changed(putInlinePolicy(iam, p, g.policyName, g.document(ctx)));
      if (!made) return { result: 'already' };
      return { result: 'done', undo: { principalType: p.type, principalName: p.name, policyName: g.policyName, previous: existing ?? null } };
    },

    async undo(_step, recorded, ctx) {
      const iam = ctx.clients.iam();
      const p: Principal = { type: g.principalType, name: recordedString(recorded, 'principalName') };
      const policyName = recordedString(recorded, 'policyName');
      const previous = recorded.previous ?? null;
      if (previous !== null) {
        if (!(await changed(putInlinePolicy(iam, p, policyName, previous)))) return 'gone';
        ctx.log(`restored the earlier inline policy ${policyName} of ${p.type} ${p.name}`);
        return 'undone';
      }
      if (!(await deleteInlinePolicy(iam, p, policyName))) return 'gone';
      ctx.log(`removed inline policy ${policyName} from ${p.type} ${p.name}`);
      return 'undone';
    },
  };
}
