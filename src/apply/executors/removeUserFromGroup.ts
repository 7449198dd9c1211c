import { AddUserToGroupCommand, paginateListGroupsForUser, RemoveUserFromGroupCommand, type IAMClient } from '@aws-sdk/client-iam';
import { PAGE_SIZE } from '../../answers/iam-reads.js';
import type { Executor, ReversibleExecutor } from '../executor.js';
import { changed, unlessGone } from '../iam/errors.js';
import { ABSENT } from '../iam/observe.js';
import { membershipOf } from '../iam/target.js';
import { recordedString } from '../recorded.js';

async function groupsOf(iam: IAMClient, user: string): Promise<string[]> {
  const groups: string[] = [];
  for await (const page of paginateListGroupsForUser({ client: iam, pageSize: PAGE_SIZE }, { UserName: user, MaxItems: PAGE_SIZE })) {
    groups.push(...(page.Groups ?? []).map((g) => g.GroupName ?? ''));
  }
  return groups;
}

const isMember = async (iam: IAMClient, user: string, group: string): Promise<boolean> => ((await unlessGone(groupsOf(iam, user))) ?? []).includes(group);

/** Removes a user from a group. Undo adds it back. */
export const executor: ReversibleExecutor = {
  async observe(step, ctx) {
    const { user, group } = membershipOf(step);
    return (await isMember(ctx.clients.iam(), user, group)) ? { exists: true, props: { user, group } } : ABSENT;
  },

  async run(step, ctx) {
    const iam = ctx.clients.iam();
    const { user, group } = membershipOf(step);
    if (!(await isMember(iam, user, group))) return { result: 'already' };
    ctx.intend({ user, group });
    const made = await changed(iam.send(new RemoveUserFromGroupCommand({ UserName: user, GroupName: group })));
    return made ? { result: 'done', undo: { user, group } } : { result: 'already' };
  },

  async undo(_step, recorded, ctx) {
    const user = recordedString(recorded, 'user');
    const group = recordedString(recorded, 'group');
    if (!(await changed(ctx.clients.iam().send(new AddUserToGroupCommand({ UserName: user, GroupName: group }))))) return 'gone';
    ctx.log(`added user ${user} back to group ${group}`);
    return 'undone';
  },
};
