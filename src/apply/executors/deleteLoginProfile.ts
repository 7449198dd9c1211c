import { DeleteLoginProfileCommand } from '@aws-sdk/client-iam';
import type { Executor } from '../executor.js';
import { changed } from '../iam/errors.js';
import { observeLoginProfile } from '../iam/observe.js';
import { userOf } from '../iam/target.js';

/** Removes a user's console password (irreversible: the password cannot be restored). */
export const executor: Executor = {
  observe: (step, ctx) => observeLoginProfile(ctx.clients.iam(), userOf(step)),

  async run(step, ctx) {
    ctx.intend();
    const made = await changed(ctx.clients.iam().send(new DeleteLoginProfileCommand({ UserName: userOf(step) })));
    return { result: made ? 'done' : 'already' };
  },
};
