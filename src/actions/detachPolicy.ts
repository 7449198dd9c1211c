import { principal } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

/** Detaches a managed policy from a user, group or role. Undo attaches it again. */
export const detachPolicy: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: false,
  targets: ['iam.policyAttachment'],
  phase: 'cut',
  describe: (t) => `Detach policy ${t.ref.policyArn} from ${principal(t)}`,
  keep: ['principalType', 'principalName', 'policyArn'],
  permissions: ['iam:ListAttachedUserPolicies', 'iam:ListAttachedRolePolicies', 'iam:ListAttachedGroupPolicies', 'iam:DetachUserPolicy', 'iam:DetachRolePolicy', 'iam:DetachGroupPolicy', 'iam:AttachUserPolicy', 'iam:AttachRolePolicy', 'iam:AttachGroupPolicy'],
  executor: () => import('../apply/executors/detachPolicy.js').then((m) => m.executor),
};
