/** CloudTrail records shaped as CloudTrail's documentation shows them (log files' `Records`, LookupEvents' `CloudTrailEvent`). */
import { ACCOUNT } from './resources.js';

export interface RecordSpec {
  time: string;
  region?: string;
  source: string;
  name: string;
  user?: string;
  keyId?: string;
  ip?: string;
  agent?: string;
  request?: Record<string, unknown>;
  response?: Record<string, unknown>;
  error?: string;
  id?: string;
  readOnly?: boolean;
  /** The whole userIdentity, for a caller that is not an IAM user (a role session, root, a federated user). */
  identity?: Record<string, unknown>;
  /** Made with console session credentials (`sessionCredentialFromConsole: "true"`). */
  console?: boolean;
}

let serial = 0;

export function ctRecord(s: RecordSpec): Record<string, unknown> {
  serial += 1;
  const user = s.user ?? 'mallory';
  return {
    eventVersion: '1.09',
    userIdentity: s.identity ?? { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/${user}`, accountId: ACCOUNT, accessKeyId: s.keyId ?? 'AKIAEXPOSED0000000001', userName: user },
    eventTime: s.time,
    eventSource: s.source,
    eventName: s.name,
    awsRegion: s.region ?? 'us-east-1',
    sourceIPAddress: s.ip ?? '203.0.113.7',
    userAgent: s.agent ?? 'aws-cli/2.15.0',
    requestParameters: s.request ?? null,
    responseElements: s.response ?? null,
    ...(s.error ? { errorCode: s.error, errorMessage: 'denied' } : {}),
    ...(s.console ? { sessionCredentialFromConsole: 'true' } : {}),
    requestID: `req-${serial}`,
    eventID: s.id ?? `00000000-0000-0000-0000-${String(serial).padStart(12, '0')}`,
    readOnly: s.readOnly ?? false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
}
