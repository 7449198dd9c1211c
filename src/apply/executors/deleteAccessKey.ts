import { DeleteAccessKeyCommand, UntagUserCommand } from '@aws-sdk/client-iam';
import { deactivatedTag, replacementTag } from '../../model/iam-props.js';
import type { Executor } from '../executor.js';
import { changed } from '../iam/errors.js';
import { observeAccessKey } from '../iam/observe.js';
import { accessKeyOf } from '../iam/target.js';

/**
 * Deletes an access key for good (irreversible: a deleted key's secret cannot
 * be restored), then the user's `rollcall:deactivated:<key>` tag, which has
 * nothing left to time, and its `rollcall:replacement:<key>` tag, which has no
 * key left to name: IAM allows 50 tags a user, and rotations must not use them up.
 */
export const executor: Executor = {
  observe(step, ctx) {
    const { user, keyId } = accessKeyOf(step);
    return observeAccessKey(ctx.clients.iam(), user, keyId);
  },

  async run(step, ctx) {
    const { user, keyId } = accessKeyOf(step);
    const iam = ctx.clients.iam();
    ctx.intend();
    const made = await changed(iam.send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: keyId })));
    // A user already gone took its tags with it; a missing tag is fine too.
    await changed(iam.send(new UntagUserCommand({ UserName: user, TagKeys: [deactivatedTag(keyId), replacementTag(keyId)] })));
    return { result: made ? 'done' : 'already' };
  },
};
