/**
 * The IAM collector. It asks the fewest questions (see DESIGN.md, "Minimum API
 * calls"): the credential report, GetAccountAuthorizationDetails, GetAccountSummary,
 * and ListAccessKeys only for users the report shows keys for. When the report
 * predates this run (AWS reuses one for up to 4 hours), it re-checks keys and
 * passwords per user, since a compromise may be younger than the report.
 */
import {
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  NoSuchEntityException,
  paginateGetAccountAuthorizationDetails,
  paginateListAccessKeys,
  type AccessKeyMetadata,
  type AttachedPolicy,
  type GroupDetail,
  type IAMClient,
  type ManagedPolicyDetail,
  type PolicyDetail,
  type RoleDetail,
  type Tag,
  type UserDetail,
} from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import type {
  AccessKeyProps,
  GroupMembershipProps,
  GroupProps,
  InlinePolicyProps,
  LoginProfileProps,
  PolicyAttachmentProps,
  PolicyProps,
  PrincipalType,
  RoleProps,
  RootProps,
  UserProps,
} from '../model/iam-props.js';
import type { Gap } from '../model/inventory.js';
import { RESOURCE_TYPE_NAMES, type Props, type Resource, type ResourceType } from '../model/resource.js';
import { redact } from '../redact.js';
import {
  fetchCredentialReport,
  matchKeysToSlots,
  ReportError,
  rowShowsKey,
  type CredentialReport,
  type KeySlot,
  type ReportRow,
} from './credential-report.js';
import { allowsAll, decodePolicyDocument, trustedPrincipals } from './policy-document.js';

export interface IamContext {
  accountId: string;
  now: Date;
  log?: (msg: string) => void;
}

export interface CollectorResult {
  resources: Resource[];
  gaps: Gap[];
  notes: string[];
}

/** How many per-user IAM calls run at once: IAM has one endpoint and throttles. */
const PER_USER_CONCURRENCY = 8;
const PAGE_SIZE = 1000;

const USER_TYPES: ResourceType[] = ['iam.user', 'iam.accessKey', 'iam.loginProfile'];
const DETAIL_TYPES: ResourceType[] = [
  ...USER_TYPES,
  'iam.role',
  'iam.group',
  'iam.policy',
  'iam.policyAttachment',
  'iam.inlinePolicy',
  'iam.groupMembership',
];

interface Details {
  users: UserDetail[];
  groups: GroupDetail[];
  roles: RoleDetail[];
  policies: ManagedPolicyDetail[];
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}

function errorCode(err: unknown): string {
  if (err instanceof ReportError) return err.code;
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? name : 'Error';
}

function errorMessage(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  return redact(typeof message === 'string' ? message : String(err));
}

const iso = (d: Date | undefined): string => (d ? d.toISOString() : '');
const isoOrNull = (d: Date | undefined): string | null => (d ? d.toISOString() : null);
const tagsOf = (tags: Tag[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
const arnsOf = (policies: AttachedPolicy[] | undefined): string[] => (policies ?? []).map((p) => p.PolicyArn ?? '');
const namesOf = (policies: PolicyDetail[] | undefined): string[] => (policies ?? []).map((p) => p.PolicyName ?? '');
const isAwsManaged = (arn: string): boolean => /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
const lastUsedValue = (v: string | undefined): string | null => (v === undefined || v === '' || v === 'N/A' ? null : v);

/** Collects resources and gaps, in a stable order. */
class Sink {
  readonly resources: Resource[] = [];
  readonly gaps: Gap[] = [];
  readonly notes: string[] = [];

  constructor(private readonly accountId: string) {}

  add<P extends object>(type: ResourceType, id: string, props: P, arn?: string, tags: Record<string, string> = {}): void {
    const r: Resource = { type, id, region: 'global', accountId: this.accountId, tags, props: props as unknown as Props };
    if (arn) r.arn = arn;
    this.resources.push(r);
  }

  gap(types: ResourceType[], operation: string, err: unknown, prefix = ''): void {
    for (const type of types) {
      this.gaps.push({ type, region: 'global', operation, code: errorCode(err), message: prefix + errorMessage(err) });
    }
  }

  result(): CollectorResult {
    const order = (t: ResourceType) => RESOURCE_TYPE_NAMES.indexOf(t);
    const resources = [...this.resources].sort((a, b) => order(a.type) - order(b.type) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { resources, gaps: this.gaps, notes: this.notes };
  }
}

async function fetchDetails(iam: IAMClient): Promise<Details> {
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

export async function collectIam(iam: IAMClient, ctx: IamContext): Promise<CollectorResult> {
  const log = ctx.log ?? (() => {});
  const out = new Sink(ctx.accountId);
  log('iam: credential report, authorization details and account summary');
  const [report, details, summary] = await Promise.all([
    settle(fetchCredentialReport(iam)),
    settle(fetchDetails(iam)),
    settle(iam.send(new GetAccountSummaryCommand({}))),
  ]);

  if (!report.ok) {
    const op = report.error instanceof ReportError ? report.error.operation : 'iam:GetCredentialReport';
    out.gap(USER_TYPES, op, report.error);
    out.notes.push('The IAM credential report could not be read: users, access keys and login profiles were not collected, and the root password and key columns are unknown (null).');
  }

  if (summary.ok) {
    const map = summary.value.SummaryMap ?? {};
    const root = report.ok ? report.value.root : null;
    const props: RootProps = {
      mfaEnabled: (map.AccountMFAEnabled ?? 0) > 0,
      accessKeysPresent: (map.AccountAccessKeysPresent ?? 0) > 0,
      signingCertificatesPresent: (map.AccountSigningCertificatesPresent ?? 0) > 0,
      passwordLastUsed: root?.passwordLastUsed ?? null,
      accessKey1Active: root ? root.keys[0].active : null,
      accessKey2Active: root ? root.keys[1].active : null,
    };
    out.add('account.root', 'root', props, `arn:aws:iam::${ctx.accountId}:root`);
  } else {
    out.gap(['account.root'], 'iam:GetAccountSummary', summary.error);
  }

  if (!details.ok) {
    out.gap(DETAIL_TYPES, 'iam:GetAccountAuthorizationDetails', details.error);
    return out.result();
  }
  const d = details.value;
  log(`iam: ${d.users.length} users, ${d.groups.length} groups, ${d.roles.length} roles, ${d.policies.length} customer policies`);
  for (const g of d.groups) addGroup(out, g);
  for (const r of d.roles) addRole(out, r);
  for (const p of d.policies) addPolicy(out, p);
  for (const u of d.users) addUserRelations(out, u);
  if (report.ok) await addUsers(iam, out, d.users, report.value, ctx.now, log);
  return out.result();
}

function addAttachments(out: Sink, principalType: PrincipalType, principalName: string, policies: AttachedPolicy[] | undefined): void {
  for (const p of policies ?? []) {
    const policyArn = p.PolicyArn ?? '';
    const props: PolicyAttachmentProps = {
      principalType,
      principalName,
      policyArn,
      policyName: p.PolicyName ?? '',
      awsManaged: isAwsManaged(policyArn),
    };
    out.add('iam.policyAttachment', `${principalType}/${principalName}/${policyArn}`, props);
  }
}

function addInlinePolicies(out: Sink, principalType: PrincipalType, principalName: string, policies: PolicyDetail[] | undefined): void {
  for (const p of policies ?? []) {
    const policyName = p.PolicyName ?? '';
    const document = decodePolicyDocument(p.PolicyDocument);
    const props: InlinePolicyProps = { principalType, principalName, policyName, document, allowsAll: allowsAll(document) };
    out.add('iam.inlinePolicy', `${principalType}/${principalName}/${policyName}`, props);
  }
}

function addGroup(out: Sink, g: GroupDetail): void {
  const name = g.GroupName ?? '';
  const props: GroupProps = {
    name,
    groupId: g.GroupId ?? '',
    path: g.Path ?? '/',
    createDate: iso(g.CreateDate),
    attachedPolicies: arnsOf(g.AttachedManagedPolicies),
    inlinePolicies: namesOf(g.GroupPolicyList),
  };
  out.add('iam.group', name, props, g.Arn);
  addAttachments(out, 'group', name, g.AttachedManagedPolicies);
  addInlinePolicies(out, 'group', name, g.GroupPolicyList);
}

function addRole(out: Sink, r: RoleDetail): void {
  const name = r.RoleName ?? '';
  const path = r.Path ?? '/';
  const trustPolicy = decodePolicyDocument(r.AssumeRolePolicyDocument);
  const props: RoleProps = {
    name,
    roleId: r.RoleId ?? '',
    path,
    createDate: iso(r.CreateDate),
    trustPolicy,
    trustedPrincipals: trustedPrincipals(trustPolicy),
    attachedPolicies: arnsOf(r.AttachedManagedPolicies),
    inlinePolicies: namesOf(r.RolePolicyList),
    permissionsBoundary: r.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    lastUsedDate: isoOrNull(r.RoleLastUsed?.LastUsedDate),
    serviceLinked: path.startsWith('/aws-service-role/'),
    instanceProfiles: (r.InstanceProfileList ?? []).map((p) => p.InstanceProfileName ?? ''),
  };
  out.add('iam.role', name, props, r.Arn, tagsOf(r.Tags));
  addAttachments(out, 'role', name, r.AttachedManagedPolicies);
  addInlinePolicies(out, 'role', name, r.RolePolicyList);
}

function addPolicy(out: Sink, p: ManagedPolicyDetail): void {
  const versions = p.PolicyVersionList ?? [];
  const version = versions.find((v) => v.IsDefaultVersion) ?? versions.find((v) => v.VersionId === p.DefaultVersionId);
  const document = decodePolicyDocument(version?.Document);
  // The name is the ARN's last segment; moto omits PolicyName here.
  const name = p.PolicyName ?? p.Arn?.split('/').pop() ?? '';
  const props: PolicyProps = {
    name,
    policyId: p.PolicyId ?? '',
    path: p.Path ?? '/',
    createDate: iso(p.CreateDate),
    updateDate: iso(p.UpdateDate ?? p.CreateDate),
    defaultVersionId: p.DefaultVersionId ?? version?.VersionId ?? '',
    attachmentCount: p.AttachmentCount ?? 0,
    document,
    allowsAll: allowsAll(document),
  };
  out.add('iam.policy', name, props, p.Arn);
}

/** What GetAccountAuthorizationDetails alone says about a user: memberships and policies. */
function addUserRelations(out: Sink, u: UserDetail): void {
  const user = u.UserName ?? '';
  for (const group of u.GroupList ?? []) {
    const props: GroupMembershipProps = { user, group };
    out.add('iam.groupMembership', `${user}/${group}`, props);
  }
  addAttachments(out, 'user', user, u.AttachedManagedPolicies);
  addInlinePolicies(out, 'user', user, u.UserPolicyList);
}

/** What the per-user calls found; `undefined` when the call was not needed, `'failed'` when it failed. */
interface UserChecks {
  keys?: AccessKeyMetadata[] | 'failed';
  /** The login profile (with its CreateDate, ISO), or null for none (NoSuchEntity). */
  loginProfile?: { created: string | null } | null | 'failed';
  lastUsed: Map<string, KeySlot>;
}

interface Failure {
  type: ResourceType;
  operation: string;
  subject: string;
  error: unknown;
}

async function addUsers(iam: IAMClient, out: Sink, users: UserDetail[], report: CredentialReport, now: Date, log: (msg: string) => void): Promise<void> {
  const limit = pLimit(PER_USER_CONCURRENCY);
  const failures: Failure[] = [];
  const attempt = async <T>(type: ResourceType, operation: string, subject: string, run: () => Promise<T>): Promise<T | 'failed'> => {
    try {
      return await limit(run);
    } catch (error) {
      failures.push({ type, operation, subject, error });
      return 'failed';
    }
  };

  const plan = users.map((u) => {
    const name = u.UserName ?? '';
    const row = report.users.get(name);
    return {
      user: u,
      name,
      row,
      listKeys: !report.fresh || !row || rowShowsKey(row),
      getLogin: !row || (!report.fresh && row.passwordEnabled !== true),
    };
  });

  const checks = await Promise.all(
    plan.map(async (p): Promise<UserChecks> => {
      const c: UserChecks = { lastUsed: new Map() };
      const [keys, login] = await Promise.all([
        p.listKeys ? attempt('iam.accessKey', 'iam:ListAccessKeys', p.name, () => listKeys(iam, p.name)) : undefined,
        p.getLogin ? attempt('iam.loginProfile', 'iam:GetLoginProfile', p.name, () => loginProfile(iam, p.name)) : undefined,
      ]);
      if (keys !== undefined) c.keys = keys;
      if (login !== undefined) c.loginProfile = login;
      if (Array.isArray(keys)) {
        const keyList = keys.map((k) => ({ id: k.AccessKeyId ?? '', createDate: iso(k.CreateDate) }));
        const slots = matchKeysToSlots(keyList, p.row, report.generatedTime);
        for (const key of keyList) {
          const slot = slots.get(key.id);
          if (slot) {
            c.lastUsed.set(key.id, slot);
            continue;
          }
          // A key younger than the report: ask for its last use directly.
          const got = await attempt('iam.accessKey', 'iam:GetAccessKeyLastUsed', key.id, () => keyLastUsed(iam, key.id));
          if (got !== 'failed') c.lastUsed.set(key.id, got);
        }
      }
      return c;
    }),
  );

  plan.forEach((p, i) => addUser(out, p.user, p.row, checks[i] ?? { lastUsed: new Map() }));
  reportFailures(out, failures);
  addNotes(out, report, now, plan.filter((p) => !p.row).map((p) => p.name), plan.filter((p) => p.getLogin).length);
  log(`iam: ${plan.filter((p) => p.listKeys).length} ListAccessKeys, ${plan.filter((p) => p.getLogin).length} GetLoginProfile calls`);
}

async function listKeys(iam: IAMClient, userName: string): Promise<AccessKeyMetadata[]> {
  const keys: AccessKeyMetadata[] = [];
  for await (const page of paginateListAccessKeys({ client: iam, pageSize: PAGE_SIZE }, { UserName: userName, MaxItems: PAGE_SIZE })) {
    keys.push(...(page.AccessKeyMetadata ?? []));
  }
  return keys;
}

async function loginProfile(iam: IAMClient, userName: string): Promise<{ created: string | null } | null> {
  try {
    const got = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return { created: isoOrNull(got.LoginProfile?.CreateDate) };
  } catch (err) {
    if (err instanceof NoSuchEntityException || errorCode(err) === 'NoSuchEntity') return null;
    throw err;
  }
}

async function keyLastUsed(iam: IAMClient, accessKeyId: string): Promise<KeySlot> {
  const got = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
  const u = got.AccessKeyLastUsed;
  return {
    active: false,
    lastRotated: null,
    lastUsedDate: isoOrNull(u?.LastUsedDate),
    lastUsedRegion: lastUsedValue(u?.Region),
    lastUsedService: lastUsedValue(u?.ServiceName),
  };
}

function addUser(out: Sink, u: UserDetail, row: ReportRow | undefined, c: UserChecks): void {
  const name = u.UserName ?? '';
  const keys = Array.isArray(c.keys) ? c.keys : null;
  const reportKeys = row ? row.keys.filter((k) => k.active || k.lastRotated !== null) : [];
  const checked = c.loginProfile !== undefined && c.loginProfile !== 'failed';
  const login = c.loginProfile === undefined || c.loginProfile === 'failed' ? null : c.loginProfile;
  const passwordEnabled = checked ? login !== null : row?.passwordEnabled === true;
  const passwordLastUsed = row?.passwordLastUsed ?? null;

  const props: UserProps = {
    name,
    userId: u.UserId ?? '',
    path: u.Path ?? '/',
    createDate: iso(u.CreateDate),
    passwordEnabled,
    passwordLastUsed,
    mfaActive: row?.mfaActive ?? false,
    accessKeyCount: keys ? keys.length : reportKeys.length,
    activeAccessKeyCount: keys ? keys.filter((k) => k.Status === 'Active').length : reportKeys.filter((k) => k.active).length,
    groups: [...(u.GroupList ?? [])],
    attachedPolicies: arnsOf(u.AttachedManagedPolicies),
    inlinePolicies: namesOf(u.UserPolicyList),
    permissionsBoundary: u.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
  };
  out.add('iam.user', name, props, u.Arn, tagsOf(u.Tags));

  if (passwordEnabled) {
    // A password the report did not know of was set after it: its CreateDate is its last change.
    const lastChanged = row?.passwordEnabled === true ? row.passwordLastChanged : (login?.created ?? null);
    const lp: LoginProfileProps = { user: name, passwordLastUsed, passwordLastChanged: lastChanged };
    out.add('iam.loginProfile', name, lp);
  }

  for (const k of keys ?? []) {
    const id = k.AccessKeyId ?? '';
    const createDate = iso(k.CreateDate);
    const used = c.lastUsed.get(id);
    const lastUsedDate = used?.lastUsedDate ?? null;
    const props: AccessKeyProps = {
      user: name,
      status: k.Status === 'Inactive' ? 'Inactive' : 'Active',
      createDate,
      lastUsedDate,
      lastUsedService: used?.lastUsedService ?? null,
      lastUsedRegion: used?.lastUsedRegion ?? null,
      lastActivity: lastUsedDate ?? createDate,
    };
    out.add('iam.accessKey', id, props);
  }
}

/** One gap per type, operation and error code, naming the users or keys it hides. */
function reportFailures(out: Sink, failures: Failure[]): void {
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = `${f.type}|${f.operation}|${errorCode(f.error)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const list of groups.values()) {
    const first = list[0];
    if (!first) continue;
    const subjects = list.map((f) => f.subject);
    const shown = subjects.slice(0, 5).join(', ') + (subjects.length > 5 ? `, and ${subjects.length - 5} more` : '');
    out.gap([first.type], first.operation, first.error, `failed for ${subjects.length} (${shown}): `);
  }
}

function addNotes(out: Sink, report: CredentialReport, now: Date, newerUsers: string[], loginChecks: number): void {
  const generated = report.generatedTime ?? 'an unknown time';
  if (!report.fresh) {
    const minutes = report.generatedTime ? Math.round((now.getTime() - Date.parse(report.generatedTime)) / 60_000) : null;
    const age = minutes === null ? '' : ` (${minutes} min before this run)`;
    out.notes.push(
      `The IAM credential report was generated at ${generated}${age}: AWS reuses a report for up to 4 hours, so it may miss recent changes. ` +
        `Access keys of every user were re-checked with ListAccessKeys, and login profiles of ${loginChecks} user(s) the report showed without a password (or did not list) with GetLoginProfile; ` +
        'MFA state and password/key last-used dates come from the report and may be out of date.',
    );
  }
  if (newerUsers.length > 0) {
    out.notes.push(
      `${newerUsers.length} user(s) are newer than the credential report (generated at ${generated}): ${newerUsers.join(', ')}. ` +
        'Their access keys and login profiles were checked directly; their mfaActive is reported as false and passwordLastUsed as null without the report to confirm them.',
    );
  }
}
