/**
 * GetAccountAuthorizationDetails, read in full and mapped to resources: groups,
 * roles, customer managed policies, every principal's policy attachments and
 * inline policies, and group memberships. Users themselves need the credential
 * report as well, so iam-users.ts maps them.
 */
import {
  paginateGetAccountAuthorizationDetails,
  type AttachedPolicy,
  type GroupDetail,
  type IAMClient,
  type ManagedPolicyDetail,
  type PolicyDetail,
  type RoleDetail,
  type UserDetail,
} from '@aws-sdk/client-iam';
import type {
  GroupMembershipProps,
  GroupProps,
  InlinePolicyProps,
  PolicyAttachmentProps,
  PolicyProps,
  PrincipalType,
  RoleProps,
} from '../model/iam-props.js';
import { isAwsManagedPolicy } from '../answers/arn.js';
import { groupOwnProps, policyOwnProps, roleOwnProps } from '../answers/iam.js';
import { PAGE_SIZE } from '../answers/iam-reads.js';
import { allowsAll, decodePolicyDocument, denyOnly } from '../answers/policy-document.js';
import { tagRecord } from '../answers/values.js';
import type { Sink } from './iam-sink.js';

export interface Details {
  users: UserDetail[];
  groups: GroupDetail[];
  roles: RoleDetail[];
  policies: ManagedPolicyDetail[];
}

export async function fetchDetails(iam: IAMClient): Promise<Details> {
  const details: Details = { users: [], groups: [], roles: [], policies: [] };
  const pages = paginateGetAccountAuthorizationDetails(
    { client: iam, pageSize: PAGE_SIZE },
    { MaxItems: PAGE_SIZE, Filter: ['User', 'Role', 'Group', 'LocalManagedPolicy'] },
  );
  for await (const page of pages) {
    details.users.push(...(page.UserDetailList ?? []));
    details.groups.push(...(page.GroupDetailList ?? []));
    details.roles.push(...(page.RoleDetailList ?? []));
    details.policies.push(...(page.Policies ?? []));
  }
  return details;
}

/** A role's name and its decoded trust policy, as read from the details. */
export interface RoleTrust {
  name: string;
  trustPolicy: unknown;
}

export const roleTrust = (r: RoleDetail): RoleTrust => ({ name: r.RoleName ?? '', trustPolicy: decodePolicyDocument(r.AssumeRolePolicyDocument) });

/** Everything the details say on their own; users' own resources are left to iam-users.ts. */
export function addDetails(out: Sink, d: Details): void {
  for (const g of d.groups) addGroup(out, g);
  for (const r of d.roles) addRole(out, r);
  for (const p of d.policies) addPolicy(out, p);
  for (const u of d.users) addUserRelations(out, u);
}

/** A user's, group's or role's policies, as the details list them. */
interface PrincipalPolicies {
  attached: AttachedPolicy[] | undefined;
  inline: PolicyDetail[] | undefined;
}

export const userPolicies = (u: UserDetail): PrincipalPolicies => ({ attached: u.AttachedManagedPolicies, inline: u.UserPolicyList });

/** The attached policies' ARNs and the inline policies' names, as a principal's props list them. */
export function policyNames(p: PrincipalPolicies): { attachedPolicies: string[]; inlinePolicies: string[] } {
  return {
    attachedPolicies: (p.attached ?? []).map((a) => a.PolicyArn ?? ''),
    inlinePolicies: (p.inline ?? []).map((i) => i.PolicyName ?? ''),
  };
}

/** A principal's policies as resources: an `iam.policyAttachment` per attached policy, an `iam.inlinePolicy` per inline one. */
function addPrincipalPolicies(out: Sink, principalType: PrincipalType, principalName: string, p: PrincipalPolicies): void {
  for (const a of p.attached ?? []) {
    const policyArn = a.PolicyArn ?? '';
    const props: PolicyAttachmentProps = {
      principalType,
      principalName,
      policyArn,
      policyName: a.PolicyName ?? '',
      awsManaged: isAwsManagedPolicy(policyArn),
    };
    out.add('iam.policyAttachment', `${principalType}/${principalName}/${policyArn}`, props);
  }
  for (const i of p.inline ?? []) {
    const policyName = i.PolicyName ?? '';
    const document = decodePolicyDocument(i.PolicyDocument);
    const props: InlinePolicyProps = { principalType, principalName, policyName, document, allowsAll: allowsAll(document), denyOnly: denyOnly(document) };
    out.add('iam.inlinePolicy', `${principalType}/${principalName}/${policyName}`, props);
  }
}

function addGroup(out: Sink, g: GroupDetail): void {
  const own = groupOwnProps(g);
  const name = own.name;
  const policies: PrincipalPolicies = { attached: g.AttachedManagedPolicies, inline: g.GroupPolicyList };
  const props: GroupProps = { ...own, ...policyNames(policies) };
  out.add('iam.group', name, props, g.Arn);
  addPrincipalPolicies(out, 'group', name, policies);
}

function addRole(out: Sink, r: RoleDetail): void {
  // Split only to keep the inventory's key order: the policies come between the trust and the boundary.
  const { permissionsBoundary, lastUsedDate, serviceLinked, ...own } = roleOwnProps(r);
  const name = own.name;
  const policies: PrincipalPolicies = { attached: r.AttachedManagedPolicies, inline: r.RolePolicyList };
  const props: RoleProps = {
    ...own,
    ...policyNames(policies),
    permissionsBoundary,
    lastUsedDate,
    serviceLinked,
    instanceProfiles: (r.InstanceProfileList ?? []).map((p) => p.InstanceProfileName ?? ''),
  };
  out.add('iam.role', name, props, r.Arn, tagRecord(r.Tags));
  addPrincipalPolicies(out, 'role', name, policies);
}

function addPolicy(out: Sink, p: ManagedPolicyDetail): void {
  const versions = p.PolicyVersionList ?? [];
  const version = versions.find((v) => v.IsDefaultVersion) ?? versions.find((v) => v.VersionId === p.DefaultVersionId);
  const document = decodePolicyDocument(version?.Document);
  const own = policyOwnProps(p);
  const props: PolicyProps = {
    ...own,
    defaultVersionId: p.DefaultVersionId ?? version?.VersionId ?? '',
    document,
    allowsAll: allowsAll(document),
    denyOnly: denyOnly(document),
  };
  out.add('iam.policy', own.name, props, p.Arn);
}

/** What GetAccountAuthorizationDetails alone says about a user: memberships and policies. */
function addUserRelations(out: Sink, u: UserDetail): void {
  const user = u.UserName ?? '';
  for (const group of u.GroupList ?? []) {
    const props: GroupMembershipProps = { user, group };
    out.add('iam.groupMembership', `${user}/${group}`, props);
  }
  addPrincipalPolicies(out, 'user', user, userPolicies(u));
}
