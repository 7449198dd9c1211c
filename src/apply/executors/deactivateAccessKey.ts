import { UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import type { Executor } from '../executor.js';
import { changed } from '../iam/errors.js';
import { findAccessKey, observeAccessKey } from '../iam/observe.js';
import { accessKeyOf } from '../iam/target.js';
import { recordedString } from '../recorded.js';

/** Deactivates an access key: requests signed with it fail from now on. Undo reactivates it. */
export const executor: Executor = {
  observe(step, ctx) {
    const { user, keyId } = accessKeyOf(step);
    return observeAccessKey(ctx.clients.iam(), user, keyId);
  },

  async run(step, ctx) {
    const iam = ctx.clients.iam();
    const { user, keyId } = accessKeyOf(step);
    const key = await findAccessKey(iam, user, keyId);
    if (!key || key.Status === 'Inactive') return { result: 'already' };
    const made = await changed(iam.send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: keyId, Status: 'Inactive' })));
    return made ? { result: 'done', undo: { user, accessKeyId: keyId } } : { result: 'already' };
  },

  async undo(_step, recorded, ctx) {
    const user = recordedString(recorded, 'user');
    const accessKeyId = recordedString(recorded, 'accessKeyId');
    await ctx.clients.iam().send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: accessKeyId, Status: 'Active' }));
    ctx.log(`reactivated access key ${accessKeyId} of user ${user}`);
  },
};
