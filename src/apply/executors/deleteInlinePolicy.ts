import { allowsAll, denyOnly } from '../../answers/policy-document.js';
import type { Executor, ReversibleExecutor } from '../executor.js';
import { changed } from '../iam/errors.js';
import { ABSENT } from '../iam/observe.js';
import { deleteInlinePolicy, getInlinePolicy, putInlinePolicy } from '../iam/principal-policies.js';
import { inlinePolicyOf, type Principal } from '../iam/target.js';
import { recordedString } from '../recorded.js';

/** Deletes an inline policy, recording its document first. Undo puts the same document back. */
export const executor: ReversibleExecutor = {
  async observe(step, ctx) {
    const { principal, policyName } = inlinePolicyOf(step);
    const document = await getInlinePolicy(ctx.clients.iam(), principal, policyName);
    if (document === undefined) return ABSENT;
    return { exists: true, props: { principalType: principal.type, principalName: principal.name, policyName, document, allowsAll: allowsAll(document), denyOnly: denyOnly(document) } };
  },

  async run(step, ctx) {
    const iam = ctx.clients.iam();
    const { principal, policyName } = inlinePolicyOf(step);
    const document = await getInlinePolicy(iam, principal, policyName);
    if (document === undefined) return { result: 'already' };
    ctx.intend({ principalType: principal.type, principalName: principal.name, policyName, document });
    const made = await deleteInlinePolicy(iam, principal, policyName);
    return made ? { result: 'done', undo: { principalType: principal.type, principalName: principal.name, policyName, document } } : { result: 'already' };
  },

  async undo(_step, recorded, ctx) {
    const principal = { type: recordedString(recorded, 'principalType'), name: recordedString(recorded, 'principalName') } as Principal;
    const policyName = recordedString(recorded, 'policyName');
    const document = recorded.document;
    if (document === undefined || document === null) throw new Error(`the journal's undo record has no document for inline policy ${policyName}`);
    if (!(await changed(putInlinePolicy(ctx.clients.iam(), principal, policyName, document)))) return 'gone';
    ctx.log(`put inline policy ${policyName} back on ${principal.type} ${principal.name}`);
    return 'undone';
  },
};
