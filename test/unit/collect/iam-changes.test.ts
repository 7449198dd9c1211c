/**
 * A reused credential report re-checks only the users CloudTrail's event
 * history names (the emulator does not implement LookupEvents: mocks here,
 * the fallback also against the emulator in test/integration/collect-iam).
 */
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANGE_EVENTS, EVENT_DELAY_MS, MAX_LOOKUP_CALLS, REPORT_LEAD_MS, subjectOf, type ChangeSource } from '../../../src/collect/iam-changes.js';
import { collectIam } from '../../../src/collect/iam.js';
import type { Resource } from '../../../src/model/resource.js';
import { ctRecord } from '../../helpers/cloudtrail-records.js';
import { awsError } from '../../helpers/regional.js';

const ACCOUNT = '123456789012';
const NOW = new Date('2026-11-22T12:00:00Z');
const GENERATED = new Date('2026-11-22T11:00:00Z');
const KEY_DATE = '2025-01-01T00:00:00+00:00';

const COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation', 'mfa_active',
  'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service',
  'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
] as const;

/** 15 users: u00-u04 have a key in the report, u01 a password; the rest nothing. */
const NAMES = Array.from({ length: 15 }, (_, i) => `u${String(i).padStart(2, '0')}`);
const HAS_KEY = new Set(['u00', 'u01', 'u02', 'u03', 'u04']);
const keyOf = (name: string) => `AKIA${name.toUpperCase()}0000000000000`.slice(0, 20);

/** `rows`: columns to change in a user's row (the report as it was, before a rename). */
function reportCsv(withRoot = false, rows: Record<string, Record<string, string>> = {}): Uint8Array {
  const lines = [...(withRoot ? ['<root_account>'] : []), ...NAMES].map((name) => {
    const r: Record<string, string> = Object.fromEntries(COLUMNS.map((c) => [c, 'N/A']));
    Object.assign(r, { user: name, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, user_creation_time: '2024-01-01T00:00:00+00:00', password_enabled: 'false', mfa_active: 'false', access_key_1_active: 'false', access_key_2_active: 'false', cert_1_active: 'false', cert_2_active: 'false' });
    if (HAS_KEY.has(name)) Object.assign(r, { access_key_1_active: 'true', access_key_1_last_rotated: KEY_DATE });
    if (name === 'u01') Object.assign(r, { password_enabled: 'true', password_last_changed: '2025-02-02T00:00:00+00:00' });
    // the root as the report saw it: MFA on, no access key
    if (name === '<root_account>') Object.assign(r, { arn: `arn:aws:iam::${ACCOUNT}:root`, password_enabled: 'not_supported', password_last_used: '2026-11-20T08:00:00+00:00', mfa_active: 'true' });
    Object.assign(r, rows[name] ?? {});
    return COLUMNS.map((c) => r[c]).join(',');
  });
  return new TextEncoder().encode([COLUMNS.join(','), ...lines].join('\n') + '\n');
}

const iam = mockClient(IAMClient);
const trail = mockClient(CloudTrailClient);
let clients: CloudTrailClient[] = [];
let regions: string[] = [];

function source(partition = 'aws'): ChangeSource {
  return {
    partition,
    requestsPerSecond: 1000, // LookupEvents' 2 per second is the timeline's test (fake timers); here it would only slow the test
    cloudtrail: (region) => {
      regions.push(region);
      const c = new CloudTrailClient({ region });
      clients.push(c);
      return c;
    },
  };
}

/** `rows`: the report's rows changed (reportCsv); `users`: GetAccountAuthorizationDetails' users changed, by name. */
function mockIam(o: { fresh?: boolean; generated?: Date | null; withRoot?: boolean; rows?: Record<string, Record<string, string>>; users?: Record<string, { Arn?: string; Path?: string; CreateDate?: Date }> } = {}): void {
  if (o.fresh) iam.on(GenerateCredentialReportCommand).resolvesOnce({ State: 'STARTED' }).resolves({ State: 'COMPLETE' });
  else iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  const generated = o.generated === undefined ? GENERATED : o.generated;
  iam.on(GetCredentialReportCommand).resolves({ Content: reportCsv(o.withRoot, o.rows), ReportFormat: 'text/csv', ...(generated ? { GeneratedTime: generated } : {}) });
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({
    IsTruncated: false,
    UserDetailList: NAMES.map((name) => ({ UserName: name, UserId: `AIDA${name.toUpperCase()}`, Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, Path: '/', CreateDate: new Date('2024-01-01T00:00:00Z'), ...o.users?.[name] })),
    GroupDetailList: [],
    RoleDetailList: [],
    Policies: [],
  });
  iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 1 } });
  iam.on(ListAccessKeysCommand).callsFake((input: { UserName: string }) => ({
    AccessKeyMetadata: HAS_KEY.has(input.UserName) ? [{ UserName: input.UserName, AccessKeyId: keyOf(input.UserName), Status: 'Active', CreateDate: new Date(KEY_DATE) }] : [],
    IsTruncated: false,
  }));
  iam.on(GetLoginProfileCommand).rejects(new NoSuchEntityException({ $metadata: {}, message: 'Login Profile cannot be found.' }));
  iam.on(GetLoginProfileCommand, { UserName: 'u01' }).resolves({ LoginProfile: { UserName: 'u01', CreateDate: new Date('2025-02-02T00:00:00Z'), PasswordResetRequired: false } });
  iam.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { LastUsedDate: new Date('2026-11-22T11:50:00Z'), ServiceName: 'ec2', Region: 'ap-south-1' } });
}

type Answer = { Events: object[]; NextToken?: string };
/** LookupEvents answers by event name (and NextToken); names not given answer no event. */
function mockTrail(byName: Record<string, Answer | Answer[]>): void {
  trail.on(LookupEventsCommand).callsFake((input: LookupEventsCommandInput) => {
    const name = input.LookupAttributes?.[0]?.AttributeValue ?? '';
    const answer = byName[name];
    if (answer === undefined) return { Events: [] };
    if (!Array.isArray(answer)) return answer;
    return answer[input.NextToken ? Number(input.NextToken) : 0];
  });
}

/** One LookupEvents event around a CloudTrail record. */
function event(name: string, spec: { time?: string; request?: Record<string, unknown>; response?: Record<string, unknown>; identity?: Record<string, unknown>; error?: string; source?: string; user?: string } = {}) {
  const time = spec.time ?? '2026-11-22T11:30:00Z';
  const src = spec.source ?? 'iam.amazonaws.com';
  const rec = ctRecord({ time, source: src, name, ...(spec.user ? { user: spec.user } : {}), ...(spec.request ? { request: spec.request } : {}), ...(spec.response ? { response: spec.response } : {}), ...(spec.identity ? { identity: spec.identity } : {}), ...(spec.error ? { error: spec.error } : {}) });
  return { EventId: rec.eventID as string, EventName: name, EventSource: src, EventTime: new Date(time), CloudTrailEvent: JSON.stringify(rec) };
}

const usersCalled = (command: typeof ListAccessKeysCommand | typeof GetLoginProfileCommand) =>
  iam
    .calls()
    .map((c) => c.args[0] as object)
    .filter((cmd) => cmd instanceof command)
    .map((cmd) => (cmd as { input: { UserName?: string } }).input.UserName)
    .sort();
const lookups = () => trail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);
const of = (resources: Resource[], type: Resource['type']) => resources.filter((r) => r.type === type);
const run = (s: ChangeSource | null = source()) => collectIam(new IAMClient({ region: 'us-east-1' }), { accountId: ACCOUNT, now: NOW, ...(s ? { events: s } : {}) });

beforeEach(() => {
  iam.reset();
  trail.reset();
  regions = [];
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

describe('a reused credential report with CloudTrail readable', () => {
  it('re-checks only the users the events name, beside listing the keys the report shows', async () => {
    mockIam();
    const newKey = { UserName: 'u07', AccessKeyId: 'AKIANEWKEY0000000007', Status: 'Active' as const, CreateDate: new Date('2026-11-22T11:30:00Z') };
    iam.on(ListAccessKeysCommand, { UserName: 'u07' }).resolves({ AccessKeyMetadata: [newKey], IsTruncated: false });
    iam.on(GetLoginProfileCommand, { UserName: 'u09' }).resolves({ LoginProfile: { UserName: 'u09', CreateDate: new Date('2026-11-22T11:40:00Z'), PasswordResetRequired: false } });
    mockTrail({
      CreateAccessKey: { Events: [event('CreateAccessKey', { request: { userName: 'u07' }, response: { accessKey: { userName: 'u07', accessKeyId: newKey.AccessKeyId, status: 'Active' } } })] },
      CreateLoginProfile: { Events: [event('CreateLoginProfile', { request: { userName: 'u09', passwordResetRequired: false } })] },
      // IAM names are case-insensitive: the caller spelled u02 in capitals
      DeleteAccessKey: { Events: [event('DeleteAccessKey', { request: { userName: 'U02', accessKeyId: 'AKIAXXXXXXXXXXXXXXXX' } })] },
    });

    const { resources, gaps, notes } = await run();
    expect(gaps).toEqual([]);
    expect(regions).toEqual(['us-east-1']);
    // one EventName series per change event, one attribute each, 50 a page, from before the report to now
    const calls = lookups();
    expect(calls.map((c) => c.LookupAttributes![0]!.AttributeValue).sort()).toEqual([...CHANGE_EVENTS].sort());
    for (const c of calls) {
      expect(c.LookupAttributes).toEqual([{ AttributeKey: 'EventName', AttributeValue: expect.any(String) }]);
      expect(c.MaxResults).toBe(50);
      expect(c.StartTime).toEqual(new Date(GENERATED.getTime() - REPORT_LEAD_MS));
      expect(c.EndTime).toEqual(NOW);
    }
    // keys: the report's users with keys (the floor) and the named users; passwords: only the named users
    expect(usersCalled(ListAccessKeysCommand)).toEqual(['u00', 'u01', 'u02', 'u03', 'u04', 'u07', 'u09']);
    expect(usersCalled(GetLoginProfileCommand)).toEqual(['u02', 'u07', 'u09']);
    expect(of(resources, 'iam.accessKey').find((k) => k.id === newKey.AccessKeyId)?.props).toMatchObject({ user: 'u07', lastUsedService: 'ec2' });
    expect(of(resources, 'iam.loginProfile').map((r) => r.id)).toEqual(['u01', 'u09']);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('3 user(s) were re-checked with ListAccessKeys and GetLoginProfile (u02, u07, u09)');
    expect(notes[0]).toContain(`${CHANGE_EVENTS.length} LookupEvents calls`);
  });

  it('does not re-check a user changed after the report that no event names (the margin note says what may be missing)', async () => {
    mockIam();
    // u08 got a key after the report, but the event history does not (yet) show it
    iam.on(ListAccessKeysCommand, { UserName: 'u08' }).resolves({ AccessKeyMetadata: [{ UserName: 'u08', AccessKeyId: 'AKIAUNSEEN0000000008', Status: 'Active', CreateDate: new Date('2026-11-22T11:58:00Z') }] });
    mockTrail({});
    const { resources, notes } = await run();
    expect(usersCalled(ListAccessKeysCommand)).toEqual(['u00', 'u01', 'u02', 'u03', 'u04']);
    expect(usersCalled(GetLoginProfileCommand)).toEqual([]);
    expect(of(resources, 'iam.accessKey').map((k) => k.id)).not.toContain('AKIAUNSEEN0000000008');
    expect(notes[0]).toContain('no user needed re-checking');
    // changes after now - 15 min may be missing, and a run 15 min from now covers them
    expect(notes[0]).toContain(`after ${new Date(NOW.getTime() - EVENT_DELAY_MS).toISOString()} may be missing from this inventory`);
    expect(notes[0]).toContain(`A run after ${new Date(NOW.getTime() + EVENT_DELAY_MS).toISOString()}`);
  });

  it('re-checks a user named by an event of the last minutes, and dates the margin from the report when it is younger', async () => {
    mockIam({ generated: new Date('2026-11-22T11:55:00Z') });
    mockTrail({ UpdateAccessKey: { Events: [event('UpdateAccessKey', { time: '2026-11-22T11:58:30Z', request: { userName: 'u03', accessKeyId: keyOf('u03'), status: 'Inactive' } })] } });
    const { notes } = await run();
    expect(usersCalled(GetLoginProfileCommand)).toEqual(['u03']);
    expect(lookups()[0]!.StartTime).toEqual(new Date(Date.parse('2026-11-22T11:55:00Z') - REPORT_LEAD_MS));
    expect(notes[0]).toContain('after 2026-11-22T11:55:00.000Z may be missing');
  });

  it("takes a re-checked user's password from GetLoginProfile: set again since the report, or deleted", async () => {
    mockIam();
    iam.on(GetLoginProfileCommand, { UserName: 'u01' }).resolves({ LoginProfile: { UserName: 'u01', CreateDate: new Date('2026-11-22T11:20:00Z'), PasswordResetRequired: false } });
    mockTrail({ CreateLoginProfile: { Events: [event('CreateLoginProfile', { time: '2026-11-22T11:20:00Z', request: { userName: 'u01' } })] } });
    const first = await run();
    expect(of(first.resources, 'iam.loginProfile').find((r) => r.id === 'u01')?.props.passwordLastChanged).toBe('2026-11-22T11:20:00.000Z');

    iam.reset();
    trail.reset();
    mockIam();
    iam.on(GetLoginProfileCommand, { UserName: 'u01' }).rejects(new NoSuchEntityException({ $metadata: {}, message: 'Login Profile cannot be found.' }));
    mockTrail({ DeleteLoginProfile: { Events: [event('DeleteLoginProfile', { request: { userName: 'u01' } })] } });
    const second = await run();
    expect(of(second.resources, 'iam.loginProfile')).toEqual([]);
    expect(second.resources.find((r) => r.type === 'iam.user' && r.id === 'u01')?.props.passwordEnabled).toBe(false);
  });

  it('follows NextToken through every page of a series', async () => {
    mockIam();
    const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => event('UpdateAccessKey', { request: { userName: NAMES[(from + i) % 3 === 0 ? 5 : 6], status: 'Active' } }));
    mockTrail({
      UpdateAccessKey: [
        { Events: page(0, 50), NextToken: '1' },
        { Events: page(50, 50), NextToken: '2' },
        { Events: [event('UpdateAccessKey', { request: { userName: 'u12' } })] },
      ],
    });
    const { notes } = await run();
    const series = lookups().filter((c) => c.LookupAttributes![0]!.AttributeValue === 'UpdateAccessKey');
    expect(series.map((c) => c.NextToken)).toEqual([undefined, '1', '2']);
    expect(usersCalled(GetLoginProfileCommand)).toEqual(['u05', 'u06', 'u12']);
    expect(notes[0]).toContain('shows 101 change(s)');
  });

  it('ties a self-service change to its caller, skips failed calls and other services, and names MFA and root changes in the notes', async () => {
    mockIam({ withRoot: true });
    mockTrail({
      // u10 creates its own key: no userName asked, the answer and the caller say whose
      CreateAccessKey: { Events: [event('CreateAccessKey', { user: 'u10', response: { accessKey: { userName: 'u10', accessKeyId: 'AKIAU100000000000010', status: 'Active' } } }), event('CreateAccessKey', { identity: { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT } })] },
      ChangePassword: { Events: [event('ChangePassword', { user: 'u11' })] },
      CreateLoginProfile: { Events: [event('CreateLoginProfile', { request: { userName: 'u13' }, error: 'AccessDenied' })] },
      CreateUser: { Events: [event('CreateUser', { source: 'mq.amazonaws.com', request: { username: 'broker-admin' } })] },
      DeactivateMFADevice: { Events: [event('DeactivateMFADevice', { request: { userName: 'u14', serialNumber: 'arn:aws:iam::123456789012:mfa/u14' } })] },
    });
    const { notes } = await run();
    expect(usersCalled(GetLoginProfileCommand)).toEqual(['u10', 'u11']);
    const stale = notes.find((n) => n.startsWith('The IAM credential report'))!;
    expect(stale).toContain('shows 4 change(s)');
    expect(stale).toContain('MFA devices of 1 user(s) were enabled or deactivated since the report (u14)');
    expect(notes.join('\n')).toContain("The root user's credentials changed since the credential report (CreateAccessKey");
  });

  it("reads the root's counts again with GetAccountSummary when the events show its keys or MFA changed", async () => {
    mockIam({ withRoot: true });
    // since the report: MFA deactivated and a key created on the root
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 0, AccountAccessKeysPresent: 1, AccountSigningCertificatesPresent: 0 } });
    const root = { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };
    mockTrail({
      CreateAccessKey: { Events: [event('CreateAccessKey', { identity: root })] },
      DeactivateMFADevice: { Events: [event('DeactivateMFADevice', { identity: root, request: { serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device` } })] },
    });
    const { resources, notes } = await run();
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(1);
    expect(resources.find((r) => r.type === 'account.root')?.props).toEqual({
      mfaEnabled: false,
      accessKeysPresent: true,
      signingCertificatesPresent: false,
      passwordLastUsed: '2026-11-20T08:00:00.000Z',
      accessKey1Active: null,
      accessKey2Active: null,
    });
    expect(notes.find((n) => n.startsWith("The root user's"))).toContain('(CreateAccessKey, DeactivateMFADevice, in CloudTrail');
    expect(notes.find((n) => n.startsWith("The root user's"))).toContain('read again with GetAccountSummary');
    expect(usersCalled(GetLoginProfileCommand)).toEqual([]);
  });

  it("leaves the root a gap, not the report's outdated row, when GetAccountSummary is denied", async () => {
    mockIam({ withRoot: true });
    iam.on(GetAccountSummaryCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:GetAccountSummary'));
    mockTrail({ CreateAccessKey: { Events: [event('CreateAccessKey', { identity: { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root` } })] } });
    const { resources, gaps, notes } = await run();
    expect(gaps.map((g) => `${g.type} ${g.operation} ${g.code}`)).toEqual(['account.root iam:GetAccountSummary AccessDenied']);
    expect(resources.filter((r) => r.type === 'account.root')).toEqual([]);
    expect(notes.find((n) => n.startsWith("The root user's"))).toContain('reading them again failed (iam:GetAccountSummary, AccessDenied), and the report\'s row is out of date: the root user is not collected');
  });

  it('without root changes, a report with a root row needs no GetAccountSummary', async () => {
    mockIam({ withRoot: true });
    mockTrail({ CreateAccessKey: { Events: [event('CreateAccessKey', { request: { userName: 'u06' } })] } });
    const { resources } = await run();
    expect(iam.commandCalls(GetAccountSummaryCommand)).toHaveLength(0);
    expect(resources.find((r) => r.type === 'account.root')?.props).toMatchObject({ mfaEnabled: true, accessKeysPresent: false, accessKey1Active: false });
  });

  it('reads the event history where the partition records IAM: cn-north-1 for aws-cn, us-gov-west-1 for aws-us-gov', async () => {
    for (const [partition, region] of [['aws-cn', 'cn-north-1'], ['aws-us-gov', 'us-gov-west-1']] as const) {
      iam.reset();
      trail.reset();
      regions = [];
      mockIam();
      mockTrail({});
      await run(source(partition));
      expect(regions).toEqual([region]);
    }
  });

  it('asks nothing of CloudTrail when the report is fresh', async () => {
    mockIam({ fresh: true });
    mockTrail({});
    const { notes } = await run();
    expect(lookups()).toEqual([]);
    expect(usersCalled(ListAccessKeysCommand)).toEqual(['u00', 'u01', 'u02', 'u03', 'u04']);
    expect(notes).toEqual([]);
  });
});

describe('password resets: dated from the event history, since GetLoginProfile and the reused report do not move', () => {
  const changed = (resources: Resource[], user: string) => of(resources, 'iam.loginProfile').find((r) => r.id === user)?.props.passwordLastChanged;

  it('takes the latest successful CreateLoginProfile, UpdateLoginProfile or ChangePassword when later than the report and GetLoginProfile', async () => {
    // u01 and u03 had passwords in the report; GetLoginProfile still answers their first CreateDate
    mockIam({ rows: { u03: { password_enabled: 'true', password_last_changed: '2025-03-03T00:00:00+00:00' } } });
    iam.on(GetLoginProfileCommand, { UserName: 'u03' }).resolves({ LoginProfile: { UserName: 'u03', CreateDate: new Date('2025-03-03T00:00:00Z'), PasswordResetRequired: false } });
    mockTrail({
      UpdateLoginProfile: {
        Events: [
          // rollcall's own reset of u01 (CloudTrail leaves the password out of the record), and an earlier one
          event('UpdateLoginProfile', { time: '2026-11-22T11:30:00Z', request: { userName: 'u01', passwordResetRequired: true } }),
          event('UpdateLoginProfile', { time: '2026-11-22T10:50:00Z', request: { userName: 'u01' } }),
          // a failed reset of u03 changed nothing
          event('UpdateLoginProfile', { time: '2026-11-22T11:50:00Z', request: { userName: 'u03' }, error: 'AccessDenied' }),
        ],
      },
      // u03 chose its own password
      ChangePassword: { Events: [event('ChangePassword', { time: '2026-11-22T11:40:00Z', user: 'u03' })] },
    });
    const { resources } = await run();
    expect(usersCalled(GetLoginProfileCommand)).toEqual(['u01', 'u03']);
    expect(changed(resources, 'u01')).toBe('2026-11-22T11:30:00.000Z');
    expect(changed(resources, 'u03')).toBe('2026-11-22T11:40:00.000Z');
  });

  it('keeps the later date when the event is older than what the report or GetLoginProfile says', async () => {
    mockIam();
    // u01's password was deleted and set again after the event
    iam.on(GetLoginProfileCommand, { UserName: 'u01' }).resolves({ LoginProfile: { UserName: 'u01', CreateDate: new Date('2026-11-22T11:45:00Z'), PasswordResetRequired: false } });
    mockTrail({ UpdateLoginProfile: { Events: [event('UpdateLoginProfile', { time: '2026-11-22T11:30:00Z', request: { userName: 'u01' } })] } });
    const { resources } = await run();
    expect(changed(resources, 'u01')).toBe('2026-11-22T11:45:00.000Z');
  });

  it("does not date a renamed user's password from events under its names (they may be another user's), and says so", async () => {
    // u01 (password) reset, then u01 and u02 swapped names: the reset was the user now named u02's
    mockIam();
    iam.on(GetLoginProfileCommand, { UserName: 'u01' }).rejects(new NoSuchEntityException({ $metadata: {}, message: 'Login Profile cannot be found.' }));
    iam.on(GetLoginProfileCommand, { UserName: 'u02' }).resolves({ LoginProfile: { UserName: 'u02', CreateDate: new Date('2025-02-02T00:00:00Z'), PasswordResetRequired: false } });
    mockTrail({
      UpdateLoginProfile: { Events: [event('UpdateLoginProfile', { time: '2026-11-22T11:30:00Z', request: { userName: 'u01' } })] },
      UpdateUser: {
        Events: [
          event('UpdateUser', { time: '2026-11-22T11:31:00Z', request: { userName: 'u01', newUserName: 'tmp' } }),
          event('UpdateUser', { time: '2026-11-22T11:32:00Z', request: { userName: 'u02', newUserName: 'u01' } }),
          event('UpdateUser', { time: '2026-11-22T11:33:00Z', request: { userName: 'tmp', newUserName: 'u02' } }),
        ],
      },
    });
    const { resources, notes } = await run();
    expect(of(resources, 'iam.loginProfile').map((r) => r.id)).toEqual(['u02']);
    expect(changed(resources, 'u02')).toBe('2025-02-02T00:00:00.000Z');
    expect(notes[0]).toContain("2 user(s) were renamed, or took a renamed user's name, since the report (u01, u02)");
  });
});

describe("renamed users: the report's row under a name may be another user's", () => {
  // The report lists u05 and u06, neither with a key. Since then: CreateAccessKey u05, then u05 -> tmp, u06 -> u05, tmp -> u06.
  // The user now named u06 holds the new key; the report's row "u06" (no key) is the other user's.
  const ATTACKER_KEY = 'AKIAATTACKER00000005';
  const swapped = () => {
    iam.on(ListAccessKeysCommand, { UserName: 'u06' }).resolves({ AccessKeyMetadata: [{ UserName: 'u06', AccessKeyId: ATTACKER_KEY, Status: 'Active', CreateDate: new Date('2026-11-22T11:30:00Z') }], IsTruncated: false });
  };
  const keyOwner = (resources: Resource[]) => of(resources, 'iam.accessKey').find((k) => k.id === ATTACKER_KEY)?.props.user;

  it('reads UpdateUser and re-checks both the old and the new name', async () => {
    // both created in the same second: their rows cannot tell them apart, only the events can
    mockIam();
    swapped();
    const at = (s: string) => `2026-11-22T11:3${s}Z`;
    mockTrail({
      CreateAccessKey: { Events: [event('CreateAccessKey', { time: at('0:00'), request: { userName: 'u05' }, response: { accessKey: { userName: 'u05', accessKeyId: ATTACKER_KEY, status: 'Active' } } })] },
      UpdateUser: {
        Events: [
          event('UpdateUser', { time: at('1:00'), request: { userName: 'u05', newUserName: 'tmp' } }),
          event('UpdateUser', { time: at('1:10'), request: { userName: 'u06', newUserName: 'u05' } }),
          event('UpdateUser', { time: at('1:20'), request: { userName: 'tmp', newUserName: 'u06' } }),
        ],
      },
    });
    const { resources, notes } = await run();
    expect(lookups().map((c) => c.LookupAttributes![0]!.AttributeValue)).toContain('UpdateUser');
    expect(usersCalled(ListAccessKeysCommand)).toEqual(['u00', 'u01', 'u02', 'u03', 'u04', 'u05', 'u06']);
    expect(usersCalled(GetLoginProfileCommand)).toEqual(['u05', 'u06']);
    expect(keyOwner(resources)).toBe('u06');
    expect(resources.find((r) => r.type === 'iam.user' && r.id === 'u06')?.props).toMatchObject({ accessKeyCount: 1, activeAccessKeyCount: 1 });
    expect(notes[0]).toContain('2 user(s) were re-checked with ListAccessKeys and GetLoginProfile (u05, u06)');
  });

  it("under a renamed name, takes nothing from the report's row, even when the creation times agree", async () => {
    // u05 (password set 2025-05-05) and u06 (password set 2024-06-01), created in the same second, swapped names
    mockIam({ rows: { u05: { password_enabled: 'true', password_last_changed: '2025-05-05T00:00:00+00:00', mfa_active: 'true' }, u06: { password_enabled: 'true', password_last_changed: '2024-06-01T00:00:00+00:00' } } });
    iam.on(GetLoginProfileCommand, { UserName: 'u05' }).resolves({ LoginProfile: { UserName: 'u05', CreateDate: new Date('2024-06-01T00:00:00Z'), PasswordResetRequired: false } });
    iam.on(GetLoginProfileCommand, { UserName: 'u06' }).resolves({ LoginProfile: { UserName: 'u06', CreateDate: new Date('2025-05-05T00:00:00Z'), PasswordResetRequired: false } });
    mockTrail({
      UpdateUser: {
        Events: [
          event('UpdateUser', { time: '2026-11-22T11:31:00Z', request: { userName: 'u05', newUserName: 'tmp' } }),
          event('UpdateUser', { time: '2026-11-22T11:32:00Z', request: { userName: 'u06', newUserName: 'u05' } }),
          event('UpdateUser', { time: '2026-11-22T11:33:00Z', request: { userName: 'tmp', newUserName: 'u06' } }),
        ],
      },
    });
    const { resources, notes } = await run();
    const login = (user: string) => of(resources, 'iam.loginProfile').find((r) => r.id === user)?.props.passwordLastChanged;
    // the user now named u05 set its password in 2024: the row's 2025 date is the other user's
    expect(login('u05')).toBe('2024-06-01T00:00:00.000Z');
    expect(login('u06')).toBe('2025-05-05T00:00:00.000Z');
    expect(resources.find((r) => r.type === 'iam.user' && r.id === 'u05')?.props.mfaActive).toBe(false);
    expect(notes.find((n) => n.includes('may not be the user the credential report'))).toContain(': u05, u06.');
  });

  it('re-checks a user whose report row has another creation time, whatever the event history misses', async () => {
    // the renames are not (yet) in the event history; the rows and the users' creation times disagree
    mockIam({
      rows: { u05: { user_creation_time: '2024-05-05T05:05:05+00:00' }, u06: { user_creation_time: '2024-06-06T06:06:06+00:00' } },
      users: { u05: { CreateDate: new Date('2024-06-06T06:06:06Z') }, u06: { CreateDate: new Date('2024-05-05T05:05:05.250Z') } },
    });
    swapped();
    mockTrail({ CreateAccessKey: { Events: [event('CreateAccessKey', { request: { userName: 'u05' } })] } });
    const { resources, notes } = await run();
    expect(usersCalled(ListAccessKeysCommand)).toEqual(['u00', 'u01', 'u02', 'u03', 'u04', 'u05', 'u06']);
    expect(usersCalled(GetLoginProfileCommand)).toEqual(['u05', 'u06']);
    expect(keyOwner(resources)).toBe('u06');
    // no report row vouches for the new key's last use: asked directly
    expect(iam.commandCalls(GetAccessKeyLastUsedCommand).map((c) => c.args[0].input.AccessKeyId)).toEqual([ATTACKER_KEY]);
    const note = notes.find((n) => n.includes('may not be the user the credential report'));
    expect(note).toContain('2 user(s) may not be the user the credential report (generated at 2026-11-22T11:00:00.000Z) lists under their name');
    expect(note).toContain(': u05, u06.');
  });

  it("re-checks a user whose report row has another ARN (moved to another path), and trusts a row equal to the second", async () => {
    mockIam({
      users: {
        u07: { Arn: `arn:aws:iam::${ACCOUNT}:user/ops/u07`, Path: '/ops/' },
        // the report's creation time has no milliseconds: the same user
        u08: { CreateDate: new Date('2024-01-01T00:00:00.900Z') },
      },
    });
    mockTrail({});
    const { notes } = await run();
    expect(usersCalled(ListAccessKeysCommand)).toEqual(['u00', 'u01', 'u02', 'u03', 'u04', 'u07']);
    expect(usersCalled(GetLoginProfileCommand)).toEqual(['u07']);
    expect(notes.find((n) => n.includes('may not be the user the credential report'))).toContain(': u07.');
  });

  it("without the event history (every user re-checked), a row's password is not taken for another user of its name", async () => {
    // u01 (password) and u05 (none) swapped names: the report's "u05" row says no password, the user now named u05 has one
    mockIam({
      rows: { u05: { user_creation_time: '2024-05-05T05:05:05+00:00' }, u01: { user_creation_time: '2024-01-01T01:01:01+00:00' } },
      users: { u05: { CreateDate: new Date('2024-01-01T01:01:01Z') }, u01: { CreateDate: new Date('2024-05-05T05:05:05Z') } },
    });
    iam.on(GetLoginProfileCommand, { UserName: 'u05' }).resolves({ LoginProfile: { UserName: 'u05', CreateDate: new Date('2025-02-02T00:00:00Z'), PasswordResetRequired: false } });
    iam.on(GetLoginProfileCommand, { UserName: 'u01' }).rejects(new NoSuchEntityException({ $metadata: {}, message: 'Login Profile cannot be found.' }));
    const { resources } = await run(null);
    expect(usersCalled(GetLoginProfileCommand)).toEqual(NAMES);
    expect(of(resources, 'iam.loginProfile').map((r) => r.id)).toEqual(['u05']);
  });
});

describe('falling back to checking every user, with a note saying why', () => {
  const everyUser = () => {
    expect(usersCalled(ListAccessKeysCommand)).toEqual(NAMES);
    expect(usersCalled(GetLoginProfileCommand)).toEqual(NAMES.filter((n) => n !== 'u01'));
  };

  it('AccessDenied on LookupEvents', async () => {
    mockIam();
    trail.on(LookupEventsCommand).rejects(awsError('AccessDeniedException', `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: cloudtrail:LookupEvents`));
    const { gaps, notes } = await run();
    expect(gaps).toEqual([]);
    everyUser();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('Access keys of every user were re-checked');
    expect(notes[0]).toContain('cloudtrail:LookupEvents failed in us-east-1 (AccessDeniedException: User: arn:aws:iam::123456789012:user/auditor is not authorized');
    // without the event history, a password reset since the report cannot be dated
    expect(notes[0]).toContain(`a reset since the report was generated (${GENERATED.toISOString()}) may not show`);
  });

  it('one series failing (throttled to the end) discards the others', async () => {
    mockIam();
    mockTrail({ CreateAccessKey: { Events: [event('CreateAccessKey', { request: { userName: 'u07' } })] } });
    trail.on(LookupEventsCommand, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteLoginProfile' }] }).rejects(awsError('ThrottlingException', 'Rate exceeded', 400));
    const { notes } = await run();
    everyUser();
    expect(notes[0]).toContain('(ThrottlingException: Rate exceeded)');
  });

  it('an event that names no user', async () => {
    mockIam();
    mockTrail({ UpdateAccessKey: { Events: [event('UpdateAccessKey', { identity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ops/s` } })] } });
    const { notes } = await run();
    everyUser();
    expect(notes[0]).toContain('1 IAM change event(s) name no user (UpdateAccessKey at 2026-11-22T11:30:00.000Z)');
  });

  it('an event whose record cannot be read', async () => {
    mockIam();
    mockTrail({ CreateUser: { Events: [{ EventId: 'e-1', EventName: 'CreateUser', EventSource: 'iam.amazonaws.com', CloudTrailEvent: '{not json' }] } });
    const { notes } = await run();
    everyUser();
    expect(notes[0]).toContain('CreateUser (e-1): its record could not be read');
  });

  it.each([
    ['no generation time', null, 'aws', 'the credential report does not say when it was generated'],
    ['a report older than the event history', new Date('2015-02-02T20:02:02Z'), 'aws', "older than the 90 days CloudTrail's event history keeps"],
    ['a partition without a known event-history region', GENERATED, 'aws-iso', 'no event-history region is known for partition aws-iso'],
  ] as const)('%s: no lookup at all', async (_, generated, partition, reason) => {
    mockIam({ generated });
    mockTrail({});
    const { notes } = await run(source(partition));
    expect(lookups()).toEqual([]);
    everyUser();
    expect(notes[0]).toContain(reason);
  });

  it('more change events than per-user checks would cost: stops at that many calls', async () => {
    mockIam();
    let served = 0;
    trail.on(LookupEventsCommand).callsFake(() => ({ Events: [event('UpdateAccessKey', { request: { userName: 'u05' } })], NextToken: String(++served) }));
    const { notes } = await run();
    everyUser();
    // u00 and u02-u04 lack a password, u01 lacks nothing, the other ten lack both: 24 calls
    expect(lookups()).toHaveLength(24);
    expect(notes[0]).toContain('stopped after 24 LookupEvents calls');
  });

  it('a flood of change events on a large account: stops after a minute of LookupEvents calls', async () => {
    const many = Array.from({ length: 200 }, (_, i) => `bulk-${i}`);
    mockIam();
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({
      IsTruncated: false,
      UserDetailList: [...NAMES, ...many].map((name) => ({ UserName: name, UserId: `AIDA${name}`, Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, Path: '/', CreateDate: new Date('2024-01-01T00:00:00Z') })),
    });
    const rows = reportCsv();
    const extra = many.map((name) => [name, `arn:aws:iam::${ACCOUNT}:user/${name}`, '2024-01-01T00:00:00+00:00', 'false', ...Array(18).fill('N/A')].join(',')).join('\n');
    iam.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(new TextDecoder().decode(rows) + extra + '\n'), ReportFormat: 'text/csv', GeneratedTime: GENERATED });
    let served = 0;
    trail.on(LookupEventsCommand).callsFake(() => ({ Events: [event('UpdateAccessKey', { request: { userName: 'u05' } })], NextToken: String(++served) }));
    const { notes } = await run();
    expect(lookups()).toHaveLength(MAX_LOOKUP_CALLS);
    expect(notes[0]).toContain(`stopped after ${MAX_LOOKUP_CALLS} LookupEvents calls`);
    expect(usersCalled(ListAccessKeysCommand)).toHaveLength(NAMES.length + many.length);
  });

  it('without CloudTrail given, as before: every user, and no reason', async () => {
    mockIam();
    const { notes } = await run(null);
    everyUser();
    expect(notes[0]).not.toContain('CloudTrail');
    expect(notes[0]).toContain('which a password reset (UpdateLoginProfile, ChangePassword) does not move');
  });
});

describe('subjectOf', () => {
  it('reads the user from the request, the answer, or the calling IAM user; root; or nothing', () => {
    expect(subjectOf(ctRecord({ time: 't', source: 'iam.amazonaws.com', name: 'DeleteLoginProfile', request: { userName: 'x' } }))).toEqual({ user: 'x' });
    expect(subjectOf(ctRecord({ time: 't', source: 'iam.amazonaws.com', name: 'CreateUser', response: { user: { userName: 'y' } } }))).toEqual({ user: 'y' });
    expect(subjectOf(ctRecord({ time: 't', source: 'iam.amazonaws.com', name: 'ChangePassword', user: 'z' }))).toEqual({ user: 'z' });
    expect(subjectOf(ctRecord({ time: 't', source: 'iam.amazonaws.com', name: 'CreateAccessKey', identity: { type: 'Root' } }))).toEqual({ root: true });
    expect(subjectOf(ctRecord({ time: 't', source: 'iam.amazonaws.com', name: 'CreateAccessKey', identity: { type: 'AssumedRole' } }))).toBeUndefined();
    expect(subjectOf({ userIdentity: { type: 'IAMUser', userName: 42 } })).toBeUndefined();
  });
});
