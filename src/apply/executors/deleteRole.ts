/**
 * deleteRole: the role leaves its instance profiles, loses its inline and
 * attached policies and its permissions boundary, then is deleted.
 * Irreversible: there is no undo.
 *
 * Instance profiles are kept, never deleted, even when the role was their
 * only one. The plan names the role, not the profile (the inventory does not
 * even list profiles); a profile may still be associated with instances,
 * which would keep a dangling reference if it were deleted, and a profile
 * re-created under the same name gets a new id those instances do not follow.
 * An empty profile grants nothing, and whoever could put a role back in it
 * could as well create a new one. The log names each profile left empty.
 *
 * A service-linked role is refused before anything is touched: AWS lets only
 * its service delete it (DeleteServiceLinkedRole).
 */
import {
  DeleteRoleCommand,
  paginateListInstanceProfilesForRole,
  RemoveRoleFromInstanceProfileCommand,
  type IAMClient,
  type InstanceProfile,
} from '@aws-sdk/client-iam';
import type { ExecContext, Executor } from '../executor.js';
import { observeRole } from '../iam/observe.js';
import { all, paging, part, policyParts, teardownExecutor, type Teardown } from './iam-teardown.js';

/** Removes the role from one profile, and says whether the profile is left without roles (it is kept either way). */
async function leaveProfile(iam: IAMClient, RoleName: string, profile: InstanceProfile, ctx: ExecContext): Promise<void> {
  await iam.send(new RemoveRoleFromInstanceProfileCommand({ RoleName, InstanceProfileName: profile.InstanceProfileName }));
  const others = (profile.Roles ?? []).filter((r) => r.RoleName !== RoleName);
  if (others.length === 0) ctx.log(`role ${RoleName}: instance profile ${profile.InstanceProfileName} is kept, now without roles`);
}

function roleTeardown(RoleName: string, ctx: ExecContext): Teardown {
  const iam = ctx.clients.iam();
  return {
    subject: `role ${RoleName}`,
    async read() {
      const { exists, props } = await observeRole(iam, RoleName);
      if (!exists) return null;
      if (props.serviceLinked === true) {
        return { props, parts: [], refusal: `Cannot delete role ${RoleName}: it is service-linked (path ${String(props.path)}); only its service can delete it (DeleteServiceLinkedRole)` };
      }
      const boundary = typeof props.permissionsBoundary === 'string' ? props.permissionsBoundary : null;
      return {
        props,
        parts: [
          part(
            () => all(paginateListInstanceProfilesForRole(paging(iam), { RoleName }), (p) => p.InstanceProfiles),
            (profile) => leaveProfile(iam, RoleName, profile, ctx),
            (profile) => `membership of instance profile ${profile.InstanceProfileName}`,
          ),
          ...policyParts(iam, { type: 'role', name: RoleName }, boundary),
        ],
      };
    },
    remove: () => iam.send(new DeleteRoleCommand({ RoleName })),
  };
}

export const executor: Executor = teardownExecutor((step, ctx) => roleTeardown(step.target.id, ctx));
