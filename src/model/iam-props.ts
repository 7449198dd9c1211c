/**
 * The `props` of each IAM resource type, as the collector fills them and rules
 * read them by path (`props.status`). Dates are ISO-8601 strings; `null` means
 * "AWS says none" (never used, no boundary), never "we did not look" (that is a gap).
 */
export type PrincipalType = 'user' | 'group' | 'role';

/**
 * The user tag in which rollcall records when it deactivated one of the user's
 * access keys (IAM access keys cannot be tagged; users can). Its value is the
 * ISO time of the deactivation; an exposed key's grace period counts from it.
 */
export const DEACTIVATED_TAG_PREFIX = 'rollcall:deactivated:';
export const deactivatedTag = (accessKeyId: string): string => `${DEACTIVATED_TAG_PREFIX}${accessKeyId}`;

/**
 * The user tag in which rollcall records that it created one of the user's
 * access keys as the replacement of another (IAM access keys cannot be
 * tagged; users can): `rollcall:replacement:<new key id>` = `<replaced key id>`,
 * written by the same step as the key, right after CreateAccessKey. A planner
 * trusts a key on a rotated key's user as its replacement only when the
 * baseline declares it or this tag names the pair; any other key there is a
 * stranger. Named by the new key, so that deleting that key removes its tag
 * (IAM allows 50 tags a user): a user carries at most one such tag per key it has.
 */
export const REPLACEMENT_TAG_PREFIX = 'rollcall:replacement:';
export const replacementTag = (newAccessKeyId: string): string => `${REPLACEMENT_TAG_PREFIX}${newAccessKeyId}`;

export interface UserProps {
  name: string;
  userId: string;
  path: string;
  createDate: string;
  passwordEnabled: boolean;
  passwordLastUsed: string | null;
  mfaActive: boolean;
  accessKeyCount: number;
  activeAccessKeyCount: number;
  groups: string[];
  attachedPolicies: string[];
  inlinePolicies: string[];
  permissionsBoundary: string | null;
}

/** id: the access key id. Never holds a secret. */
export interface AccessKeyProps {
  user: string;
  status: 'Active' | 'Inactive';
  createDate: string;
  lastUsedDate: string | null;
  lastUsedService: string | null;
  lastUsedRegion: string | null;
  /** lastUsedDate, or createDate for a key never used: the start of its idleness. */
  lastActivity: string;
}

/** id: the user name. */
export interface LoginProfileProps {
  user: string;
  passwordLastUsed: string | null;
  passwordLastChanged: string | null;
}

/** id: the role name. */
export interface RoleProps {
  name: string;
  roleId: string;
  path: string;
  createDate: string;
  trustPolicy: unknown;
  /** Every principal an Allow statement of the trust policy names, normalised (account id -> `arn:aws:iam::ID:root`). */
  trustedPrincipals: string[];
  attachedPolicies: string[];
  inlinePolicies: string[];
  permissionsBoundary: string | null;
  lastUsedDate: string | null;
  serviceLinked: boolean;
  instanceProfiles: string[];
}

/** id: the group name. */
export interface GroupProps {
  name: string;
  groupId: string;
  path: string;
  createDate: string;
  attachedPolicies: string[];
  inlinePolicies: string[];
}

/** A customer managed policy. id: the policy name. */
export interface PolicyProps {
  name: string;
  policyId: string;
  path: string;
  createDate: string;
  updateDate: string;
  defaultVersionId: string;
  attachmentCount: number;
  /** The default version's document, decoded. */
  document: unknown;
  /** An Allow statement with Action `*` and Resource `*`. */
  allowsAll: boolean;
  /** Every statement is `Effect: Deny`: the policy can take permissions away, never grant any. */
  denyOnly: boolean;
}

/** id: `${principalType}/${principalName}/${policyArn}`. */
export interface PolicyAttachmentProps {
  principalType: PrincipalType;
  principalName: string;
  policyArn: string;
  policyName: string;
  awsManaged: boolean;
}

/** id: `${principalType}/${principalName}/${policyName}`. */
export interface InlinePolicyProps {
  principalType: PrincipalType;
  principalName: string;
  policyName: string;
  document: unknown;
  allowsAll: boolean;
  /** Every statement is `Effect: Deny`: it grants nothing (rollcall's quarantine is one such policy). */
  denyOnly: boolean;
}

/** id: `${user}/${group}`. */
export interface GroupMembershipProps {
  user: string;
  group: string;
}

/** id: `root`. */
export interface RootProps {
  mfaEnabled: boolean;
  accessKeysPresent: boolean;
  signingCertificatesPresent: boolean;
  /** From the credential report's `<root_account>` row, null when the report has none. */
  passwordLastUsed: string | null;
  accessKey1Active: boolean | null;
  accessKey2Active: boolean | null;
}
