/**
 * deletePolicy (customer managed): detached from every user, group and role
 * (ListEntitiesForPolicy, every page read before the first detach), its
 * non-default versions deleted, then the policy. Irreversible: there is no undo.
 *
 * A policy used as another entity's permissions boundary is not cut loose:
 * removing a boundary widens that entity's permissions, which no plan step
 * asked for. AWS then refuses the delete, and the failure names those entities.
 */
import {
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  paginateListEntitiesForPolicy,
  paginateListPolicyVersions,
  type IAMClient,
  type ListEntitiesForPolicyResponse,
  type PolicyUsageType,
} from '@aws-sdk/client-iam';
import { isAwsManagedPolicy, partitionOf } from '../../answers/arn.js';
import { policyOwnProps } from '../../answers/iam.js';
import type { PlanStep } from '../../model/plan.js';
import type { ExecContext, Executor } from '../executor.js';
import { unlessGone } from '../iam/errors.js';
import { detachPolicy } from '../iam/principal-policies.js';
import type { Principal } from '../iam/target.js';
import { all, paging, part, teardownExecutor, type Teardown } from './iam-teardown.js';

const entitiesOf = (page: ListEntitiesForPolicyResponse): Principal[] => [
  ...(page.PolicyGroups ?? []).map((g) => ({ type: 'group' as const, name: g.GroupName ?? '' })),
  ...(page.PolicyUsers ?? []).map((u) => ({ type: 'user' as const, name: u.UserName ?? '' })),
  ...(page.PolicyRoles ?? []).map((r) => ({ type: 'role' as const, name: r.RoleName ?? '' })),
];

const entities = (iam: IAMClient, PolicyArn: string, PolicyUsageFilter: PolicyUsageType): Promise<Principal[]> =>
  all(paginateListEntitiesForPolicy(paging(iam), { PolicyArn, PolicyUsageFilter }), entitiesOf);

/** The plan's ARN; a hand-written plan may give only the name (a policy at path `/` in the caller's account). */
const policyArn = (step: PlanStep, ctx: ExecContext): string =>
  step.target.arn ?? `arn:${partitionOf(step.target.region)}:iam::${ctx.accountId}:policy/${step.target.id}`;

function policyTeardown(PolicyArn: string, ctx: ExecContext): Teardown {
  const iam = ctx.clients.iam();
  return {
    subject: `policy ${PolicyArn}`,
    async read() {
      const got = await unlessGone(iam.send(new GetPolicyCommand({ PolicyArn })));
      const p = got?.Policy;
      if (!p) return null;
      const props = { ...policyOwnProps(p), arn: PolicyArn };
      if (isAwsManagedPolicy(PolicyArn)) return { props, parts: [], refusal: `Cannot delete policy ${PolicyArn}: it is AWS managed; detach it instead` };
      return {
        props,
        parts: [
          part(
            () => entities(iam, PolicyArn, 'PermissionsPolicy'),
            (e) => detachPolicy(iam, e, PolicyArn),
            (e) => `attachment to ${e.type} ${e.name}`,
          ),
          part(
            async () => (await all(paginateListPolicyVersions(paging(iam), { PolicyArn }), (page) => page.Versions)).filter((v) => !v.IsDefaultVersion),
            (v) => iam.send(new DeletePolicyVersionCommand({ PolicyArn, VersionId: v.VersionId })),
            (v) => `version ${v.VersionId}`,
          ),
        ],
      };
    },
    remove: () => iam.send(new DeletePolicyCommand({ PolicyArn })),
    async blockers() {
      const bounded = await entities(iam, PolicyArn, 'PermissionsBoundary');
      if (bounded.length === 0) return [];
      const names = bounded.map((e) => `${e.type} ${e.name}`).join(', ');
      return [`its use as the permissions boundary of ${names}, which rollcall leaves in place (removing a boundary widens permissions): replace or remove those boundaries first`];
    },
  };
}

export const executor: Executor = teardownExecutor((step, ctx) => policyTeardown(policyArn(step, ctx), ctx));
