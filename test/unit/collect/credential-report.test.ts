import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient, IAMServiceException } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  fetchCredentialReport,
  matchKeysToSlots,
  parseCredentialReport,
  ReportError,
  rowShowsCert,
  rowShowsKey,
  type ReportRow,
} from '../../../src/collect/credential-report.js';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
  'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

/** As AWS writes it: a root row (with an inactive signing certificate), dates with +00:00, the three "nothing" markers. */
const AWS_REPORT = [
  HEADER,
  '<root_account>,arn:aws:iam::123456789012:root,2019-01-01T00:00:00+00:00,not_supported,2026-10-30T09:15:00+00:00,not_supported,not_supported,true,' +
    'false,N/A,N/A,N/A,N/A,true,2020-05-05T05:05:05+00:00,2026-11-01T10:00:00+00:00,us-east-1,s3,false,2021-07-07T07:07:07+00:00,false,N/A',
  'alice,arn:aws:iam::123456789012:user/alice,2024-02-03T04:05:06+00:00,true,no_information,2024-02-03T04:06:00+00:00,N/A,false,' +
    'true,2024-03-01T00:00:00+00:00,2026-11-02T12:00:00+00:00,eu-west-1,iam,false,2024-04-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A',
  'bob,arn:aws:iam::123456789012:user/bob,2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  '',
].join('\n');

/** As moto writes it: no root row, last-used region and service not_supported. */
const MOTO_REPORT = [
  HEADER,
  'carol,arn:aws:iam::123456789012:user/carol,2026-11-22T10:00:00+00:00,false,not_supported,2026-11-22T10:00:00+00:00,not_supported,false,' +
    'true,2026-11-22T10:00:01+00:00,N/A,not_supported,not_supported,false,N/A,N/A,not_supported,not_supported,false,N/A,false,N/A',
].join('\n');

describe('parseCredentialReport', () => {
  it('reads the <root_account> row apart from the users', () => {
    const { root, users } = parseCredentialReport(AWS_REPORT);
    expect([...users.keys()]).toEqual(['alice', 'bob']);
    expect(root).toEqual({
      user: '<root_account>',
      arn: 'arn:aws:iam::123456789012:root',
      userCreationTime: '2019-01-01T00:00:00.000Z',
      passwordEnabled: null,
      passwordLastUsed: '2026-10-30T09:15:00.000Z',
      passwordLastChanged: null,
      mfaActive: true,
      keys: [
        { active: false, lastRotated: null, lastUsedDate: null, lastUsedRegion: null, lastUsedService: null },
        { active: true, lastRotated: '2020-05-05T05:05:05.000Z', lastUsedDate: '2026-11-01T10:00:00.000Z', lastUsedRegion: 'us-east-1', lastUsedService: 's3' },
      ],
      certs: [
        { active: false, lastRotated: '2021-07-07T07:07:07.000Z' },
        { active: false, lastRotated: null },
      ],
    });
  });

  it('maps N/A, no_information and not_supported to null and dates to ISO', () => {
    const alice = parseCredentialReport(AWS_REPORT).users.get('alice');
    expect(alice).toEqual({
      user: 'alice',
      arn: 'arn:aws:iam::123456789012:user/alice',
      userCreationTime: '2024-02-03T04:05:06.000Z',
      passwordEnabled: true,
      passwordLastUsed: null,
      passwordLastChanged: '2024-02-03T04:06:00.000Z',
      mfaActive: false,
      keys: [
        { active: true, lastRotated: '2024-03-01T00:00:00.000Z', lastUsedDate: '2026-11-02T12:00:00.000Z', lastUsedRegion: 'eu-west-1', lastUsedService: 'iam' },
        { active: false, lastRotated: '2024-04-01T00:00:00.000Z', lastUsedDate: null, lastUsedRegion: null, lastUsedService: null },
      ],
      certs: [
        { active: false, lastRotated: null },
        { active: false, lastRotated: null },
      ],
    });
    expect(parseCredentialReport(AWS_REPORT).users.get('bob')).toMatchObject({ passwordEnabled: false, mfaActive: true, passwordLastChanged: null });
  });

  it('has a null root when the report has no <root_account> row (moto)', () => {
    const { root, users } = parseCredentialReport(MOTO_REPORT);
    expect(root).toBeNull();
    expect(users.get('carol')?.keys[0]).toEqual({
      active: true,
      lastRotated: '2026-11-22T10:00:01.000Z',
      lastUsedDate: null,
      lastUsedRegion: null,
      lastUsedService: null,
    });
  });

  it('handles an empty report and rejects a CSV without a user column', () => {
    expect(parseCredentialReport(HEADER + '\n').users.size).toBe(0);
    expect(() => parseCredentialReport('name,arn\nx,y\n')).toThrow(/user/);
  });
});

describe('rowShowsKey', () => {
  it('is true for an active key or a rotation date, false otherwise', () => {
    const { users } = parseCredentialReport(AWS_REPORT);
    expect(rowShowsKey(users.get('alice')!)).toBe(true);
    expect(rowShowsKey(users.get('bob')!)).toBe(false);
    const inactiveOnly = parseCredentialReport(AWS_REPORT).users.get('alice')!;
    inactiveOnly.keys[0] = { ...inactiveOnly.keys[0], active: false, lastRotated: null };
    expect(rowShowsKey(inactiveOnly)).toBe(true); // key 2 is inactive but exists
  });
});

describe('rowShowsCert', () => {
  it('is true for an active certificate or a rotation date, false otherwise', () => {
    const { root, users } = parseCredentialReport(AWS_REPORT);
    expect(rowShowsCert(root!)).toBe(true); // cert 1 is inactive but exists
    expect(rowShowsCert(users.get('alice')!)).toBe(false);
    const active = { ...users.get('bob')!, certs: [{ active: false, lastRotated: null }, { active: true, lastRotated: null }] as ReportRow['certs'] };
    expect(rowShowsCert(active)).toBe(true);
  });
});

describe('matchKeysToSlots', () => {
  const slot = (lastRotated: string | null, lastUsedDate: string | null, active = true) => ({
    active,
    lastRotated,
    lastUsedDate,
    lastUsedRegion: lastUsedDate ? 'us-east-1' : null,
    lastUsedService: lastUsedDate ? 'sts' : null,
  });
  const row = (a: ReturnType<typeof slot>, b: ReturnType<typeof slot>): ReportRow => ({
    user: 'u',
    arn: 'arn',
    userCreationTime: null,
    passwordEnabled: false,
    passwordLastUsed: null,
    passwordLastChanged: null,
    mfaActive: false,
    keys: [a, b],
    certs: [
      { active: false, lastRotated: null },
      { active: false, lastRotated: null },
    ],
  });
  const GENERATED = '2026-11-20T00:00:00.000Z';

  it('matches last_rotated to CreateDate to the second, whatever the order', () => {
    const r = row(slot('2026-01-02T00:00:00.000Z', '2026-11-01T00:00:00.000Z'), slot('2025-05-05T05:05:05.000Z', '2026-11-10T00:00:00.000Z'));
    const m = matchKeysToSlots(
      [
        { id: 'AKIAOLDER', createDate: '2025-05-05T05:05:05.900Z' },
        { id: 'AKIANEWER', createDate: '2026-01-02T00:00:00.123Z' },
      ],
      r,
      GENERATED,
    );
    expect(m.get('AKIAOLDER')?.lastUsedDate).toBe('2026-11-10T00:00:00.000Z');
    expect(m.get('AKIANEWER')?.lastUsedDate).toBe('2026-11-01T00:00:00.000Z');
  });

  it('falls back to creation order when no date matches', () => {
    const r = row(slot('2024-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'), slot('2024-06-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z'));
    const m = matchKeysToSlots(
      [
        { id: 'AKIASECOND', createDate: '2023-06-01T00:00:00.000Z' },
        { id: 'AKIAFIRST', createDate: '2023-01-01T00:00:00.000Z' },
      ],
      r,
      GENERATED,
    );
    expect(m.get('AKIAFIRST')?.lastUsedDate).toBe('2026-01-01T00:00:00.000Z');
    expect(m.get('AKIASECOND')?.lastUsedDate).toBe('2026-06-01T00:00:00.000Z');
  });

  it('gives null to a key created after the report and to a user without a row', () => {
    const r = row(slot('2024-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'), slot(null, null, false));
    const m = matchKeysToSlots(
      [
        { id: 'AKIAOLD', createDate: '2024-01-01T00:00:00.000Z' },
        { id: 'AKIANEW', createDate: '2026-11-21T00:00:00.000Z' },
      ],
      r,
      GENERATED,
    );
    expect(m.get('AKIAOLD')?.lastUsedDate).toBe('2026-01-01T00:00:00.000Z');
    expect(m.get('AKIANEW')).toBeNull();
    expect(matchKeysToSlots([{ id: 'AKIAX', createDate: '2024-01-01T00:00:00.000Z' }], undefined, GENERATED).get('AKIAX')).toBeNull();
  });
});

describe('fetchCredentialReport', () => {
  const iam = mockClient(IAMClient);
  const content = (csv: string) => new TextEncoder().encode(csv);
  const fakeTime = () => {
    let now = 0;
    const delays: number[] = [];
    return { delays, clock: () => now, sleep: async (ms: number) => void (delays.push(ms), (now += ms)) };
  };

  beforeEach(() => iam.reset());

  it('polls with capped exponential backoff until COMPLETE, and marks the report fresh', async () => {
    iam
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({ Content: content(AWS_REPORT), GeneratedTime: new Date('2026-11-22T10:00:00Z') });
    const t = fakeTime();
    const report = await fetchCredentialReport(new IAMClient({}), { sleep: t.sleep, clock: t.clock });
    expect(t.delays).toEqual([200, 400, 800, 1600, 2000, 2000]);
    expect(report.fresh).toBe(true);
    expect(report.generatedTime).toBe('2026-11-22T10:00:00.000Z');
    expect(report.root?.mfaActive).toBe(true);
    expect([...report.users.keys()]).toEqual(['alice', 'bob']);
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(7);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
  });

  it('marks a report that was COMPLETE at once as not fresh, without waiting', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({ Content: content(MOTO_REPORT), GeneratedTime: new Date('2015-02-02T20:02:02Z') });
    const t = fakeTime();
    const report = await fetchCredentialReport(new IAMClient({}), { sleep: t.sleep, clock: t.clock });
    expect(report.fresh).toBe(false);
    expect(t.delays).toEqual([]);
    expect(report.root).toBeNull();
  });

  it('gives up after the time limit with a ReportTimeout', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    const t = fakeTime();
    const err = await fetchCredentialReport(new IAMClient({}), { sleep: t.sleep, clock: t.clock, timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect(err).toMatchObject({ operation: 'iam:GenerateCredentialReport', code: 'ReportTimeout' });
    expect(t.delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(60_000);
    expect(t.delays.reduce((a, b) => a + b, 0)).toBeGreaterThan(55_000);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(0);
  });

  it('names the operation that failed', async () => {
    const denied = new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'not authorized to perform iam:GetCredentialReport' });
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).rejects(denied);
    await expect(fetchCredentialReport(new IAMClient({}))).rejects.toMatchObject({ operation: 'iam:GetCredentialReport', code: 'AccessDenied' });

    iam.reset();
    iam.on(GenerateCredentialReportCommand).rejects(denied);
    await expect(fetchCredentialReport(new IAMClient({}))).rejects.toMatchObject({ operation: 'iam:GenerateCredentialReport', code: 'AccessDenied' });
  });
});
