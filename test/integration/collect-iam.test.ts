import {
  AddUserToGroupCommand,
  AddRoleToInstanceProfileCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  UpdateLoginProfileCommand,
  UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectIam } from '../../src/collect/iam.js';
import type { Resource } from '../../src/model/resource.js';
import { ctRecord } from '../helpers/cloudtrail-records.js';
import { resetEmulator } from '../helpers/emulator.js';
import { CountingClients } from '../helpers/requests.js';

const ACCOUNT = '123456789012';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const doc = (statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statement });
const ALL = doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
const S3 = doc([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::deploy/*' }]);
const EXTERNAL_TRUST = doc([
  { Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x' } } },
  { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::222222222222:role/ci'] }, Action: 'sts:AssumeRole' },
]);
const EC2_TRUST = doc([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);

interface Seeded {
  created: Record<string, string>;
  ids: Record<string, string>;
  keys: Record<string, { id: string; createDate: string; user: string }>;
  policyArn: string;
}

/** A small account: alice (console + MFA, no keys), bob (1 key), carol (2 keys, one inactive), dave (nothing, tagged). */
async function seed(iam: IAMClient): Promise<Seeded> {
  const created: Record<string, string> = {};
  const ids: Record<string, string> = {};
  for (const name of ['alice', 'bob', 'carol', 'dave']) {
    const tags = name === 'dave' ? [{ Key: 'team', Value: 'ops' }] : undefined;
    const u = await iam.send(new CreateUserCommand({ UserName: name, Tags: tags }));
    created[name] = u.User!.CreateDate!.toISOString();
    ids[name] = u.User!.UserId!;
  }
  await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Correct-Horse-9' }));
  const mfa = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice-mfa' }));
  await iam.send(
    new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: mfa.VirtualMFADevice!.SerialNumber, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
  );

  const keys: Seeded['keys'] = {};
  for (const [user, label] of [['bob', 'bob1'], ['carol', 'carol1'], ['carol', 'carol2']] as const) {
    const k = await iam.send(new CreateAccessKeyCommand({ UserName: user }));
    keys[label] = { id: k.AccessKey!.AccessKeyId!, createDate: k.AccessKey!.CreateDate!.toISOString(), user };
  }
  await iam.send(new UpdateAccessKeyCommand({ UserName: 'carol', AccessKeyId: keys.carol2!.id, Status: 'Inactive' }));

  const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'deployers-s3', Path: '/team/', PolicyDocument: S3 }));
  const policyArn = policy.Policy!.Arn!;
  created['deployers-s3'] = policy.Policy!.CreateDate!.toISOString();
  ids['deployers-s3'] = policy.Policy!.PolicyId!;

  for (const g of ['admins', 'deployers']) {
    const r = await iam.send(new CreateGroupCommand({ GroupName: g }));
    created[g] = r.Group!.CreateDate!.toISOString();
    ids[g] = r.Group!.GroupId!;
  }
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: ADMIN }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'deployers', PolicyArn: policyArn }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'deployers', PolicyName: 'deploy-extra', PolicyDocument: S3 }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'alice' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'deployers', UserName: 'bob' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'deployers', UserName: 'carol' }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: READONLY }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'dave', PolicyName: 'break-glass', PolicyDocument: ALL }));

  const ext = await iam.send(
    new CreateRoleCommand({ RoleName: 'ext-audit', AssumeRolePolicyDocument: EXTERNAL_TRUST, Tags: [{ Key: 'owner', Value: 'sec' }] }),
  );
  created['ext-audit'] = ext.Role!.CreateDate!.toISOString();
  ids['ext-audit'] = ext.Role!.RoleId!;
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'ext-audit', PolicyArn: READONLY }));
  const app = await iam.send(new CreateRoleCommand({ RoleName: 'ec2-app', Path: '/app/', AssumeRolePolicyDocument: EC2_TRUST }));
  created['ec2-app'] = app.Role!.CreateDate!.toISOString();
  await iam.send(new PutRolePolicyCommand({ RoleName: 'ec2-app', PolicyName: 'app-s3', PolicyDocument: S3 }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'ec2-app-profile' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ec2-app-profile', RoleName: 'ec2-app' }));
  return { created, ids, keys, policyArn };
}

/**
 * AWS reuses a report for up to 4 hours; the emulator builds one from the
 * current state on every GetCredentialReport, dated 2015. This serves `content`
 * (a report read earlier) dated `generated` instead, as AWS would.
 */
function reuseReport(iam: IAMClient, content: Uint8Array, generated: Date): void {
  iam.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const output = out.output as { GeneratedTime?: Date; Content?: Uint8Array };
      if (output.GeneratedTime) output.GeneratedTime = generated;
      if (output.Content) output.Content = content;
      return out;
    },
    { step: 'initialize', name: 'testReusedReport' },
  );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The emulator has no LookupEvents: CloudTrail's event history answers with
 * `records` (each in the series of its event name) through aws-sdk-client-mock.
 */
function mockedEventHistory(records: Record<string, unknown>[]) {
  const trail = mockClient(CloudTrailClient);
  const made: CloudTrailClient[] = [];
  trail.on(LookupEventsCommand).callsFake((input: LookupEventsCommandInput) => ({
    Events: records
      .filter((r) => r.eventName === input.LookupAttributes?.[0]?.AttributeValue)
      .map((r) => ({ EventId: String(r.eventID), EventName: String(r.eventName), EventSource: 'iam.amazonaws.com', EventTime: new Date(String(r.eventTime)), CloudTrailEvent: JSON.stringify(r) })),
  }));
  return {
    trail,
    events: { partition: 'aws', requestsPerSecond: 1000, cloudtrail: (region: string) => (made.push(new CloudTrailClient({ region })), made.at(-1)!) },
    restore: () => {
      trail.restore();
      for (const c of made) c.destroy();
    },
  };
}

function byType(resources: Resource[], type: Resource['type']): Resource[] {
  return resources.filter((r) => r.type === type);
}

function one(resources: Resource[], type: Resource['type'], id: string): Resource {
  const found = resources.filter((r) => r.type === type && r.id === id);
  expect(found, `${type} ${id}`).toHaveLength(1);
  return found[0]!;
}

describe('collectIam against the emulator', () => {
  // Requests, not attempts: a retry of a slow answer on a loaded machine is the network's, not the collector's.
  let clients: CountingClients;
  let seeder: IAMClient;

  beforeEach(async () => {
    await resetEmulator();
    clients = new CountingClients();
    seeder = new IAMClient({});
  });

  afterEach(() => {
    clients.destroy();
    seeder.destroy();
  });

  it('collects every IAM resource with the minimum number of calls on a fresh report', async () => {
    const s = await seed(seeder);
    const { resources, gaps, notes } = await collectIam(clients.iam(), { accountId: ACCOUNT, now: new Date() });

    expect(gaps).toEqual([]);
    expect(notes).toEqual([]);
    // moto's report has no <root_account> row, so the root needs GetAccountSummary (on AWS the row answers it).
    // A key the report's slots cannot be matched to by its creation second is asked for directly
    // (GetAccessKeyLastUsed): on a busy machine moto sometimes dates them apart, so that call may come on top, never more than once per key.
    const { 'iam:GetAccessKeyLastUsed': lastUsed = 0, ...calls } = clients.requests.snapshot();
    expect(calls).toEqual({
      'iam:GenerateCredentialReport': 2,
      'iam:GetAccountAuthorizationDetails': 1,
      'iam:GetAccountSummary': 1,
      'iam:GetCredentialReport': 1,
      'iam:ListAccessKeys': 2,
    });
    expect(lastUsed).toBeLessThanOrEqual(resources.filter((r) => r.type === 'iam.accessKey').length);

    for (const r of resources) {
      expect(r.region).toBe('global');
      expect(r.accountId).toBe(ACCOUNT);
    }
    expect(JSON.parse(JSON.stringify(resources))).toEqual(resources);

    expect(one(resources, 'account.root', 'root')).toEqual({
      type: 'account.root',
      id: 'root',
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      region: 'global',
      accountId: ACCOUNT,
      tags: {},
      props: {
        mfaEnabled: false,
        accessKeysPresent: false,
        signingCertificatesPresent: false,
        passwordLastUsed: null,
        accessKey1Active: null,
        accessKey2Active: null,
      },
    });

    const alice = one(resources, 'iam.user', 'alice');
    expect(alice.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);
    expect(alice.tags).toEqual({});
    expect(alice.props).toEqual({
      name: 'alice',
      userId: s.ids.alice,
      path: '/',
      createDate: s.created.alice,
      passwordEnabled: true,
      passwordLastUsed: null,
      mfaActive: true,
      accessKeyCount: 0,
      activeAccessKeyCount: 0,
      groups: ['admins'],
      attachedPolicies: [],
      inlinePolicies: [],
      permissionsBoundary: null,
    });
    expect(one(resources, 'iam.user', 'carol').props).toMatchObject({
      passwordEnabled: false,
      mfaActive: false,
      accessKeyCount: 2,
      activeAccessKeyCount: 1,
      groups: ['deployers'],
      attachedPolicies: [READONLY],
    });
    expect(one(resources, 'iam.user', 'bob').props).toMatchObject({ accessKeyCount: 1, activeAccessKeyCount: 1 });
    const dave = one(resources, 'iam.user', 'dave');
    expect(dave.tags).toEqual({ team: 'ops' });
    expect(dave.props).toMatchObject({ accessKeyCount: 0, inlinePolicies: ['break-glass'], passwordEnabled: false });

    expect(byType(resources, 'iam.loginProfile')).toEqual([
      {
        type: 'iam.loginProfile',
        id: 'alice',
        region: 'global',
        accountId: ACCOUNT,
        tags: {},
        props: { user: 'alice', passwordLastUsed: null, passwordLastChanged: new Date(s.created.alice!.slice(0, 19) + 'Z').toISOString() },
      },
    ]);

    const keys = byType(resources, 'iam.accessKey');
    expect(keys.map((k) => k.id).sort()).toEqual([s.keys.bob1!.id, s.keys.carol1!.id, s.keys.carol2!.id].sort());
    expect(one(resources, 'iam.accessKey', s.keys.carol2!.id)).toEqual({
      type: 'iam.accessKey',
      id: s.keys.carol2!.id,
      region: 'global',
      accountId: ACCOUNT,
      tags: {},
      props: {
        user: 'carol',
        status: 'Inactive',
        createDate: s.keys.carol2!.createDate,
        lastUsedDate: null,
        lastUsedService: null,
        lastUsedRegion: null,
        lastActivity: s.keys.carol2!.createDate,
      },
    });
    expect(one(resources, 'iam.accessKey', s.keys.bob1!.id).props).toMatchObject({ user: 'bob', status: 'Active' });
    expect(JSON.stringify(resources)).not.toMatch(/SecretAccessKey/);

    expect(byType(resources, 'iam.groupMembership').map((r) => [r.id, r.props])).toEqual([
      ['alice/admins', { user: 'alice', group: 'admins' }],
      ['bob/deployers', { user: 'bob', group: 'deployers' }],
      ['carol/deployers', { user: 'carol', group: 'deployers' }],
    ]);

    expect(one(resources, 'iam.group', 'deployers')).toEqual({
      type: 'iam.group',
      id: 'deployers',
      arn: `arn:aws:iam::${ACCOUNT}:group/deployers`,
      region: 'global',
      accountId: ACCOUNT,
      tags: {},
      props: {
        name: 'deployers',
        groupId: s.ids.deployers,
        path: '/',
        createDate: s.created.deployers,
        attachedPolicies: [s.policyArn],
        inlinePolicies: ['deploy-extra'],
      },
    });

    const policies = byType(resources, 'iam.policy');
    expect(policies).toHaveLength(1);
    expect(policies[0]).toEqual({
      type: 'iam.policy',
      id: 'deployers-s3',
      arn: `arn:aws:iam::${ACCOUNT}:policy/team/deployers-s3`,
      region: 'global',
      accountId: ACCOUNT,
      tags: {},
      props: {
        name: 'deployers-s3',
        policyId: policies[0]!.props.policyId, // checked below: moto omits PolicyId from GetAccountAuthorizationDetails
        path: '/team/',
        createDate: s.created['deployers-s3'],
        updateDate: expect.any(String),
        defaultVersionId: 'v1',
        attachmentCount: 1,
        document: JSON.parse(S3),
        allowsAll: false,
        denyOnly: false,
      },
    });

    expect([s.ids['deployers-s3'], '']).toContain(policies[0]!.props.policyId);

    expect(byType(resources, 'iam.policyAttachment').map((r) => r.id)).toEqual([
      `group/admins/${ADMIN}`,
      `group/deployers/${s.policyArn}`,
      `role/ext-audit/${READONLY}`,
      `user/carol/${READONLY}`,
    ]);
    expect(one(resources, 'iam.policyAttachment', `group/deployers/${s.policyArn}`).props).toEqual({
      principalType: 'group',
      principalName: 'deployers',
      policyArn: s.policyArn,
      policyName: 'deployers-s3',
      awsManaged: false,
    });
    expect(one(resources, 'iam.policyAttachment', `group/admins/${ADMIN}`).props).toMatchObject({ awsManaged: true, policyName: 'AdministratorAccess' });

    expect(byType(resources, 'iam.inlinePolicy').map((r) => [r.id, r.props.allowsAll])).toEqual([
      ['group/deployers/deploy-extra', false],
      ['role/ec2-app/app-s3', false],
      ['user/dave/break-glass', true],
    ]);
    expect(one(resources, 'iam.inlinePolicy', 'user/dave/break-glass').props).toEqual({
      principalType: 'user',
      principalName: 'dave',
      policyName: 'break-glass',
      document: JSON.parse(ALL),
      allowsAll: true,
      denyOnly: false,
    });

    const ext = one(resources, 'iam.role', 'ext-audit');
    expect(ext.arn).toBe(`arn:aws:iam::${ACCOUNT}:role/ext-audit`);
    expect(ext.tags).toEqual({ owner: 'sec' });
    expect(ext.props).toEqual({
      name: 'ext-audit',
      roleId: s.ids['ext-audit'],
      path: '/',
      createDate: s.created['ext-audit'],
      trustPolicy: JSON.parse(EXTERNAL_TRUST),
      trustedPrincipals: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:role/ci'],
      attachedPolicies: [READONLY],
      inlinePolicies: [],
      permissionsBoundary: null,
      lastUsedDate: null,
      serviceLinked: false,
      instanceProfiles: [],
    });
    expect(one(resources, 'iam.role', 'ec2-app').props).toMatchObject({
      path: '/app/',
      trustedPrincipals: ['ec2.amazonaws.com'],
      inlinePolicies: ['app-s3'],
      instanceProfiles: ['ec2-app-profile'],
      serviceLinked: false,
    });
  });

  it('re-checks keys and passwords per user when the credential report predates the run', async () => {
    const s = await seed(seeder);
    await seeder.send(new GenerateCredentialReportCommand({})); // a report already exists: the next answer is COMPLETE
    const { resources, gaps, notes } = await collectIam(clients.iam(), { accountId: ACCOUNT, now: new Date() });

    expect(gaps).toEqual([]);
    // As above: a key moto dates apart from its report slot is asked for directly, at most once per key.
    const { 'iam:GetAccessKeyLastUsed': lastUsed = 0, ...calls } = clients.requests.snapshot();
    expect(lastUsed).toBeLessThanOrEqual(byType(resources, 'iam.accessKey').length);
    expect(calls).toEqual({
      'iam:GenerateCredentialReport': 1,
      'iam:GetAccountAuthorizationDetails': 1,
      'iam:GetAccountSummary': 1, // no root row in moto's report
      'iam:GetCredentialReport': 1,
      'iam:GetLoginProfile': 3, // bob, carol, dave: the report says no password
      'iam:ListAccessKeys': 4, // every user
    });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('2015-02-02T20:02:02.000Z');
    expect(notes[0]).toContain('ListAccessKeys');
    expect(byType(resources, 'iam.accessKey').map((k) => k.id).sort()).toEqual(Object.values(s.keys).map((k) => k.id).sort());
    expect(byType(resources, 'iam.loginProfile').map((r) => r.id)).toEqual(['alice']);
    expect(one(resources, 'iam.user', 'dave').props).toMatchObject({ passwordEnabled: false, accessKeyCount: 0 });
  });
  it("renames since a reused report: the user now holding the attacker's key is re-checked, its row being another user's", async () => {
    // alice and bob, neither with a key, each created in its own second (the report dates creation to the second)
    const alice = await seeder.send(new CreateUserCommand({ UserName: 'alice' }));
    await sleep(1000 - (Date.now() % 1000) + 50);
    const bob = await seeder.send(new CreateUserCommand({ UserName: 'bob' }));
    expect(Math.floor(bob.User!.CreateDate!.getTime() / 1000)).not.toBe(Math.floor(alice.User!.CreateDate!.getTime() / 1000));
    // six more users without key or password: checking every user costs more than the event history's series
    for (let i = 0; i < 6; i++) await seeder.send(new CreateUserCommand({ UserName: `extra-${i}` }));
    await seeder.send(new GenerateCredentialReportCommand({}));
    const before = (await seeder.send(new GetCredentialReportCommand({}))).Content!;

    // the attacker: a key on alice, then alice -> tmp, bob -> alice, tmp -> bob
    const key = (await seeder.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    await seeder.send(new UpdateUserCommand({ UserName: 'alice', NewUserName: 'tmp' }));
    await seeder.send(new UpdateUserCommand({ UserName: 'bob', NewUserName: 'alice' }));
    await seeder.send(new UpdateUserCommand({ UserName: 'tmp', NewUserName: 'bob' }));

    // The event history has the key, not (yet) the renames.
    const { trail, events, restore } = mockedEventHistory([
      ctRecord({ time: new Date(Date.now() - 60_000).toISOString(), source: 'iam.amazonaws.com', name: 'CreateAccessKey', request: { userName: 'alice' }, response: { accessKey: { userName: 'alice', accessKeyId: key.AccessKeyId, status: 'Active' } } }),
    ]);
    try {
      const iam = clients.iam();
      reuseReport(iam, before, new Date(Date.now() - 30 * 60_000));
      const listed: string[] = [];
      iam.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'ListAccessKeysCommand') listed.push(String((args.input as { UserName?: string }).UserName));
          return next(args);
        },
        { step: 'initialize', name: 'testListedUsers' },
      );
      const { resources, gaps, notes } = await collectIam(iam, { accountId: ACCOUNT, now: new Date(), events });

      expect(gaps).toEqual([]);
      expect(trail.commandCalls(LookupEventsCommand).length).toBeGreaterThanOrEqual(1);
      // alice: named by the event; bob: the report's "bob" row is the other user's (another creation time)
      expect(listed.sort(), new TextDecoder().decode(before)).toEqual(['alice', 'bob']);
      expect(one(resources, 'iam.accessKey', key.AccessKeyId!).props).toMatchObject({ user: 'bob', status: 'Active' });
      expect(one(resources, 'iam.user', 'bob').props).toMatchObject({ userId: alice.User!.UserId, accessKeyCount: 1, activeAccessKeyCount: 1 });
      expect(one(resources, 'iam.user', 'alice').props).toMatchObject({ userId: bob.User!.UserId, accessKeyCount: 0 });
      expect(notes.find((n) => n.includes('may not be the user the credential report'))).toContain(': alice, bob.');
    } finally {
      restore();
    }
  });

  it("a password reset since a reused report (rollcall's own) is dated from its UpdateLoginProfile event, not the profile's CreateDate", async () => {
    await seeder.send(new CreateUserCommand({ UserName: 'alice' }));
    await seeder.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Correct-Horse-9', PasswordResetRequired: false }));
    // six more users without key or password: checking every user costs more than the event history's series
    for (let i = 0; i < 6; i++) await seeder.send(new CreateUserCommand({ UserName: `extra-${i}` }));
    await seeder.send(new GenerateCredentialReportCommand({}));
    const before = (await seeder.send(new GetCredentialReportCommand({}))).Content!;
    const setAt = (await seeder.send(new GetLoginProfileCommand({ UserName: 'alice' }))).LoginProfile!.CreateDate!;

    // after the report: the reset resetLoginProfilePassword makes (a new password, to be changed at sign-in)
    await sleep(1000 - (Date.now() % 1000) + 50); // in a later second than the password's first setting
    const resetAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    await seeder.send(new UpdateLoginProfileCommand({ UserName: 'alice', Password: 'Another-Horse-7-battery', PasswordResetRequired: true }));
    expect((await seeder.send(new GetLoginProfileCommand({ UserName: 'alice' }))).LoginProfile!.CreateDate).toEqual(setAt); // the reset does not move it

    const { events, restore } = mockedEventHistory([
      ctRecord({ time: resetAt.toISOString(), source: 'iam.amazonaws.com', name: 'UpdateLoginProfile', request: { userName: 'alice', passwordResetRequired: true } }),
    ]);
    try {
      const iam = clients.iam();
      reuseReport(iam, before, new Date(Date.now() - 30 * 60_000));
      const { resources, gaps } = await collectIam(iam, { accountId: ACCOUNT, now: new Date(), events });
      expect(gaps).toEqual([]);
      expect(clients.requests.snapshot()['iam:GetLoginProfile']).toBe(1);
      expect(one(resources, 'iam.loginProfile', 'alice').props.passwordLastChanged).toBe(resetAt.toISOString());
      expect(Date.parse(String(one(resources, 'iam.loginProfile', 'alice').props.passwordLastChanged))).toBeGreaterThan(setAt.getTime());
    } finally {
      restore();
    }
  });

  describe('with CloudTrail given, a reused report the event history cannot vouch for', () => {
    /** Six more users with neither key nor password: checking everyone then costs more than the event history's 11 series. */
    async function seedMore(): Promise<void> {
      for (let i = 0; i < 6; i++) await seeder.send(new CreateUserCommand({ UserName: `extra-${i}` }));
    }
    const events = () => ({ cloudtrail: (region: string) => clients.cloudtrail(region), partition: 'aws' });
    const everyUser = ['alice', 'bob', 'carol', 'dave', ...Array.from({ length: 6 }, (_, i) => `extra-${i}`)];

    it("the emulator's report is dated 2015, beyond the event history's 90 days: every user, no lookup, and the note says why", async () => {
      const s = await seed(seeder);
      await seedMore();
      await seeder.send(new GenerateCredentialReportCommand({}));
      const { resources, gaps, notes } = await collectIam(clients.iam(), { accountId: ACCOUNT, now: new Date(), events: events() });
      expect(gaps).toEqual([]);
      expect(clients.requests.snapshot()['iam:ListAccessKeys']).toBe(everyUser.length);
      expect(clients.requests.snapshot()['cloudtrail:LookupEvents']).toBeUndefined();
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('Access keys of every user were re-checked');
      expect(notes[0]).toContain("older than the 90 days CloudTrail's event history keeps");
      expect(byType(resources, 'iam.accessKey').map((k) => k.id).sort()).toEqual(Object.values(s.keys).map((k) => k.id).sort());
    });

    it('a recent report, and LookupEvents failing (the emulator does not implement it): every user is still checked, and the note names the failure', async () => {
      const s = await seed(seeder);
      await seedMore();
      await seeder.send(new GenerateCredentialReportCommand({}));
      // The emulator dates every report 2015: as AWS would, date it within its 4 hours of reuse.
      const iam = clients.iam();
      const recent = new Date(Date.now() - 30 * 60_000);
      iam.middlewareStack.add(
        (next) => async (args) => {
          const out = await next(args);
          const output = out.output as { GeneratedTime?: Date };
          if (output.GeneratedTime) output.GeneratedTime = recent;
          return out;
        },
        { step: 'initialize', name: 'testRecentReport' },
      );
      const { resources, gaps, notes } = await collectIam(iam, { accountId: ACCOUNT, now: new Date(), events: events() });
      expect(gaps).toEqual([]);
      expect(clients.requests.snapshot()['cloudtrail:LookupEvents']).toBeGreaterThanOrEqual(1);
      expect(clients.requests.snapshot()['iam:ListAccessKeys']).toBe(everyUser.length);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain(recent.toISOString());
      expect(notes[0]).toContain('Access keys of every user were re-checked');
      expect(notes[0]).toMatch(/CloudTrail's event history could not say which users changed instead: cloudtrail:LookupEvents failed in us-east-1 \(/);
      expect(byType(resources, 'iam.accessKey').map((k) => k.id).sort()).toEqual(Object.values(s.keys).map((k) => k.id).sort());
      expect(byType(resources, 'iam.user')).toHaveLength(everyUser.length);
    });
  });
});
