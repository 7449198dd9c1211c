/**
 * The per-user IAM calls, one question each: a user's access keys
 * (ListAccessKeys), whether it has a password (GetLoginProfile), and the last
 * use of a key younger than the credential report (GetAccessKeyLastUsed).
 */
import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  NoSuchEntityException,
  paginateListAccessKeys,
  type AccessKeyMetadata,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { KeySlot } from './credential-report.js';
import { errorCode } from './iam-sink.js';
import { isoOrNull, PAGE_SIZE } from './iam-values.js';

const lastUsedValue = (v: string | undefined): string | null => (v === undefined || v === '' || v === 'N/A' ? null : v);

export async function listKeys(iam: IAMClient, userName: string): Promise<AccessKeyMetadata[]> {
  const keys: AccessKeyMetadata[] = [];
  for await (const page of paginateListAccessKeys({ client: iam, pageSize: PAGE_SIZE }, { UserName: userName, MaxItems: PAGE_SIZE })) {
    keys.push(...(page.AccessKeyMetadata ?? []));
  }
  return keys;
}

/** The login profile (with its CreateDate, ISO), or null for none (NoSuchEntity). */
export async function loginProfile(iam: IAMClient, userName: string): Promise<{ created: string | null } | null> {
  try {
    const got = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return { created: isoOrNull(got.LoginProfile?.CreateDate) };
  } catch (err) {
    if (err instanceof NoSuchEntityException || errorCode(err) === 'NoSuchEntity') return null;
    throw err;
  }
}

export async function keyLastUsed(iam: IAMClient, accessKeyId: string): Promise<KeySlot> {
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
