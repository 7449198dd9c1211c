/**
 * The per-user IAM reads, one question each, asked alike by the collector and
 * by apply's re-reads: a user's access keys (ListAccessKeys), its login profile
 * (GetLoginProfile), and the last use of a key (GetAccessKeyLastUsed).
 */
import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  paginateListAccessKeys,
  type AccessKeyMetadata,
  type IAMClient,
  type LoginProfile,
} from '@aws-sdk/client-iam';
import { isNoSuchEntity } from './error-info.js';
import { isoOrNull } from './values.js';

/** The largest page IAM serves; fewer pages mean fewer calls. */
export const PAGE_SIZE = 1000;

/** When, where and with which service a key was last used; null where AWS has nothing to say. */
export interface KeyLastUse {
  lastUsedDate: string | null;
  lastUsedRegion: string | null;
  lastUsedService: string | null;
}

const lastUsedValue = (v: string | undefined): string | null => (v === undefined || v === '' || v === 'N/A' ? null : v);

export async function listKeys(iam: IAMClient, userName: string): Promise<AccessKeyMetadata[]> {
  const keys: AccessKeyMetadata[] = [];
  for await (const page of paginateListAccessKeys({ client: iam, pageSize: PAGE_SIZE }, { UserName: userName, MaxItems: PAGE_SIZE })) {
    keys.push(...(page.AccessKeyMetadata ?? []));
  }
  return keys;
}

/**
 * The user's login profile, or null for none (NoSuchEntity: no password, or no
 * such user). An answer that is not NoSuchEntity says the password exists, even
 * without the profile's fields.
 */
export async function loginProfile(iam: IAMClient, userName: string): Promise<Partial<LoginProfile> | null> {
  try {
    const got = await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return got.LoginProfile ?? {};
  } catch (err) {
    if (isNoSuchEntity(err)) return null;
    throw err;
  }
}

export async function keyLastUsed(iam: IAMClient, accessKeyId: string): Promise<KeyLastUse> {
  const got = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
  const u = got.AccessKeyLastUsed;
  return {
    lastUsedDate: isoOrNull(u?.LastUsedDate),
    lastUsedRegion: lastUsedValue(u?.Region),
    lastUsedService: lastUsedValue(u?.ServiceName),
  };
}
