import type { ActionDefinition } from './definition.js';

/** Deletes a customer managed policy, after the steps detaching it. Irreversible. */
export const deletePolicy: ActionDefinition = {
  manual: false,
  reversible: false,
  destructive: true,
  targets: ['iam.policy'],
  phase: 'destroy',
  describe: (t) => `Delete customer managed policy ${t.id} (detached from every entity, old versions first)`,
  keep: ['policyId'],
  waitsFor: (self, o) => o.action === 'detachPolicy' && self.target.arn !== undefined && o.target.ref.policyArn === self.target.arn,
  permissions: ['iam:GetPolicy', 'iam:ListEntitiesForPolicy', 'iam:DetachUserPolicy', 'iam:DetachRolePolicy', 'iam:DetachGroupPolicy', 'iam:DeleteUserPermissionsBoundary', 'iam:DeleteRolePermissionsBoundary', 'iam:ListPolicyVersions', 'iam:DeletePolicyVersion', 'iam:DeletePolicy'],
  executor: () => import('../apply/executors/deletePolicy.js').then((m) => m.executor),
};
