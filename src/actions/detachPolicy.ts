import { isAwsQuarantinePolicy } from '../model/aws-quarantine.js';
import { principal } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

/**
 * Detaches a managed policy from a user, group or role. Undo attaches it
 * again. Never AWS's quarantine of a user while the incident is open (see
 * model/aws-quarantine.ts): whatever rule asks for it, with --destructive or
 * not, the plan has a manual review say why instead.
 */
export const detachPolicy: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: false,
  targets: ['iam.policyAttachment'],
  phase: 'cut',
  describe: (t) => `Detach policy ${t.ref.policyArn} from ${principal(t)}`,
  keep: ['principalType', 'principalName', 'policyArn'],
  plan(p, v, r) {
    if (p.incidentOpen && r?.type === 'iam.policyAttachment' && r.props.principalType === 'user' && isAwsQuarantinePolicy(r.props.policyArn)) {
      return p.review(v, r, {
        code: 'cannot-act',
        text: `rollcall does not detach ${String(r.props.policyArn)}: it is AWS's quarantine of user ${String(r.props.principalName)}, expected while the incident is open; detach it by hand only once the incident is closed`,
      });
    }
    p.standard('detachPolicy', v, r);
  },
  permissions: ['iam:ListAttachedUserPolicies', 'iam:ListAttachedRolePolicies', 'iam:ListAttachedGroupPolicies', 'iam:DetachUserPolicy', 'iam:DetachRolePolicy', 'iam:DetachGroupPolicy', 'iam:AttachUserPolicy', 'iam:AttachRolePolicy', 'iam:AttachGroupPolicy'],
  executor: () => import('../apply/executors/detachPolicy.js').then((m) => m.executor),
};
