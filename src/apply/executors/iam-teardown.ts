/**
 * What deleting an IAM user, role, group or customer policy has in common: AWS
 * refuses the delete (DeleteConflict) while anything still hangs off the
 * entity, so each executor lists those things in dependency order ("parts"),
 * removes them one by one, then deletes the entity. Something may appear
 * meanwhile (an attacker's automation re-adding a key): then the parts are
 * listed and removed once more, and the delete retried once; a second refusal
 * is a failure that says what AWS still objects to and what came back.
 *
 * NoSuchEntity anywhere means "already gone", which is what the step wants.
 */
import {
  DeleteRolePermissionsBoundaryCommand,
  DeleteUserPermissionsBoundaryCommand,
  paginateListGroupPolicies,
  paginateListRolePolicies,
  paginateListUserPolicies,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { errorMessage, isNoSuchEntity } from '../../answers/error-info.js';
import { PAGE_SIZE } from '../../answers/iam-reads.js';
import type { PrincipalType } from '../../model/iam-props.js';
import type { PlanStep } from '../../model/plan.js';
import type { Plain } from '../../model/resource.js';
import type { ExecContext, Executor, StepOutcome } from '../executor.js';
import { unlessGone } from '../iam/errors.js';
import { attachedPolicyArns, deleteInlinePolicy, detachPolicy } from '../iam/principal-policies.js';
import type { Principal } from '../iam/target.js';
import { isDeleteConflict, observed } from './aws-errors.js';

/** One kind of thing that must go before the entity can. `clean` removes what it finds and names what it removed. */
export interface Part {
  clean(): Promise<string[]>;
}

/**
 * A part from how to list its items and how to remove one. A list answering
 * NoSuchEntity (the entity vanished) is empty; an item that vanished before
 * its removal (NoSuchEntity, or `remove` answering `false`) is not counted as removed.
 */
export function part<T>(list: () => Promise<T[]>, remove: (item: T) => Promise<unknown>, label: (item: T) => string): Part {
  return {
    async clean() {
      const removed: string[] = [];
      for (const item of (await unlessGone(list())) ?? []) {
        const made = await unlessGone(remove(item).then((answer) => answer !== false));
        if (made === true) removed.push(label(item));
      }
      return removed;
    },
  };
}

/** Every item of a paginated list, read in full before anything is removed (removing while paging would shift the markers). */
export async function all<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

/** The paginator configuration every IAM list uses: the largest page IAM serves. */
export const paging = (iam: IAMClient) => ({ client: iam, pageSize: PAGE_SIZE });

/** The entity as read just now: the props a precondition may name, and its parts in the order they must go. */
export interface IamEntity {
  props: Record<string, Plain>;
  parts: Part[];
  /** Why this entity must not be torn down at all (a service-linked role): the step fails before anything is touched. */
  refusal?: string;
}

export interface Teardown {
  /** `user alice`, as messages name it. */
  subject: string;
  /** Null when the entity does not exist. */
  read(): Promise<IamEntity | null>;
  /** The delete call itself (DeleteUser). */
  remove(): Promise<unknown>;
  /** On a persistent conflict: what else holds the entity that rollcall deliberately leaves alone. */
  blockers?(): Promise<string[]>;
}

async function cleanAll(parts: Part[]): Promise<string[]> {
  const removed: string[] = [];
  for (const p of parts) removed.push(...(await p.clean()));
  return removed;
}

function conflictMessage(t: Teardown, err: unknown, removedAgain: string[], blockers: string[]): string {
  const again =
    removedAgain.length > 0
      ? ` The second cleanup had to remove ${removedAgain.join(', ')} again: something keeps re-creating them; stop it, then apply again.`
      : ' The second cleanup found nothing rollcall removes.';
  const holding = blockers.length > 0 ? ` Still holding it: ${blockers.join(', ')}.` : '';
  return `Cannot delete ${t.subject}: AWS still refuses after a second cleanup (DeleteConflict: ${errorMessage(err)}).${again}${holding}`;
}

/** Clean, delete; on DeleteConflict re-read, clean and delete once more; then fail naming what blocks. */
export async function tearDown(t: Teardown, ctx: ExecContext): Promise<StepOutcome> {
  const attempts = 2;
  for (let attempt = 1; ; attempt++) {
    const entity = await t.read();
    if (!entity) return { result: attempt === 1 ? 'already' : 'done' };
    if (entity.refusal) throw new Error(entity.refusal);
    if (attempt === 1) ctx.intend();
    const removed = await cleanAll(entity.parts);
    if (removed.length > 0) ctx.log(`${t.subject}: removed ${removed.join(', ')}`);
    try {
      await t.remove();
      return { result: 'done' };
    } catch (err) {
      if (isNoSuchEntity(err)) return { result: 'done' };
      if (!isDeleteConflict(err)) throw err;
      if (attempt === attempts) throw new Error(conflictMessage(t, err, removed, (await t.blockers?.()) ?? []));
      ctx.log(`${t.subject}: AWS refused the delete (${errorMessage(err)}); something appeared meanwhile, cleaning once more`);
    }
  }
}

/** An executor for an irreversible teardown: observe reads the entity, run tears it down. */
export function teardownExecutor(make: (step: PlanStep, ctx: ExecContext) => Teardown): Executor {
  return {
    async observe(step, ctx) {
      const entity = await make(step, ctx).read();
      return observed(entity?.props ?? null);
    },
    run: (step, ctx) => tearDown(make(step, ctx), ctx),
  };
}

/** The inline policy names of a principal; IAM has one list operation per principal type. */
const INLINE_POLICY_NAMES: Record<PrincipalType, (iam: IAMClient, name: string) => Promise<string[]>> = {
  user: (iam, UserName) => all(paginateListUserPolicies(paging(iam), { UserName }), (p) => p.PolicyNames),
  role: (iam, RoleName) => all(paginateListRolePolicies(paging(iam), { RoleName }), (p) => p.PolicyNames),
  group: (iam, GroupName) => all(paginateListGroupPolicies(paging(iam), { GroupName }), (p) => p.PolicyNames),
};

/** Groups have no permissions boundary. */
const DELETE_BOUNDARY: Record<Exclude<PrincipalType, 'group'>, (iam: IAMClient, name: string) => Promise<unknown>> = {
  user: (iam, UserName) => iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName })),
  role: (iam, RoleName) => iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName })),
};

/**
 * The last parts of every principal's teardown: inline policies, attached
 * policies, then the permissions boundary (`boundary` as the entity's read
 * showed it: null for none, and always for a group).
 */
export function policyParts(iam: IAMClient, p: Principal, boundary: string | null): Part[] {
  const parts = [
    part(() => INLINE_POLICY_NAMES[p.type](iam, p.name), (name) => deleteInlinePolicy(iam, p, name), (name) => `inline policy ${name}`),
    part(async () => (await attachedPolicyArns(iam, p)) ?? [], (arn) => detachPolicy(iam, p, arn), (arn) => `attached policy ${arn}`),
  ];
  if (boundary !== null && p.type !== 'group') {
    const deleteBoundary = DELETE_BOUNDARY[p.type];
    parts.push(part(async () => [boundary], () => deleteBoundary(iam, p.name), (arn) => `permissions boundary ${arn}`));
  }
  return parts;
}
