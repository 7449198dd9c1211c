import type { Executor, ReversibleExecutor } from '../executor.js';
import { changed } from '../iam/errors.js';
import { ABSENT } from '../iam/observe.js';
import { attachPolicy, attachedPolicyArns, detachPolicy } from '../iam/principal-policies.js';
import { attachmentOf, type Principal } from '../iam/target.js';
import { recordedString } from '../recorded.js';

const isAwsManaged = (arn: string): boolean => /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);

/** Detaches a managed policy from a user, group or role. Undo attaches it again. */
export const executor: ReversibleExecutor = {
  async observe(step, ctx) {
    const { principal, policyArn } = attachmentOf(step);
    const arns = await attachedPolicyArns(ctx.clients.iam(), principal);
    if (!arns?.includes(policyArn)) return ABSENT;
    return {
      exists: true,
      props: { principalType: principal.type, principalName: principal.name, policyArn, policyName: policyArn.split('/').pop() ?? policyArn, awsManaged: isAwsManaged(policyArn) },
    };
  },

  async run(step, ctx) {
    const iam = ctx.clients.iam();
    const { principal, policyArn } = attachmentOf(step);
    const arns = await attachedPolicyArns(iam, principal);
    if (!arns?.includes(policyArn)) return { result: 'already' };
    ctx.intend({ principalType: principal.type, principalName: principal.name, policyArn });
    const made = await detachPolicy(iam, principal, policyArn);
    return made ? { result: 'done', undo: { principalType: principal.type, principalName: principal.name, policyArn } } : { result: 'already' };
  },

  async undo(_step, recorded, ctx) {
    const principal = { type: recordedString(recorded, 'principalType'), name: recordedString(recorded, 'principalName') } as Principal;
    const policyArn = recordedString(recorded, 'policyArn');
    if (!(await changed(attachPolicy(ctx.clients.iam(), principal, policyArn)))) return 'gone';
    ctx.log(`attached ${policyArn} to ${principal.type} ${principal.name} again`);
    return 'undone';
  },
};
