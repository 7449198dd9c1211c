/**
 * Throttling is retried by the SDK's own retry strategy, not by the collector.
 * aws-sdk-client-mock replaces `send` (and so the retry loop), so these tests use
 * a real IAMClient instead, answering each attempt from a middleware placed inside
 * the retry loop: no request leaves the process. The client uses retryMode
 * 'standard' to keep the test short; AwsClients uses 'adaptive', which classifies
 * errors the same way and adds a client-side rate limiter on top.
 */
import { IAMClient, IAMServiceException } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { collectIam } from '../../../src/collect/iam.js';

const ACCOUNT = '123456789012';
/** No `<root_account>` row (as moto writes it), so the collector asks GetAccountSummary for the root. */
const REPORT = [
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
  'alice,arn:aws:iam::123456789012:user/alice,2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2024-02-02T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
].join('\n');
/** The same with a root row (as AWS writes it): no GetAccountSummary. */
const REPORT_WITH_ROOT = [
  REPORT,
  '<root_account>,arn:aws:iam::123456789012:root,2019-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
].join('\n');

const ANSWERS: Record<string, object> = {
  // answered STARTED on the first attempt (a fresh report), see below
  GenerateCredentialReportCommand: { State: 'COMPLETE' },
  GetCredentialReportCommand: { Content: new TextEncoder().encode(REPORT), GeneratedTime: new Date() },
  GetAccountAuthorizationDetailsCommand: {
    IsTruncated: false,
    UserDetailList: [{ UserName: 'alice', UserId: 'AIDAALICE', Arn: `arn:aws:iam::${ACCOUNT}:user/alice`, Path: '/', CreateDate: new Date('2024-01-01T00:00:00Z') }],
  },
  GetAccountSummaryCommand: { SummaryMap: { AccountMFAEnabled: 1 } },
  ListAccessKeysCommand: { IsTruncated: false, AccessKeyMetadata: [{ UserName: 'alice', AccessKeyId: 'AKIAALICE00000000001', Status: 'Active', CreateDate: new Date('2024-02-02T00:00:00Z') }] },
};

const throttling = () =>
  Object.assign(new IAMServiceException({ name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' }), {
    $retryable: { throttling: true },
  });

/** A real client whose attempts are answered in-process; the named commands are throttled `times` times first. */
function throttledClient(maxAttempts: number, throttle: Record<string, number>, answers: Record<string, object> = ANSWERS) {
  const attempts: Record<string, number> = {};
  const client = new IAMClient({ region: 'us-east-1', maxAttempts, retryMode: 'standard', credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' } });
  client.middlewareStack.add(
    (_next, context) => async () => {
      const name = context.commandName ?? '';
      attempts[name] = (attempts[name] ?? 0) + 1;
      if (attempts[name]! <= (throttle[name] ?? 0)) throw throttling();
      const output = name === 'GenerateCredentialReportCommand' && attempts[name] === 1 ? { State: 'STARTED' } : answers[name];
      if (!output) throw new Error(`unexpected ${name}`);
      return { output: { $metadata: {}, ...output }, response: {} };
    },
    { step: 'deserialize', name: 'answerInProcess', priority: 'high' },
  );
  return { client, attempts };
}

describe('throttling', () => {
  it('is retried by the SDK, and the collection succeeds without gaps', async () => {
    const { client, attempts } = throttledClient(4, { GetAccountAuthorizationDetailsCommand: 1, ListAccessKeysCommand: 1, GetAccountSummaryCommand: 1 });
    const { resources, gaps } = await collectIam(client, { accountId: ACCOUNT, now: new Date() });
    expect(gaps).toEqual([]);
    expect(attempts).toEqual({
      GenerateCredentialReportCommand: 2,
      GetCredentialReportCommand: 1,
      GetAccountAuthorizationDetailsCommand: 2,
      GetAccountSummaryCommand: 2,
      ListAccessKeysCommand: 2,
    });
    expect(resources.map((r) => `${r.type}:${r.id}`)).toEqual(['account.root:root', 'iam.user:alice', 'iam.accessKey:AKIAALICE00000000001']);
  });

  it('becomes a gap with code Throttling when the attempts run out', async () => {
    const { client, attempts } = throttledClient(2, { GetAccountSummaryCommand: 5 });
    const { resources, gaps } = await collectIam(client, { accountId: ACCOUNT, now: new Date() });
    expect(attempts.GetAccountSummaryCommand).toBe(2);
    expect(gaps).toEqual([{ type: 'account.root', region: 'global', operation: 'iam:GetAccountSummary', code: 'Throttling', message: 'Rate exceeded' }]);
    expect(resources.some((r) => r.type === 'account.root')).toBe(false);
    expect(resources.some((r) => r.type === 'iam.user')).toBe(true);
  });

  it('does not reach GetAccountSummary at all when the report has a root row', async () => {
    const answers = { ...ANSWERS, GetCredentialReportCommand: { Content: new TextEncoder().encode(REPORT_WITH_ROOT), GeneratedTime: new Date() } };
    const { client, attempts } = throttledClient(2, { GetAccountSummaryCommand: 5 }, answers);
    const { resources, gaps } = await collectIam(client, { accountId: ACCOUNT, now: new Date() });
    expect(gaps).toEqual([]);
    expect(attempts.GetAccountSummaryCommand).toBeUndefined();
    expect(resources.find((r) => r.type === 'account.root')?.props).toMatchObject({ mfaEnabled: true, accessKeysPresent: false });
  });
});
