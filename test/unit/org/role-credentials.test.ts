import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../../src/aws/clients.js';
import { AwsFailure, InputError } from '../../../src/errors.js';
import { listActiveAccounts, parseAccounts } from '../../../src/org/accounts.js';
import { assumedRoleCredentials, DEFAULT_AUDIT_ROLE, parseRoleName, partitionOf, roleArnIn } from '../../../src/org/role-credentials.js';

const sts = mockClient(STSClient);
const organizations = mockClient(OrganizationsClient);
afterEach(() => {
  sts.reset();
  organizations.reset();
});

const credentials = (n: number, expiresAt: number) => ({
  Credentials: { AccessKeyId: `ASIAEXAMPLE${n}`, SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(expiresAt) },
});

describe("a member account's role", () => {
  it('is assumed once for every call waiting on it, kept until five minutes before it expires, then renewed', async () => {
    let clock = 1_000_000;
    let n = 0;
    sts.on(AssumeRoleCommand).callsFake(async () => credentials(++n, clock + 60 * 60_000));
    const provider = assumedRoleCredentials(new STSClient({ region: 'us-east-1' }), { roleArn: roleArnIn('aws', '111111111111', 'audit'), sessionName: 'rollcall', externalId: 'ext-1' }, () => clock);
    const first = await Promise.all([provider(), provider(), provider()]);
    expect(first.map((c) => c.accessKeyId)).toEqual(['ASIAEXAMPLE1', 'ASIAEXAMPLE1', 'ASIAEXAMPLE1']);
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toEqual({ RoleArn: 'arn:aws:iam::111111111111:role/audit', RoleSessionName: 'rollcall', ExternalId: 'ext-1' });
    clock += 54 * 60_000;
    expect((await provider()).accessKeyId).toBe('ASIAEXAMPLE1');
    clock += 2 * 60_000;
    expect((await provider()).accessKeyId).toBe('ASIAEXAMPLE2');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('a refusal is thrown to the caller, and not kept: the next call asks again', async () => {
    sts.on(AssumeRoleCommand).rejectsOnce(new STSServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'not authorized' })).resolves(credentials(1, Date.now() + 3_600_000));
    const provider = assumedRoleCredentials(new STSClient({ region: 'us-east-1' }), { roleArn: roleArnIn('aws', '111111111111', 'audit'), sessionName: 'rollcall' });
    await expect(provider()).rejects.toMatchObject({ name: 'AccessDenied' });
    expect((await provider()).accessKeyId).toBe('ASIAEXAMPLE1');
  });

  it('names are checked; the ARN is made in the caller\'s partition', () => {
    expect(parseRoleName(undefined)).toBe(DEFAULT_AUDIT_ROLE);
    expect(() => parseRoleName('arn:aws:iam::1:role/x')).toThrow(InputError);
    expect(() => parseRoleName('a/b')).toThrow(InputError);
    expect(roleArnIn(partitionOf('arn:aws-cn:sts::111111111111:assumed-role/x/y'), '222222222222', 'audit')).toBe('arn:aws-cn:iam::222222222222:role/audit');
  });
});

describe("the organization's accounts", () => {
  it('ListAccounts, 20 a page, every page: the ACTIVE ones, sorted by id', async () => {
    organizations
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({ Accounts: [{ Id: '300000000000', Name: 'c', State: 'ACTIVE' }, { Id: '100000000000', Name: 'a', Status: 'ACTIVE' }], NextToken: 'page-2' })
      .on(ListAccountsCommand, { NextToken: 'page-2' })
      .resolves({ Accounts: [{ Id: '200000000000', Name: 'b', State: 'ACTIVE' }, { Id: '400000000000', State: 'SUSPENDED', Status: 'SUSPENDED' }, { Id: '500000000000', State: 'PENDING_CLOSURE' }] });
    const clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
    try {
      expect(await listActiveAccounts(clients)).toEqual([
        { id: '100000000000', name: 'a' },
        { id: '200000000000', name: 'b' },
        { id: '300000000000', name: 'c' },
      ]);
      expect(organizations.commandCalls(ListAccountsCommand).map((c) => c.args[0].input)).toEqual([{ MaxResults: 20 }, { MaxResults: 20, NextToken: 'page-2' }]);
      organizations.reset();
      organizations.on(ListAccountsCommand).rejects(Object.assign(new Error('You don\'t have permissions to access this resource.'), { name: 'AccessDeniedException' }));
      await expect(listActiveAccounts(clients)).rejects.toThrow(AwsFailure);
      await expect(listActiveAccounts(clients)).rejects.toThrow(/organizations:ListAccounts.*AccessDeniedException/);
    } finally {
      clients.destroy();
    }
  });

  it('a NextToken seen before stops the listing as a failure (never an endless loop); an account listed twice is one account', async () => {
    organizations
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({ Accounts: [{ Id: '100000000000', Name: 'a', State: 'ACTIVE' }], NextToken: 'page-2' })
      .on(ListAccountsCommand, { NextToken: 'page-2' })
      .resolves({ Accounts: [{ Id: '200000000000', Name: 'b', State: 'ACTIVE' }, { Id: '100000000000', Name: 'a', State: 'ACTIVE' }], NextToken: 'page-3' })
      .on(ListAccountsCommand, { NextToken: 'page-3' })
      .resolves({ Accounts: [{ Id: '200000000000', Name: 'b', State: 'ACTIVE' }] });
    const clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
    try {
      expect(await listActiveAccounts(clients)).toEqual([
        { id: '100000000000', name: 'a' },
        { id: '200000000000', name: 'b' },
      ]);
      organizations.reset();
      organizations
        .on(ListAccountsCommand, { NextToken: undefined })
        .resolves({ Accounts: [{ Id: '100000000000', State: 'ACTIVE' }], NextToken: 'again' })
        .on(ListAccountsCommand, { NextToken: 'again' })
        .resolves({ Accounts: [{ Id: '200000000000', State: 'ACTIVE' }], NextToken: 'again' });
      await expect(listActiveAccounts(clients)).rejects.toThrow(AwsFailure);
      await expect(listActiveAccounts(clients)).rejects.toThrow(/organizations:ListAccounts.*NextToken 'again' twice/);
      expect(organizations.commandCalls(ListAccountsCommand).length).toBe(4);
    } finally {
      clients.destroy();
    }
  });

  it('--accounts: ids, comma-separated or repeated, each once', () => {
    expect(parseAccounts(['222222222222,111111111111', ' 222222222222 '])).toEqual([{ id: '111111111111' }, { id: '222222222222' }]);
    expect(() => parseAccounts(['12345'])).toThrow(InputError);
    expect(() => parseAccounts([','])).toThrow(InputError);
  });
});
