import { TagUserCommand, UntagUserCommand, UpdateAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { deactivatedTag } from '../../model/iam-props.js';
import type { ExecContext, Executor, ReversibleExecutor } from '../executor.js';
import { changed } from '../iam/errors.js';
import { findAccessKey, keyDeactivatedAt, observeAccessKey } from '../iam/observe.js';
import { accessKeyOf } from '../iam/target.js';
import { recordedString } from '../recorded.js';

/**
 * Records on the key's user when the key was deactivated (IAM keys cannot be
 * tagged, users can): the clock after the deactivation, so that the grace
 * period before its deletion starts no earlier than rollcall knows.
 */
async function tagDeactivated(iam: IAMClient, ctx: ExecContext, user: string, keyId: string): Promise<void> {
  const at = new Date().toISOString();
  if (await changed(iam.send(new TagUserCommand({ UserName: user, Tags: [{ Key: deactivatedTag(keyId), Value: at }] })))) {
    ctx.log(`tagged user ${user} with ${deactivatedTag(keyId)}=${at}`);
  }
}

/**
 * Deactivates an access key: requests signed with it fail from now on. The
 * key's user is tagged `rollcall:deactivated:<key id>` with the time, from
 * which the grace period before its deletion counts. A key found inactive is
 * left as it is, and tagged now if the tag is missing (deactivated outside
 * rollcall, or a run stopped between the two calls). Undo reactivates the key
 * and removes the tag.
 */
export const executor: ReversibleExecutor = {
  observe(step, ctx) {
    const { user, keyId } = accessKeyOf(step);
    return observeAccessKey(ctx.clients.iam(), user, keyId);
  },

  async run(step, ctx) {
    const iam = ctx.clients.iam();
    const { user, keyId } = accessKeyOf(step);
    const key = await findAccessKey(iam, user, keyId);
    if (!key) return { result: 'already' };
    if (key.Status === 'Inactive') {
      if ((await keyDeactivatedAt(iam, user, keyId)) === null) {
        ctx.intend();
        await tagDeactivated(iam, ctx, user, keyId);
      }
      return { result: 'already' };
    }
    ctx.intend({ user, accessKeyId: keyId });
    const made = await changed(iam.send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: keyId, Status: 'Inactive' })));
    if (!made) return { result: 'already' };
    await tagDeactivated(iam, ctx, user, keyId);
    return { result: 'done', undo: { user, accessKeyId: keyId } };
  },

  async undo(_step, recorded, ctx) {
    const user = recordedString(recorded, 'user');
    const accessKeyId = recordedString(recorded, 'accessKeyId');
    const iam = ctx.clients.iam();
    if (!(await changed(iam.send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: accessKeyId, Status: 'Active' }))))) return 'gone';
    await changed(iam.send(new UntagUserCommand({ UserName: user, TagKeys: [deactivatedTag(accessKeyId)] })));
    ctx.log(`reactivated access key ${accessKeyId} of user ${user}, and removed its tag ${deactivatedTag(accessKeyId)}`);
    return 'undone';
  },
};
