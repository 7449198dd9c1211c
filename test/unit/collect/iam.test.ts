import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  IAMClient,
  IAMServiceException,
  ListAccessKeysCommand,
  NoSuchEntityException,
  type GetAccountAuthorizationDetailsCommandOutput,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { collectIam } from '../../../src/collect/iam.js';
import type { Gap } from '../../../src/model/inventory.js';
import type { Resource, ResourceType } from '../../../src/model/resource.js';

const ACCOUNT = '123456789012';
const NOW = new Date('2026-11-22T12:00:00Z');
const GENERATED = new Date('2026-11-22T11:20:00Z');
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/boundary`;
const EVERYTHING = `arn:aws:iam::${ACCOUNT}:policy/everything`;

const enc = (doc: object) => encodeURIComponent(JSON.stringify(doc));
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const S3_READ = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' } };
const TRUST = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: ['111111111111', 'arn:aws:iam::222222222222:user/x'] }, Action: 'sts:AssumeRole' },
    { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    { Effect: 'Deny', Principal: { AWS: '999999999999' }, Action: 'sts:AssumeRole' },
  ],
};

// ---- credential report fixture -------------------------------------------------------------

const COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation', 'mfa_active',
  'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service',
  'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string>>;

function row(user: string, values: Row = {}): Row {
  const base: Row = Object.fromEntries(COLUMNS.map((c) => [c, 'N/A']));
  return { ...base, user, arn: `arn:aws:iam::${ACCOUNT}:user/${user}`, user_creation_time: '2024-01-01T00:00:00+00:00', password_enabled: 'false', mfa_active: 'false', access_key_1_active: 'false', access_key_2_active: 'false', cert_1_active: 'false', cert_2_active: 'false', ...values };
}
const ROOT_ROW = row('<root_account>', {
  arn: `arn:aws:iam::${ACCOUNT}:root`,
  password_enabled: 'not_supported',
  password_last_used: '2026-11-20T08:00:00+00:00',
  mfa_active: 'true',
  access_key_1_active: 'true',
  access_key_1_last_rotated: '2019-01-01T00:00:00+00:00',
});
/** The report as moto writes it: no `<root_account>` row, so the root needs GetAccountSummary. */
const withoutRoot = (rows: Row[]) => rows.filter((r) => r.user !== '<root_account>');
const csv = (rows: Row[]) => [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => r[c] ?? 'N/A').join(','))].join('\n') + '\n';

/** alice: console + MFA, no keys. bob: two keys, swapped in the report. carol: one inactive key. dave: nothing. */
const REPORT_ROWS = [
  ROOT_ROW,
  row('alice', { password_enabled: 'true', password_last_used: '2026-11-21T09:00:00+00:00', password_last_changed: '2025-02-02T02:02:02+00:00', mfa_active: 'true' }),
  // bob's newer key sits in slot 1 (as after deleting the first key and creating another)
  row('bob', {
    access_key_1_active: 'true',
    access_key_1_last_rotated: '2025-06-01T12:34:56+00:00',
    access_key_2_active: 'true',
    access_key_2_last_rotated: '2024-03-01T00:00:00+00:00',
    access_key_2_last_used_date: '2026-11-01T10:00:00+00:00',
    access_key_2_last_used_region: 'eu-west-1',
    access_key_2_last_used_service: 'iam',
  }),
  row('carol', { access_key_1_active: 'false', access_key_1_last_rotated: '2025-09-09T09:09:09+00:00' }),
  row('dave'),
];

const BOB_OLD = { UserName: 'bob', AccessKeyId: 'AKIABOBOLD0000000001', Status: 'Active' as const, CreateDate: new Date('2024-03-01T00:00:00.400Z') };
const BOB_NEW = { UserName: 'bob', AccessKeyId: 'AKIABOBNEW0000000002', Status: 'Active' as const, CreateDate: new Date('2025-06-01T12:34:56Z') };
const CAROL_KEY = { UserName: 'carol', AccessKeyId: 'AKIACAROL00000000003', Status: 'Inactive' as const, CreateDate: new Date('2025-09-09T09:09:09Z') };

// ---- authorization details fixture ---------------------------------------------------------

const user = (name: string, extra: object = {}) => ({
  UserName: name,
  UserId: `AIDA${name.toUpperCase()}`,
  Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  Path: '/',
  CreateDate: new Date('2024-01-01T00:00:00Z'),
  GroupList: [],
  AttachedManagedPolicies: [],
  UserPolicyList: [],
  ...extra,
});

const DETAILS: GetAccountAuthorizationDetailsCommandOutput = {
  $metadata: {},
  IsTruncated: false,
  UserDetailList: [
    user('alice', {
      GroupList: ['admins'],
      AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN }],
      UserPolicyList: [{ PolicyName: 'alice-star', PolicyDocument: enc(ALLOW_ALL) }],
      PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: BOUNDARY },
      Tags: [{ Key: 'team', Value: 'sec' }],
    }),
    user('bob', { GroupList: ['admins'] }),
    user('carol'),
    user('dave'),
  ],
  GroupDetailList: [
    {
      GroupName: 'admins',
      GroupId: 'AGPAADMINS',
      Arn: `arn:aws:iam::${ACCOUNT}:group/admins`,
      Path: '/',
      CreateDate: new Date('2023-01-01T00:00:00Z'),
      AttachedManagedPolicies: [{ PolicyName: 'everything', PolicyArn: EVERYTHING }],
      GroupPolicyList: [{ PolicyName: 'read', PolicyDocument: enc(S3_READ) }],
    },
  ],
  RoleDetailList: [
    {
      RoleName: 'ext-audit',
      RoleId: 'AROAEXT',
      Arn: `arn:aws:iam::${ACCOUNT}:role/ext-audit`,
      Path: '/',
      CreateDate: new Date('2023-05-05T05:05:05Z'),
      AssumeRolePolicyDocument: enc(TRUST),
      InstanceProfileList: [{ InstanceProfileName: 'ext-profile', InstanceProfileId: 'AIPA1', Arn: 'arn:x', Path: '/', Roles: [], CreateDate: new Date() }],
      RolePolicyList: [],
      AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN }],
      RoleLastUsed: { LastUsedDate: new Date('2026-11-21T00:00:00Z'), Region: 'us-east-1' },
      Tags: [{ Key: 'owner', Value: 'audit' }],
    },
    {
      RoleName: 'AWSServiceRoleForSupport',
      RoleId: 'AROASUPPORT',
      Arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
      Path: '/aws-service-role/support.amazonaws.com/',
      CreateDate: new Date('2020-01-01T00:00:00Z'),
      AssumeRolePolicyDocument: enc({ Statement: [{ Effect: 'Allow', Principal: { Service: 'support.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      RoleLastUsed: {},
    },
  ],
  Policies: [
    {
      PolicyName: 'everything',
      PolicyId: 'ANPAEVERYTHING',
      Arn: EVERYTHING,
      Path: '/',
      DefaultVersionId: 'v2',
      AttachmentCount: 1,
      CreateDate: new Date('2022-01-01T00:00:00Z'),
      UpdateDate: new Date('2022-02-02T00:00:00Z'),
      PolicyVersionList: [
        { VersionId: 'v1', IsDefaultVersion: false, Document: enc(S3_READ) },
        { VersionId: 'v2', IsDefaultVersion: true, Document: enc(ALLOW_ALL) },
      ],
    },
  ],
};

// ---- helpers -------------------------------------------------------------------------------

const iam = mockClient(IAMClient);
const client = () => new IAMClient({ region: 'us-east-1' });
const content = (rows: Row[]) => new TextEncoder().encode(csv(rows));
const denied = (operation: string) =>
  new IAMServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: iam:${operation}`,
  });

function mockAccount(options: { fresh?: boolean; rows?: Row[]; details?: GetAccountAuthorizationDetailsCommandOutput } = {}): void {
  const { fresh = true, rows = REPORT_ROWS, details = DETAILS } = options;
  if (fresh) iam.on(GenerateCredentialReportCommand).resolvesOnce({ State: 'STARTED' }).resolves({ State: 'COMPLETE' });
  else iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam.on(GetCredentialReportCommand).resolves({ Content: content(rows), ReportFormat: 'text/csv', GeneratedTime: GENERATED });
  iam.on(GetAccountAuthorizationDetailsCommand).resolves(details);
  iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 1, AccountSigningCertificatesPresent: 0, Users: 4 } });
  iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [], IsTruncated: false });
  iam.on(ListAccessKeysCommand, { UserName: 'bob' }).resolves({ AccessKeyMetadata: [BOB_NEW, BOB_OLD], IsTruncated: false });
  iam.on(ListAccessKeysCommand, { UserName: 'carol' }).resolves({ AccessKeyMetadata: [CAROL_KEY], IsTruncated: false });
  iam.on(GetLoginProfileCommand).rejects(new NoSuchEntityException({ $metadata: {}, message: 'Login Profile cannot be found.' }));
}

/** `Command` names of every call made, with counts. */
function commandCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of iam.calls()) {
    const name = (call.args[0] as object).constructor.name.replace(/Command$/, '');
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** The users a per-user command was called for, sorted. */
const usersCalled = (command: typeof ListAccessKeysCommand | typeof GetLoginProfileCommand) =>
  iam
    .calls()
    .map((c) => c.args[0] as object)
    .filter((cmd) => cmd instanceof command)
    .map((cmd) => (cmd as { input: { UserName?: string } }).input.UserName)
    .sort();

const of = (resources: Resource[], type: ResourceType) => resources.filter((r) => r.type === type);
function one(resources: Resource[], type: ResourceType, id: string): Resource {
  const found = resources.filter((r) => r.type === type && r.id === id);
  expect(found, `${type} ${id}`).toHaveLength(1);
  return found[0]!;
}
const gapSummary = (gaps: Gap[]) => gaps.map((g) => `${g.type} ${g.operation} ${g.code}`).sort();

beforeEach(() => {
  iam.reset();
});

// ---- tests ---------------------------------------------------------------------------------

describe('collectIam with a fresh credential report', () => {
  it('makes only the minimum calls: no per-user call for users whose report row shows no key, no GetAccountSummary with a root row', async () => {
    mockAccount();
    const { gaps, notes } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gaps).toEqual([]);
    expect(notes).toEqual([]);
    expect(commandCounts()).toEqual({
      GenerateCredentialReport: 2,
      GetCredentialReport: 1,
      GetAccountAuthorizationDetails: 1,
      ListAccessKeys: 2,
    });
    expect(usersCalled(ListAccessKeysCommand)).toEqual(['bob', 'carol']);
    const gaad = iam.commandCalls(GetAccountAuthorizationDetailsCommand)[0]!.args[0].input;
    expect(gaad).toEqual({ MaxItems: 1000, Filter: ['User', 'Role', 'Group', 'LocalManagedPolicy'] });
    expect(iam.commandCalls(ListAccessKeysCommand)[0]!.args[0].input).toMatchObject({ MaxItems: 1000 });
  });

  it('builds users, login profiles and keys from the report and GetAccountAuthorizationDetails', async () => {
    mockAccount();
    const { resources } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(JSON.parse(JSON.stringify(resources))).toEqual(resources);

    expect(one(resources, 'iam.user', 'alice')).toEqual({
      type: 'iam.user',
      id: 'alice',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      region: 'global',
      accountId: ACCOUNT,
      tags: { team: 'sec' },
      props: {
        name: 'alice',
        userId: 'AIDAALICE',
        path: '/',
        createDate: '2024-01-01T00:00:00.000Z',
        passwordEnabled: true,
        passwordLastUsed: '2026-11-21T09:00:00.000Z',
        mfaActive: true,
        accessKeyCount: 0,
        activeAccessKeyCount: 0,
        groups: ['admins'],
        attachedPolicies: [ADMIN],
        inlinePolicies: ['alice-star'],
        permissionsBoundary: BOUNDARY,
      },
    });
    expect(one(resources, 'iam.user', 'bob').props).toMatchObject({ passwordEnabled: false, mfaActive: false, accessKeyCount: 2, activeAccessKeyCount: 2, permissionsBoundary: null });
    expect(one(resources, 'iam.user', 'carol').props).toMatchObject({ accessKeyCount: 1, activeAccessKeyCount: 0 });
    expect(one(resources, 'iam.user', 'dave').tags).toEqual({});

    expect(of(resources, 'iam.loginProfile')).toEqual([
      {
        type: 'iam.loginProfile',
        id: 'alice',
        region: 'global',
        accountId: ACCOUNT,
        tags: {},
        props: { user: 'alice', passwordLastUsed: '2026-11-21T09:00:00.000Z', passwordLastChanged: '2025-02-02T02:02:02.000Z' },
      },
    ]);
  });

  it('maps last-used columns to key ids by matching last_rotated with CreateDate', async () => {
    mockAccount();
    const { resources } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(of(resources, 'iam.accessKey').map((k) => k.id)).toEqual([BOB_NEW.AccessKeyId, BOB_OLD.AccessKeyId, CAROL_KEY.AccessKeyId]);
    expect(one(resources, 'iam.accessKey', BOB_OLD.AccessKeyId)).toEqual({
      type: 'iam.accessKey',
      id: BOB_OLD.AccessKeyId,
      region: 'global',
      accountId: ACCOUNT,
      tags: {},
      props: {
        user: 'bob',
        status: 'Active',
        createDate: '2024-03-01T00:00:00.400Z',
        lastUsedDate: '2026-11-01T10:00:00.000Z',
        lastUsedService: 'iam',
        lastUsedRegion: 'eu-west-1',
        lastActivity: '2026-11-01T10:00:00.000Z',
      },
    });
    expect(one(resources, 'iam.accessKey', BOB_NEW.AccessKeyId).props).toEqual({
      user: 'bob',
      status: 'Active',
      createDate: '2025-06-01T12:34:56.000Z',
      lastUsedDate: null,
      lastUsedService: null,
      lastUsedRegion: null,
      lastActivity: '2025-06-01T12:34:56.000Z',
    });
    expect(one(resources, 'iam.accessKey', CAROL_KEY.AccessKeyId).props).toMatchObject({ user: 'carol', status: 'Inactive' });
  });

  it('builds groups, roles, customer policies, attachments, inline policies and memberships', async () => {
    mockAccount();
    const { resources } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });

    expect(one(resources, 'iam.group', 'admins')).toEqual({
      type: 'iam.group',
      id: 'admins',
      arn: `arn:aws:iam::${ACCOUNT}:group/admins`,
      region: 'global',
      accountId: ACCOUNT,
      tags: {},
      props: { name: 'admins', groupId: 'AGPAADMINS', path: '/', createDate: '2023-01-01T00:00:00.000Z', attachedPolicies: [EVERYTHING], inlinePolicies: ['read'] },
    });

    expect(one(resources, 'iam.role', 'ext-audit')).toEqual({
      type: 'iam.role',
      id: 'ext-audit',
      arn: `arn:aws:iam::${ACCOUNT}:role/ext-audit`,
      region: 'global',
      accountId: ACCOUNT,
      tags: { owner: 'audit' },
      props: {
        name: 'ext-audit',
        roleId: 'AROAEXT',
        path: '/',
        createDate: '2023-05-05T05:05:05.000Z',
        trustPolicy: TRUST,
        trustedPrincipals: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:user/x', 'ec2.amazonaws.com'],
        attachedPolicies: [ADMIN],
        inlinePolicies: [],
        permissionsBoundary: null,
        lastUsedDate: '2026-11-21T00:00:00.000Z',
        serviceLinked: false,
        instanceProfiles: ['ext-profile'],
      },
    });
    expect(one(resources, 'iam.role', 'AWSServiceRoleForSupport').props).toMatchObject({
      serviceLinked: true,
      lastUsedDate: null,
      trustedPrincipals: ['support.amazonaws.com'],
      instanceProfiles: [],
    });

    expect(of(resources, 'iam.policy')).toEqual([
      {
        type: 'iam.policy',
        id: 'everything',
        arn: EVERYTHING,
        region: 'global',
        accountId: ACCOUNT,
        tags: {},
        props: {
          name: 'everything',
          policyId: 'ANPAEVERYTHING',
          path: '/',
          createDate: '2022-01-01T00:00:00.000Z',
          updateDate: '2022-02-02T00:00:00.000Z',
          defaultVersionId: 'v2',
          attachmentCount: 1,
          document: ALLOW_ALL,
          allowsAll: true,
          denyOnly: false,
        },
      },
    ]);

    expect(of(resources, 'iam.policyAttachment').map((r) => [r.id, r.props])).toEqual([
      [`group/admins/${EVERYTHING}`, { principalType: 'group', principalName: 'admins', policyArn: EVERYTHING, policyName: 'everything', awsManaged: false }],
      [`role/ext-audit/${ADMIN}`, { principalType: 'role', principalName: 'ext-audit', policyArn: ADMIN, policyName: 'AdministratorAccess', awsManaged: true }],
      [`user/alice/${ADMIN}`, { principalType: 'user', principalName: 'alice', policyArn: ADMIN, policyName: 'AdministratorAccess', awsManaged: true }],
    ]);
    expect(of(resources, 'iam.inlinePolicy').map((r) => [r.id, r.props])).toEqual([
      ['group/admins/read', { principalType: 'group', principalName: 'admins', policyName: 'read', document: S3_READ, allowsAll: false, denyOnly: false }],
      ['user/alice/alice-star', { principalType: 'user', principalName: 'alice', policyName: 'alice-star', document: ALLOW_ALL, allowsAll: true, denyOnly: false }],
    ]);
    expect(of(resources, 'iam.groupMembership').map((r) => [r.id, r.props])).toEqual([
      ['alice/admins', { user: 'alice', group: 'admins' }],
      ['bob/admins', { user: 'bob', group: 'admins' }],
    ]);
  });

  it('fills the root from the <root_account> row, without calling GetAccountSummary', async () => {
    mockAccount();
    const { resources } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(0);
    expect(one(resources, 'account.root', 'root')).toEqual({
      type: 'account.root',
      id: 'root',
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      region: 'global',
      accountId: ACCOUNT,
      tags: {},
      props: {
        mfaEnabled: true,
        accessKeysPresent: true,
        signingCertificatesPresent: false,
        passwordLastUsed: '2026-11-20T08:00:00.000Z',
        accessKey1Active: true,
        accessKey2Active: false,
      },
    });
  });

  it('counts an inactive root key and an inactive signing certificate as present, and takes MFA from the row', async () => {
    const root = row('<root_account>', {
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      password_enabled: 'not_supported',
      mfa_active: 'false',
      access_key_1_active: 'false',
      access_key_2_active: 'false',
      access_key_2_last_rotated: '2018-03-03T03:03:03+00:00',
      cert_1_active: 'false',
      cert_1_last_rotated: '2017-01-01T00:00:00+00:00',
    });
    mockAccount({ rows: [root, ...withoutRoot(REPORT_ROWS)] });
    // the summary would disagree, but it is not asked
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0, AccountSigningCertificatesPresent: 0 } });
    const { resources, gaps } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gaps).toEqual([]);
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(0);
    expect(one(resources, 'account.root', 'root').props).toEqual({
      mfaEnabled: false,
      accessKeysPresent: true,
      signingCertificatesPresent: true,
      passwordLastUsed: null,
      accessKey1Active: false,
      accessKey2Active: false,
    });
  });

  it('reports no root keys or certificates when no slot is active or dated', async () => {
    const root = row('<root_account>', { arn: `arn:aws:iam::${ACCOUNT}:root`, password_enabled: 'not_supported', mfa_active: 'true' });
    mockAccount({ rows: [root, ...withoutRoot(REPORT_ROWS)] });
    const { resources } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(0);
    expect(one(resources, 'account.root', 'root').props).toMatchObject({ mfaEnabled: true, accessKeysPresent: false, signingCertificatesPresent: false });
  });

  it('calls GetAccountSummary once and leaves the root report columns null when the report has no <root_account> row', async () => {
    mockAccount({ rows: withoutRoot(REPORT_ROWS) });
    const { resources, gaps } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gaps).toEqual([]);
    expect(commandCounts()).toEqual({
      GenerateCredentialReport: 2,
      GetCredentialReport: 1,
      GetAccountAuthorizationDetails: 1,
      GetAccountSummary: 1,
      ListAccessKeys: 2,
    });
    expect(one(resources, 'account.root', 'root').props).toEqual({
      mfaEnabled: true,
      accessKeysPresent: true,
      signingCertificatesPresent: false,
      passwordLastUsed: null,
      accessKey1Active: null,
      accessKey2Active: null,
    });
    expect(of(resources, 'iam.user')).toHaveLength(4);
  });

  it('starts GetAccountSummary as soon as the report lacks a root row, while the authorization details are still running', async () => {
    mockAccount({ rows: withoutRoot(REPORT_ROWS) });
    const events: string[] = [];
    let summaryCalled = () => {};
    const summaryStarted = new Promise<void>((resolve) => (summaryCalled = resolve));
    iam.on(GetAccountAuthorizationDetailsCommand).callsFake(async () => {
      events.push('details:start');
      // wait for the summary (it follows the report, which polls for ~200 ms), or give up if the collector serialises it
      // after the details; the give-up is far beyond the wait, so a loaded machine's slow timers cannot trip it
      await Promise.race([summaryStarted, new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
      events.push('details:end');
      return DETAILS;
    });
    iam.on(GetAccountSummaryCommand).callsFake(() => {
      events.push('summary:start');
      summaryCalled();
      return { SummaryMap: { AccountMFAEnabled: 1 } };
    });
    const { gaps } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gaps).toEqual([]);
    expect(events).toEqual(['details:start', 'summary:start', 'details:end']);
  });

  it('checks users newer than the report directly, with mfaActive false and a note', async () => {
    const erin = user('erin');
    mockAccount({ details: { ...DETAILS, UserDetailList: [...DETAILS.UserDetailList!, erin] } });
    const erinKey = { UserName: 'erin', AccessKeyId: 'AKIAERIN000000000005', Status: 'Active' as const, CreateDate: new Date('2026-11-22T11:59:55Z') };
    iam.on(ListAccessKeysCommand, { UserName: 'erin' }).resolves({ AccessKeyMetadata: [erinKey] });
    iam.on(GetLoginProfileCommand, { UserName: 'erin' }).resolves({ LoginProfile: { UserName: 'erin', CreateDate: new Date('2026-11-22T11:59:56Z'), PasswordResetRequired: false } });
    iam.on(GetAccessKeyLastUsedCommand, { AccessKeyId: erinKey.AccessKeyId }).resolves({ UserName: 'erin', AccessKeyLastUsed: { LastUsedDate: new Date('2026-11-22T11:59:58Z'), ServiceName: 'sts', Region: 'us-east-1' } });

    const { resources, gaps, notes } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gaps).toEqual([]);
    expect(usersCalled(ListAccessKeysCommand)).toEqual(['bob', 'carol', 'erin']);
    expect(usersCalled(GetLoginProfileCommand)).toEqual(['erin']);
    expect(iam.commandCalls(GetAccessKeyLastUsedCommand).map((c) => c.args[0].input.AccessKeyId)).toEqual([erinKey.AccessKeyId]);
    expect(one(resources, 'iam.user', 'erin').props).toMatchObject({ passwordEnabled: true, passwordLastUsed: null, mfaActive: false, accessKeyCount: 1, activeAccessKeyCount: 1 });
    expect(one(resources, 'iam.loginProfile', 'erin').props).toEqual({ user: 'erin', passwordLastUsed: null, passwordLastChanged: '2026-11-22T11:59:56.000Z' });
    expect(one(resources, 'iam.accessKey', erinKey.AccessKeyId).props).toMatchObject({ lastUsedDate: '2026-11-22T11:59:58.000Z', lastUsedService: 'sts', lastUsedRegion: 'us-east-1' });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('erin');
    expect(notes[0]).toContain('mfaActive');
  });
});

describe('collectIam with a credential report older than the run', () => {
  it('lists keys of every user, checks login profiles of users without a password, and says so', async () => {
    mockAccount({ fresh: false });
    // carol set a password and dave created a key after the report was generated
    iam.on(GetLoginProfileCommand, { UserName: 'carol' }).resolves({ LoginProfile: { UserName: 'carol', CreateDate: new Date('2026-11-22T11:40:00Z'), PasswordResetRequired: false } });
    const daveKey = { UserName: 'dave', AccessKeyId: 'AKIADAVE000000000004', Status: 'Active' as const, CreateDate: new Date('2026-11-22T11:30:00Z') };
    iam.on(ListAccessKeysCommand, { UserName: 'dave' }).resolves({ AccessKeyMetadata: [daveKey] });
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'dave', AccessKeyLastUsed: { LastUsedDate: new Date('2026-11-22T11:45:00Z'), ServiceName: 'ec2', Region: 'ap-south-1' } });

    const { resources, gaps, notes } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gaps).toEqual([]);
    expect(commandCounts()).toEqual({
      GenerateCredentialReport: 1,
      GetCredentialReport: 1,
      GetAccountAuthorizationDetails: 1,
      ListAccessKeys: 4,
      GetLoginProfile: 3,
      GetAccessKeyLastUsed: 1,
    });
    expect(usersCalled(ListAccessKeysCommand)).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(usersCalled(GetLoginProfileCommand)).toEqual(['bob', 'carol', 'dave']);

    expect(of(resources, 'iam.loginProfile').map((r) => [r.id, r.props.passwordLastChanged])).toEqual([
      ['alice', '2025-02-02T02:02:02.000Z'],
      ['carol', '2026-11-22T11:40:00.000Z'],
    ]);
    expect(one(resources, 'iam.user', 'carol').props.passwordEnabled).toBe(true);
    expect(one(resources, 'iam.user', 'bob').props.passwordEnabled).toBe(false);
    expect(one(resources, 'iam.user', 'dave').props).toMatchObject({ accessKeyCount: 1, activeAccessKeyCount: 1 });
    expect(one(resources, 'iam.accessKey', daveKey.AccessKeyId).props).toEqual({
      user: 'dave',
      status: 'Active',
      createDate: '2026-11-22T11:30:00.000Z',
      lastUsedDate: '2026-11-22T11:45:00.000Z',
      lastUsedService: 'ec2',
      lastUsedRegion: 'ap-south-1',
      lastActivity: '2026-11-22T11:45:00.000Z',
    });
    // keys the report knew keep its last-used data without extra calls
    expect(one(resources, 'iam.accessKey', BOB_OLD.AccessKeyId).props.lastUsedRegion).toBe('eu-west-1');

    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(`${GENERATED.toISOString()} (40 min before this run)`);
    expect(notes[0]).toMatch(/ListAccessKeys/);
    expect(notes[0]).toMatch(/GetLoginProfile/);
  });
});

describe('pagination', () => {
  it('follows GetAccountAuthorizationDetails markers across pages', async () => {
    mockAccount();
    const page = (extra: object) => ({ UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [], ...extra });
    const pages = [
      page({ UserDetailList: DETAILS.UserDetailList!.slice(0, 2), GroupDetailList: DETAILS.GroupDetailList, IsTruncated: true, Marker: 'm1' }),
      page({ UserDetailList: DETAILS.UserDetailList!.slice(2), RoleDetailList: DETAILS.RoleDetailList, IsTruncated: true, Marker: 'm2' }),
      page({ Policies: DETAILS.Policies, IsTruncated: false }),
    ];
    // The paginator reuses its input object, so record each request's marker as it is sent.
    const markers: (string | undefined)[] = [];
    iam.on(GetAccountAuthorizationDetailsCommand).callsFake((input: { Marker?: string }) => {
      markers.push(input.Marker);
      return pages[markers.length - 1];
    });

    const { resources, gaps } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gaps).toEqual([]);
    expect(markers).toEqual([undefined, 'm1', 'm2']);
    expect(of(resources, 'iam.user').map((r) => r.id)).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(of(resources, 'iam.role').map((r) => r.id)).toEqual(['AWSServiceRoleForSupport', 'ext-audit']);
    expect(of(resources, 'iam.policy').map((r) => r.id)).toEqual(['everything']);
    expect(of(resources, 'iam.group').map((r) => r.id)).toEqual(['admins']);
  });

  it('follows ListAccessKeys markers', async () => {
    mockAccount();
    const markers: (string | undefined)[] = [];
    iam.on(ListAccessKeysCommand, { UserName: 'bob' }).callsFake((input: { Marker?: string }) => {
      markers.push(input.Marker);
      return markers.length === 1
        ? { AccessKeyMetadata: [BOB_NEW], IsTruncated: true, Marker: 'k1' }
        : { AccessKeyMetadata: [BOB_OLD], IsTruncated: false };
    });
    const { resources } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(markers).toEqual([undefined, 'k1']);
    expect(of(resources, 'iam.accessKey').filter((k) => k.props.user === 'bob').map((k) => k.id)).toEqual([BOB_NEW.AccessKeyId, BOB_OLD.AccessKeyId]);
    expect(one(resources, 'iam.user', 'bob').props.accessKeyCount).toBe(2);
  });
});

describe('failures become gaps', () => {
  const USER_GAPS = ['iam.accessKey', 'iam.loginProfile', 'iam.user'];

  it.each([
    ['GenerateCredentialReport', GenerateCredentialReportCommand],
    ['GetCredentialReport', GetCredentialReportCommand],
  ] as const)('AccessDenied on %s: no users, keys or login profiles, the rest collected', async (operation, command) => {
    mockAccount();
    iam.on(command).rejects(denied(operation));
    const { resources, gaps, notes } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gapSummary(gaps)).toEqual(USER_GAPS.map((t) => `${t} iam:${operation} AccessDenied`));
    expect(gaps[0]!.region).toBe('global');
    expect(gaps[0]!.message).toContain(`iam:${operation}`);
    expect(of(resources, 'iam.user')).toEqual([]);
    expect(of(resources, 'iam.accessKey')).toEqual([]);
    expect(iam.commandCalls(ListAccessKeysCommand)).toHaveLength(0);
    expect(of(resources, 'iam.role')).toHaveLength(2);
    expect(of(resources, 'iam.groupMembership')).toHaveLength(2);
    expect(of(resources, 'iam.inlinePolicy')).toHaveLength(2);
    // without the report the root comes from GetAccountSummary
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(1);
    expect(one(resources, 'account.root', 'root').props).toEqual({
      mfaEnabled: true,
      accessKeysPresent: true,
      signingCertificatesPresent: false,
      passwordLastUsed: null,
      accessKey1Active: null,
      accessKey2Active: null,
    });
    expect(notes.join(' ')).toMatch(/credential report/);
  });

  it('a failed report and a failed GetAccountSummary: an account.root gap besides the user gaps', async () => {
    mockAccount();
    iam.on(GetCredentialReportCommand).rejects(denied('GetCredentialReport'));
    iam.on(GetAccountSummaryCommand).rejects(denied('GetAccountSummary'));
    const { resources, gaps } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gapSummary(gaps)).toEqual(['account.root iam:GetAccountSummary AccessDenied', ...USER_GAPS.map((t) => `${t} iam:GetCredentialReport AccessDenied`)]);
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(1);
    expect(of(resources, 'account.root')).toEqual([]);
    expect(of(resources, 'iam.role')).toHaveLength(2);
  });

  it('AccessDenied on GetAccountAuthorizationDetails: gaps for every entity type, root still collected', async () => {
    mockAccount();
    iam.on(GetAccountAuthorizationDetailsCommand).rejects(denied('GetAccountAuthorizationDetails'));
    const { resources, gaps } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gapSummary(gaps)).toEqual(
      ['iam.accessKey', 'iam.group', 'iam.groupMembership', 'iam.inlinePolicy', 'iam.loginProfile', 'iam.policy', 'iam.policyAttachment', 'iam.role', 'iam.user'].map(
        (t) => `${t} iam:GetAccountAuthorizationDetails AccessDenied`,
      ),
    );
    expect(resources.map((r) => r.type)).toEqual(['account.root']);
    expect(one(resources, 'account.root', 'root').props.accessKey1Active).toBe(true);
    expect(iam.commandCalls(ListAccessKeysCommand)).toHaveLength(0);
  });

  it('AccessDenied on ListAccessKeys for one user: one accessKey gap, counts from the report, the rest collected', async () => {
    mockAccount();
    iam.on(ListAccessKeysCommand, { UserName: 'bob' }).rejects(denied('ListAccessKeys'));
    const { resources, gaps } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gapSummary(gaps)).toEqual(['iam.accessKey iam:ListAccessKeys AccessDenied']);
    expect(gaps[0]!.message).toMatch(/bob/);
    expect(of(resources, 'iam.accessKey').map((k) => k.id)).toEqual([CAROL_KEY.AccessKeyId]);
    expect(one(resources, 'iam.user', 'bob').props).toMatchObject({ accessKeyCount: 2, activeAccessKeyCount: 2 });
    expect(of(resources, 'iam.user')).toHaveLength(4);
  });

  it('AccessDenied on GetAccountSummary (report without a root row): an account.root gap and no root resource', async () => {
    mockAccount({ rows: withoutRoot(REPORT_ROWS) });
    iam.on(GetAccountSummaryCommand).rejects(denied('GetAccountSummary'));
    const { resources, gaps } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gaps).toEqual([
      {
        type: 'account.root',
        region: 'global',
        operation: 'iam:GetAccountSummary',
        code: 'AccessDenied',
        message: `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: iam:GetAccountSummary`,
      },
    ]);
    expect(of(resources, 'account.root')).toEqual([]);
    expect(of(resources, 'iam.user')).toHaveLength(4);
  });

  it('a denied GetAccountSummary does not matter when the report has a root row: it is never called', async () => {
    mockAccount();
    iam.on(GetAccountSummaryCommand).rejects(denied('GetAccountSummary'));
    const { resources, gaps } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gaps).toEqual([]);
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(0);
    expect(one(resources, 'account.root', 'root').props).toMatchObject({ mfaEnabled: true, accessKeysPresent: true, accessKey1Active: true });
  });

  it('AccessDenied on GetLoginProfile (stale report): a loginProfile gap', async () => {
    mockAccount({ fresh: false });
    iam.on(GetLoginProfileCommand).rejects(denied('GetLoginProfile'));
    const { resources, gaps } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gapSummary(gaps)).toEqual(['iam.loginProfile iam:GetLoginProfile AccessDenied']);
    expect(gaps[0]!.message).toMatch(/failed for 3 \(bob, carol, dave\)/);
    expect(of(resources, 'iam.loginProfile').map((r) => r.id)).toEqual(['alice']);
  });

  it('redacts secrets from gap messages', async () => {
    mockAccount({ rows: withoutRoot(REPORT_ROWS) });
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    iam.on(GetAccountSummaryCommand).rejects(new IAMServiceException({ name: 'InternalFailure', $fault: 'server', $metadata: {}, message: `signing with ${secret} failed` }));
    const { gaps } = await collectIam(client(), { accountId: ACCOUNT, now: NOW });
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.code).toBe('InternalFailure');
    expect(gaps[0]!.message).not.toContain(secret);
    expect(gaps[0]!.message).toContain('[redacted]');
  });
});
