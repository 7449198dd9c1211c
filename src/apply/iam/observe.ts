/**
 * Re-reads IAM targets just before a step acts, with the props a precondition
 * may name, mapped by the collector's own mappings (src/answers/iam.ts), plus
 * what only these reads tell (a user's or role's ARN, a password's reset flag).
 */
import { GetRoleCommand, GetUserCommand, ListUserTagsCommand, type AccessKeyMetadata, type IAMClient } from '@aws-sdk/client-iam';
import { accessKeyProps, roleOwnProps, userOwnProps } from '../../answers/iam.js';
import { keyLastUsed, listKeys, loginProfile } from '../../answers/iam-reads.js';
import { iso, isoOrNull } from '../../answers/values.js';
import { deactivatedTag } from '../../model/iam-props.js';
import type { Plain } from '../../model/resource.js';
import type { Observed } from '../executor.js';
import { unlessGone } from './errors.js';

export const ABSENT: Observed = { exists: false, props: {} };

/** The key's metadata, or `undefined` when it (or its user) does not exist. */
export async function findAccessKey(iam: IAMClient, user: string, keyId: string): Promise<AccessKeyMetadata | undefined> {
  const keys = await unlessGone(listKeys(iam, user));
  return keys?.find((k) => k.AccessKeyId === keyId);
}

/**
 * When rollcall deactivated the key: the value of its user's tag
 * `rollcall:deactivated:<key id>`, or null when the user has no such tag (or is gone).
 */
export async function keyDeactivatedAt(iam: IAMClient, user: string, keyId: string): Promise<string | null> {
  const got = await unlessGone(iam.send(new ListUserTagsCommand({ UserName: user, MaxItems: 100 })));
  const key = deactivatedTag(keyId);
  return got?.Tags?.find((t) => t.Key === key)?.Value ?? null;
}

/**
 * The key as the collector maps it, plus `deactivatedAt`: its user's
 * deactivation tag (null when absent), which a deletion's precondition names.
 */
export async function observeAccessKey(iam: IAMClient, user: string, keyId: string): Promise<Observed> {
  const key = await findAccessKey(iam, user, keyId);
  if (!key) return ABSENT;
  const used = await unlessGone(keyLastUsed(iam, keyId));
  const deactivatedAt = await keyDeactivatedAt(iam, user, keyId);
  return { exists: true, props: { ...accessKeyProps(user, key, used), deactivatedAt } };
}

export async function observeUser(iam: IAMClient, name: string): Promise<Observed> {
  const got = await unlessGone(iam.send(new GetUserCommand({ UserName: name })));
  const u = got?.User;
  if (!u) return ABSENT;
  return { exists: true, props: { ...userOwnProps(u), arn: u.Arn ?? '', passwordLastUsed: isoOrNull(u.PasswordLastUsed) } };
}

export async function observeLoginProfile(iam: IAMClient, user: string): Promise<Observed> {
  const lp = await loginProfile(iam, user);
  if (!lp) return ABSENT;
  return { exists: true, props: { user, createDate: iso(lp.CreateDate), passwordResetRequired: lp.PasswordResetRequired ?? false } };
}

/** A role, with its trust policy decoded and its principals normalised as the collector does. */
export async function observeRole(iam: IAMClient, name: string): Promise<Observed> {
  const got = await unlessGone(iam.send(new GetRoleCommand({ RoleName: name })));
  const r = got?.Role;
  if (!r) return ABSENT;
  const own = roleOwnProps(r);
  return { exists: true, props: { ...own, trustPolicy: own.trustPolicy as Plain, arn: r.Arn ?? '' } };
}
