/**
 * deleteGroup: members removed, inline and attached policies removed, then the
 * group deleted. Irreversible: there is no undo. The members themselves are untouched.
 */
import { DeleteGroupCommand, paginateGetGroup, RemoveUserFromGroupCommand, type Group, type User } from '@aws-sdk/client-iam';
import { groupOwnProps } from '../../answers/iam.js';
import type { ExecContext, Executor } from '../executor.js';
import { unlessGone } from '../iam/errors.js';
import { paging, part, policyParts, teardownExecutor, type Teardown } from './iam-teardown.js';

function groupTeardown(GroupName: string, ctx: ExecContext): Teardown {
  const iam = ctx.clients.iam();
  /** The group and all its members (GetGroup pages through the members). */
  const readGroup = async (): Promise<{ group: Group; members: User[] } | undefined> => {
    let group: Group | undefined;
    const members: User[] = [];
    for await (const page of paginateGetGroup(paging(iam), { GroupName })) {
      group ??= page.Group;
      members.push(...(page.Users ?? []));
    }
    return group ? { group, members } : undefined;
  };
  return {
    subject: `group ${GroupName}`,
    async read() {
      const got = await unlessGone(readGroup());
      if (!got) return null;
      const g = got.group;
      return {
        props: { ...groupOwnProps(g), arn: g.Arn ?? '', members: got.members.map((u) => u.UserName ?? '') },
        parts: [
          part(
            async () => got.members,
            (u) => iam.send(new RemoveUserFromGroupCommand({ GroupName, UserName: u.UserName })),
            (u) => `member ${u.UserName}`,
          ),
          ...policyParts(iam, { type: 'group', name: GroupName }, null),
        ],
      };
    },
    remove: () => iam.send(new DeleteGroupCommand({ GroupName })),
  };
}

export const executor: Executor = teardownExecutor((step, ctx) => groupTeardown(step.target.id, ctx));
