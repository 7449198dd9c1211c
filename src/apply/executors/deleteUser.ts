/**
 * deleteUser: the full teardown AWS requires before DeleteUser succeeds, in
 * dependency order: login profile, access keys, signing certificates, SSH
 * public keys, service-specific credentials, MFA devices (deactivated; virtual
 * ones deleted), group memberships, inline and attached policies, permissions
 * boundary, then the user. Irreversible: there is no undo.
 *
 * moto deletes a user that still has keys, a login profile, MFA devices or
 * groups, so the order is pinned by the unit tests against mocks.
 */
import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  DeleteVirtualMFADeviceCommand,
  ListServiceSpecificCredentialsCommand,
  paginateListAccessKeys,
  paginateListGroupsForUser,
  paginateListMFADevices,
  paginateListSigningCertificates,
  paginateListSSHPublicKeys,
  RemoveUserFromGroupCommand,
  type IAMClient,
  type ServiceSpecificCredentialMetadata,
} from '@aws-sdk/client-iam';
import { errorMessage } from '../../answers/error-info.js';
import type { ExecContext, Executor } from '../executor.js';
import { observeUser } from '../iam/observe.js';
import { isNotImplemented } from './aws-errors.js';
import { all, paging, part, policyParts, teardownExecutor, type Part, type Teardown } from './iam-teardown.js';

/** A virtual MFA device's serial is its ARN (`arn:aws:iam::123456789012:mfa/alice`); hardware and U2F devices go with deactivation. */
const isVirtualMfa = (serial: string): boolean => /^arn:aws[a-z-]*:iam::\d{12}:mfa\//.test(serial);

/**
 * The user's service-specific credentials (CodeCommit, Keyspaces...). The
 * emulator (moto) does not implement the list; only such a clearly
 * unimplemented answer counts as "none", with a log line. Any other failure
 * (AccessDenied, throttling, a real 500) propagates. Should a real endpoint
 * ever be misread this way, DeleteUser still refuses with a DeleteConflict
 * naming the credential, so nothing is silently left behind.
 */
async function serviceCredentials(iam: IAMClient, UserName: string, ctx: ExecContext): Promise<ServiceSpecificCredentialMetadata[]> {
  const found: ServiceSpecificCredentialMetadata[] = [];
  let Marker: string | undefined;
  try {
    do {
      const page = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName, ...(Marker ? { Marker } : {}) }));
      found.push(...(page.ServiceSpecificCredentials ?? []));
      Marker = page.IsTruncated ? page.Marker : undefined;
    } while (Marker);
  } catch (err) {
    if (!isNotImplemented(err)) throw err;
    ctx.log(`user ${UserName}: the endpoint does not implement ListServiceSpecificCredentials (${errorMessage(err).split('\n')[0]}); taking it as none`);
    return [];
  }
  return found;
}

/** Everything that must go before the user can, in order. */
function userParts(iam: IAMClient, UserName: string, boundary: string | null, ctx: ExecContext): Part[] {
  return [
    // One call instead of GetLoginProfile + delete: NoSuchEntity means there was none.
    part(async () => [UserName], () => iam.send(new DeleteLoginProfileCommand({ UserName })), () => 'login profile'),
    part(
      () => all(paginateListAccessKeys(paging(iam), { UserName }), (p) => p.AccessKeyMetadata),
      (k) => iam.send(new DeleteAccessKeyCommand({ UserName, AccessKeyId: k.AccessKeyId })),
      (k) => `access key ${k.AccessKeyId}`,
    ),
    part(
      () => all(paginateListSigningCertificates(paging(iam), { UserName }), (p) => p.Certificates),
      (c) => iam.send(new DeleteSigningCertificateCommand({ UserName, CertificateId: c.CertificateId })),
      (c) => `signing certificate ${c.CertificateId}`,
    ),
    part(
      () => all(paginateListSSHPublicKeys(paging(iam), { UserName }), (p) => p.SSHPublicKeys),
      (k) => iam.send(new DeleteSSHPublicKeyCommand({ UserName, SSHPublicKeyId: k.SSHPublicKeyId })),
      (k) => `SSH public key ${k.SSHPublicKeyId}`,
    ),
    part(
      () => serviceCredentials(iam, UserName, ctx),
      (c) => iam.send(new DeleteServiceSpecificCredentialCommand({ UserName, ServiceSpecificCredentialId: c.ServiceSpecificCredentialId })),
      (c) => `service-specific credential ${c.ServiceSpecificCredentialId} (${c.ServiceName})`,
    ),
    part(
      () => all(paginateListMFADevices(paging(iam), { UserName }), (p) => p.MFADevices),
      async (d) => {
        await iam.send(new DeactivateMFADeviceCommand({ UserName, SerialNumber: d.SerialNumber }));
        if (isVirtualMfa(d.SerialNumber ?? '')) await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: d.SerialNumber }));
      },
      (d) => `MFA device ${d.SerialNumber}`,
    ),
    part(
      () => all(paginateListGroupsForUser(paging(iam), { UserName }), (p) => p.Groups),
      (g) => iam.send(new RemoveUserFromGroupCommand({ UserName, GroupName: g.GroupName })),
      (g) => `membership of group ${g.GroupName}`,
    ),
    ...policyParts(iam, { type: 'user', name: UserName }, boundary),
  ];
}

function userTeardown(UserName: string, ctx: ExecContext): Teardown {
  const iam = ctx.clients.iam();
  return {
    subject: `user ${UserName}`,
    async read() {
      const seen = await observeUser(iam, UserName);
      if (!seen.exists) return null;
      const boundary = seen.props.permissionsBoundary;
      return { props: seen.props, parts: userParts(iam, UserName, typeof boundary === 'string' ? boundary : null, ctx) };
    },
    remove: () => iam.send(new DeleteUserCommand({ UserName })),
  };
}

export const executor: Executor = teardownExecutor((step, ctx) => userTeardown(step.target.id, ctx));
