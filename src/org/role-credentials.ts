/**
 * The role org mode assumes in each member account, and one credential cache
 * per account: AssumeRole is called through the run's own STS client (so the
 * call is counted), its credentials kept until five minutes before they
 * expire, then renewed once however many calls are waiting.
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { InputError } from '../errors.js';

/**
 * The default role: `rollcall-audit`, a read-only role in every member
 * account whose identity policy is what `rollcall permissions audit` prints
 * and whose trust policy trusts the account the org run starts in.
 */
export const DEFAULT_AUDIT_ROLE = 'rollcall-audit';

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** `--assume-role-name`: a role name (no path, no ARN), checked before any call. */
export function parseRoleName(value: string | undefined): string {
  const name = value ?? DEFAULT_AUDIT_ROLE;
  if (!ROLE_NAME.test(name)) {
    throw InputError.at({ file: '--assume-role-name' }, `must be a role name, 1 to 64 letters, digits or _+=,.@- (got '${name}'); the role's ARN is made for each account`);
  }
  return name;
}

/** The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), so a role ARN is made in the caller's. */
export function partitionOf(arn: string): string {
  return /^arn:([a-z-]+):/.exec(arn)?.[1] ?? 'aws';
}

export function roleArnIn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

export interface RoleSession {
  roleArn: string;
  sessionName: string;
  externalId?: string;
}

/** Renew this long before the credentials expire. */
const REFRESH_MS = 5 * 60_000;

/**
 * A memoized provider of the role's credentials. The first call assumes the
 * role (and throws what STS answered: the caller tells a role that cannot be
 * assumed from any later failure); later calls share the cached credentials
 * until they are close to expiry.
 */
export function assumedRoleCredentials(sts: STSClient, session: RoleSession, now: () => number = Date.now): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let expires = 0;
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const answer = await sts.send(
      new AssumeRoleCommand({ RoleArn: session.roleArn, RoleSessionName: session.sessionName, ...(session.externalId ? { ExternalId: session.externalId } : {}) }),
    );
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
    expires = c.Expiration ? c.Expiration.getTime() : now() + 15 * 60_000;
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: c.Expiration } : {}) };
  };
  let settled = false;
  return () => {
    // One AssumeRole at a time: calls made while it is in flight wait for it.
    if (!current || (settled && now() > expires - REFRESH_MS)) {
      settled = false;
      const attempt = assume();
      current = attempt;
      attempt.then(
        () => {
          if (current === attempt) settled = true;
        },
        // A failed attempt is not kept: the next call tries again.
        () => {
          if (current === attempt) current = undefined;
        },
      );
    }
    return current;
  };
}
