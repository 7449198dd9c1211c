/**
 * IAM's answers as props: what the collector puts in the inventory and what
 * apply's re-read compares with a step's precondition come from these same
 * mappings. A user, role or group reads alike from GetAccountAuthorizationDetails
 * (the collector) and from GetUser, GetRole or GetGroup (apply): the "own"
 * props are what both answers hold; the collector adds what only its sources
 * know (the credential report, policies, instance profiles).
 */
import type { AccessKeyMetadata, Group, GroupDetail, ManagedPolicyDetail, Policy, Role, RoleDetail, User, UserDetail } from '@aws-sdk/client-iam';
import type { AccessKeyProps, GroupProps, PolicyProps, RoleProps, UserProps } from '../model/iam-props.js';
import type { KeyLastUse } from './iam-reads.js';
import { decodePolicyDocument, trustedPrincipals } from './policy-document.js';
import { iso, isoOrNull } from './values.js';

export type UserOwnProps = Pick<UserProps, 'name' | 'userId' | 'path' | 'createDate' | 'permissionsBoundary'>;

export function userOwnProps(u: User | UserDetail): UserOwnProps {
  return {
    name: u.UserName ?? '',
    userId: u.UserId ?? '',
    path: u.Path ?? '/',
    createDate: iso(u.CreateDate),
    permissionsBoundary: u.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
  };
}

export type RoleOwnProps = Omit<RoleProps, 'attachedPolicies' | 'inlinePolicies' | 'instanceProfiles'>;

/** A role, with its trust policy decoded and its principals normalised. */
export function roleOwnProps(r: Role | RoleDetail): RoleOwnProps {
  const path = r.Path ?? '/';
  const trustPolicy = decodePolicyDocument(r.AssumeRolePolicyDocument);
  return {
    name: r.RoleName ?? '',
    roleId: r.RoleId ?? '',
    path,
    createDate: iso(r.CreateDate),
    trustPolicy,
    trustedPrincipals: trustedPrincipals(trustPolicy),
    permissionsBoundary: r.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    lastUsedDate: isoOrNull(r.RoleLastUsed?.LastUsedDate),
    serviceLinked: path.startsWith('/aws-service-role/'),
  };
}

export type GroupOwnProps = Omit<GroupProps, 'attachedPolicies' | 'inlinePolicies'>;

export function groupOwnProps(g: Group | GroupDetail): GroupOwnProps {
  return { name: g.GroupName ?? '', groupId: g.GroupId ?? '', path: g.Path ?? '/', createDate: iso(g.CreateDate) };
}

export type PolicyOwnProps = Omit<PolicyProps, 'document' | 'allowsAll' | 'denyOnly'>;

/** A customer managed policy, without its document (GetPolicy does not return it). */
export function policyOwnProps(p: Policy | ManagedPolicyDetail): PolicyOwnProps {
  return {
    // The name is the ARN's last segment where it is missing (moto's GetAccountAuthorizationDetails omits it).
    name: p.PolicyName ?? p.Arn?.split('/').pop() ?? '',
    policyId: p.PolicyId ?? '',
    path: p.Path ?? '/',
    createDate: iso(p.CreateDate),
    updateDate: iso(p.UpdateDate ?? p.CreateDate),
    defaultVersionId: p.DefaultVersionId ?? '',
    attachmentCount: p.AttachmentCount ?? 0,
  };
}

/** An access key's props from its metadata and its last use (from the credential report or GetAccessKeyLastUsed). */
export function accessKeyProps(user: string, k: AccessKeyMetadata, used: KeyLastUse | undefined): AccessKeyProps {
  const createDate = iso(k.CreateDate);
  const lastUsedDate = used?.lastUsedDate ?? null;
  return {
    user,
    status: k.Status === 'Inactive' ? 'Inactive' : 'Active',
    createDate,
    lastUsedDate,
    lastUsedService: used?.lastUsedService ?? null,
    lastUsedRegion: used?.lastUsedRegion ?? null,
    lastActivity: lastUsedDate ?? createDate,
  };
}
