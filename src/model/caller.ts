/**
 * Who a caller ARN names: the identity STS's GetCallerIdentity reports, as a
 * plan and a journal record it. The one parser of caller ARNs: the planner's
 * notes, apply's caller check and its self-protection all read them here.
 *
 * - `arn:P:iam::ACCOUNT:user/PATH/NAME`: an IAM user (moto answers `sts` for its default user);
 * - `arn:P:sts::ACCOUNT:assumed-role/ROLE/SESSION`: a session of a role (the ARN drops the role's path);
 * - `arn:P:iam::ACCOUNT:root`: the account's root user;
 * - `arn:P:sts::ACCOUNT:federated-user/NAME`: a GetFederationToken session.
 *
 * P is the partition (`aws`, `aws-cn`, `aws-us-gov`, ...).
 */

interface Account {
  partition: string;
  accountId: string;
}

export type Caller =
  | (Account & { kind: 'user'; path: string; name: string })
  | (Account & { kind: 'assumed-role'; role: string; session: string })
  | (Account & { kind: 'root' })
  | (Account & { kind: 'federated-user'; name: string });

const CALLER_ARN = /^arn:([\w-]+):(iam|sts)::(\d{12}):(.+)$/;

/** The identity a caller ARN names, or undefined when the text is not a caller ARN. */
export function parseCallerArn(arn: string): Caller | undefined {
  const m = CALLER_ARN.exec(arn);
  if (!m) return undefined;
  const [, partition = '', service, accountId = '', resource = ''] = m;
  const account: Account = { partition, accountId };
  const [kind = '', ...rest] = resource.split('/');
  if (kind === 'root' && rest.length === 0 && service === 'iam') return { ...account, kind: 'root' };
  if (kind === 'user') {
    const name = rest.pop() ?? '';
    if (name === '') return undefined;
    return { ...account, kind: 'user', path: rest.length === 0 ? '/' : `/${rest.join('/')}/`, name };
  }
  if (service !== 'sts') return undefined;
  const [first = '', ...more] = rest;
  if (kind === 'assumed-role' && first !== '' && more.length > 0) return { ...account, kind: 'assumed-role', role: first, session: more.join('/') };
  if (kind === 'federated-user' && first !== '' && more.length === 0) return { ...account, kind: 'federated-user', name: first };
  return undefined;
}

/** The IAM user or role behind a caller ARN, or undefined for root, a federated user, or what is not a caller ARN. */
export function callerPrincipal(arn: string): { type: 'user' | 'role'; name: string } | undefined {
  const c = parseCallerArn(arn);
  if (c?.kind === 'user') return { type: 'user', name: c.name };
  if (c?.kind === 'assumed-role') return { type: 'role', name: c.role };
  return undefined;
}

/**
 * What must match for two caller ARNs to be the same identity: an assumed
 * role's ARN names the session too, which changes from one login to the next,
 * so the role is what counts; any other ARN counts whole.
 */
export function callerKey(arn: string): string {
  const c = parseCallerArn(arn);
  return c?.kind === 'assumed-role' ? `arn:${c.partition}:sts::${c.accountId}:assumed-role/${c.role}` : arn;
}
