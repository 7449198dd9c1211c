import { DeleteAccessKeyCommand } from '@aws-sdk/client-iam';
import type { Executor } from '../executor.js';
import { changed } from '../iam/errors.js';
import { observeAccessKey } from '../iam/observe.js';
import { accessKeyOf } from '../iam/target.js';

/** Deletes an access key for good (irreversible: a deleted key's secret cannot be restored). */
export const executor: Executor = {
  observe(step, ctx) {
    const { user, keyId } = accessKeyOf(step);
    return observeAccessKey(ctx.clients.iam(), user, keyId);
  },

  async run(step, ctx) {
    const { user, keyId } = accessKeyOf(step);
    const made = await changed(ctx.clients.iam().send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: keyId })));
    return { result: made ? 'done' : 'already' };
  },
};
