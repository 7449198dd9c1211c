import { describe, expect, it } from 'vitest';
import { callerKey, callerPrincipal, parseCallerArn } from '../../../src/model/caller.js';

const ACCOUNT = '123456789012';

describe('parseCallerArn', () => {
  it('reads an IAM user, with or without a path, in any partition', () => {
    expect(parseCallerArn(`arn:aws:iam::${ACCOUNT}:user/alice`)).toEqual({ kind: 'user', partition: 'aws', accountId: ACCOUNT, path: '/', name: 'alice' });
    expect(parseCallerArn(`arn:aws-cn:iam::${ACCOUNT}:user/ops/team-a/alice`)).toEqual({
      kind: 'user',
      partition: 'aws-cn',
      accountId: ACCOUNT,
      path: '/ops/team-a/',
      name: 'alice',
    });
    // moto answers its default identity under sts.
    expect(parseCallerArn(`arn:aws:sts::${ACCOUNT}:user/moto`)).toMatchObject({ kind: 'user', name: 'moto' });
  });

  it('reads an assumed role and its session (a session name may hold @, = , . and -)', () => {
    expect(parseCallerArn(`arn:aws-us-gov:sts::${ACCOUNT}:assumed-role/Admin/alice@example.com`)).toEqual({
      kind: 'assumed-role',
      partition: 'aws-us-gov',
      accountId: ACCOUNT,
      role: 'Admin',
      session: 'alice@example.com',
    });
  });

  it('reads the root user and a federated user', () => {
    expect(parseCallerArn(`arn:aws:iam::${ACCOUNT}:root`)).toEqual({ kind: 'root', partition: 'aws', accountId: ACCOUNT });
    expect(parseCallerArn(`arn:aws:sts::${ACCOUNT}:federated-user/bob`)).toEqual({ kind: 'federated-user', partition: 'aws', accountId: ACCOUNT, name: 'bob' });
  });

  it.each([
    ['', 'empty'],
    ['alice', 'not an ARN'],
    [`arn:aws:iam::${ACCOUNT}:role/Admin`, 'a role is never a caller: its sessions are'],
    [`arn:aws:iam::${ACCOUNT}:assumed-role/Admin/s`, 'an assumed role under iam'],
    [`arn:aws:sts::${ACCOUNT}:assumed-role/Admin`, 'an assumed role without a session'],
    [`arn:aws:sts::${ACCOUNT}:root`, 'root under sts'],
    [`arn:aws:iam::${ACCOUNT}:user/`, 'a user without a name'],
    [`arn:aws:sts::${ACCOUNT}:federated-user/a/b`, 'a federated user with a path'],
    ['arn:aws:iam::12345:user/alice', 'an account id that is not 12 digits'],
    [`arn:aws:s3::${ACCOUNT}:user/alice`, 'another service'],
    [`arn:aws:iam:us-east-1:${ACCOUNT}:user/alice`, 'a region'],
  ])('refuses %j (%s)', (arn) => {
    expect(parseCallerArn(arn)).toBeUndefined();
  });
});

describe('callerPrincipal', () => {
  // Moved from the guards' test of principalOfArn, which this replaces.
  it('finds the user (with a path) or the assumed role', () => {
    expect(callerPrincipal(`arn:aws:iam::${ACCOUNT}:user/ops/alice`)).toEqual({ type: 'user', name: 'alice' });
    expect(callerPrincipal(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice@example.com`)).toEqual({ type: 'role', name: 'Admin' });
    expect(callerPrincipal(`arn:aws:iam::${ACCOUNT}:root`)).toBeUndefined();
  });

  it('names no IAM user or role for a federated user or what is not a caller ARN', () => {
    expect(callerPrincipal(`arn:aws:sts::${ACCOUNT}:federated-user/bob`)).toBeUndefined();
    expect(callerPrincipal('not an arn')).toBeUndefined();
  });
});

describe('callerKey', () => {
  it('is the role for an assumed role, whatever the session', () => {
    const a = callerKey(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`);
    expect(a).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin`);
    expect(callerKey(`arn:aws:sts::${ACCOUNT}:assumed-role/Admin/bob@example.com`)).toBe(a);
    expect(callerKey(`arn:aws:sts::${ACCOUNT}:assumed-role/Other/alice`)).not.toBe(a);
    expect(callerKey(`arn:aws-cn:sts::${ACCOUNT}:assumed-role/Admin/alice`)).not.toBe(a);
  });

  it('is the whole ARN for anything else', () => {
    for (const arn of [`arn:aws:iam::${ACCOUNT}:user/ops/alice`, `arn:aws:iam::${ACCOUNT}:root`, `arn:aws:sts::${ACCOUNT}:federated-user/bob`, 'odd']) {
      expect(callerKey(arn)).toBe(arn);
    }
  });
});
