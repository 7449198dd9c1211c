/**
 * restoreRoleTrust: writes the trust policy the plan carries (the role's
 * current policy with only the baseline's principals), after journaling the
 * exact text it replaces. Undo writes that text back.
 */
import { GetRoleCommand, UpdateAssumeRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { plannedDocument, sameDocument } from '../../actions/restoreRoleTrust.js';
import type { ReversibleExecutor } from '../executor.js';
import { changed, unlessGone } from '../iam/errors.js';
import { observeRole } from '../iam/observe.js';
import { roleOf } from '../iam/target.js';
import { recordedString } from '../recorded.js';

/** A role's trust policy as IAM holds it (URL-decoded text, exactly), or undefined when the role is gone. */
async function readTrust(iam: IAMClient, name: string): Promise<string | undefined> {
  const role = (await unlessGone(iam.send(new GetRoleCommand({ RoleName: name }))))?.Role;
  if (!role) return undefined;
  const raw = role.AssumeRolePolicyDocument ?? '';
  if (raw.trimStart().startsWith('{')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export const executor: ReversibleExecutor = {
  observe: (step, ctx) => observeRole(ctx.clients.iam(), roleOf(step)),

  async run(step, ctx) {
    const iam = ctx.clients.iam();
    const RoleName = roleOf(step);
    const wanted = plannedDocument(step);
    const previous = await readTrust(iam, RoleName);
    if (previous === undefined || sameDocument(previous, wanted)) return { result: 'already' };
    ctx.intend({ role: RoleName, document: previous });
    if (!(await changed(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: wanted }))))) return { result: 'already' };
    return { result: 'done', undo: { role: RoleName, document: previous } };
  },

  async undo(_step, recorded, ctx) {
    const RoleName = recordedString(recorded, 'role');
    const PolicyDocument = recordedString(recorded, 'document');
    if (!(await changed(ctx.clients.iam().send(new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument }))))) return 'gone';
    ctx.log(`put the earlier trust policy of role ${RoleName} back`);
    return 'undone';
  },
};

