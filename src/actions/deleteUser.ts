import { heldBy } from './describe-helpers.js';
import type { ActionDefinition } from './definition.js';

/** Deletes a user and everything it holds, after the steps on its keys, password, memberships and policies. Irreversible. */
export const deleteUser: ActionDefinition = {
  manual: false,
  reversible: false,
  destructive: true,
  targets: ['iam.user'],
  phase: 'destroy',
  describe: (t) => `Delete user ${t.id} and everything it holds (console password, keys, certificates, MFA devices, group memberships, policies)`,
  keep: ['userId'],
  waitsFor: (self, o) => o.target.ref.user === self.target.id || heldBy(o, 'user', self.target.id),
  permissions: ['iam:GetUser', 'iam:ListAccessKeys', 'iam:DeleteAccessKey', 'iam:DeleteLoginProfile', 'iam:ListSigningCertificates', 'iam:DeleteSigningCertificate', 'iam:ListSSHPublicKeys', 'iam:DeleteSSHPublicKey', 'iam:ListServiceSpecificCredentials', 'iam:DeleteServiceSpecificCredential', 'iam:ListMFADevices', 'iam:DeactivateMFADevice', 'iam:DeleteVirtualMFADevice', 'iam:ListGroupsForUser', 'iam:RemoveUserFromGroup', 'iam:ListUserPolicies', 'iam:DeleteUserPolicy', 'iam:ListAttachedUserPolicies', 'iam:DetachUserPolicy', 'iam:DeleteUserPermissionsBoundary', 'iam:DeleteUser'],
  executor: () => import('../apply/executors/deleteUser.js').then((m) => m.executor),
};
