/**
 * Conventions of the AWS tools: `--profile` behaves as AWS_PROFILE does (the
 * profile's endpoint_url, region and credentials, credential_process
 * included, with no AWS_* variable set), and `--role-arn` assumes a role for
 * the whole run: the emulator keeps one world per account, so the inventory
 * is the role's account's, and the caller its session.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IAMClient, CreateUserCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Inventory } from '../../src/model/inventory.js';
import { emulatorEndpoint, resetEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/** No AWS_* variable but the config files: what reaches the emulator comes from the profile alone. */
const bare = (dir: string) => ({
  AWS_ENDPOINT_URL: undefined,
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_CONFIG_FILE: path.join(dir, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
});

const inventoryAt = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Inventory;
const users = (inv: Inventory) => inv.resources.filter((r) => r.type === 'iam.user').map((r) => r.id);

describe('--profile and --role-arn (emulator, built CLI)', () => {
  beforeEach(async () => {
    await resetEmulator();
  });

  it("--profile takes the profile's endpoint_url, region and credentials (keys, or credential_process), as AWS_PROFILE does", async () => {
    await new IAMClient({}).send(new CreateUserCommand({ UserName: 'profile-proof' }));
    const dir = tempDir('rollcall-profile-');
    const creds = path.join(dir, 'creds.mjs');
    writeFileSync(creds, `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'AKIAPROCESS000000001', SecretAccessKey: 'process-dummy-secret' }));\n`);
    writeFileSync(
      path.join(dir, 'config'),
      [
        '[profile moto-keys]',
        'region = eu-west-1',
        `endpoint_url = ${emulatorEndpoint()}`,
        '[profile moto-process]',
        'region = eu-west-1',
        `endpoint_url = ${emulatorEndpoint()}`,
        `credential_process = ${process.execPath} ${creds}`,
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'credentials'), ['[moto-keys]', 'aws_access_key_id = AKIAPROFILEKEYS00001', 'aws_secret_access_key = profile-dummy-secret', ''].join('\n'));

    for (const profile of ['moto-keys', 'moto-process']) {
      const out = path.join(dir, `${profile}.json`);
      const r = await runCli(['--profile', profile, 'collect', '--regions', 'us-east-1', '--out', out], bare(dir));
      expect(r.stderr).not.toContain('cannot identify');
      expect(r.code).toBe(0);
      expect(users(inventoryAt(out))).toContain('profile-proof');
    }

  });

  it('--role-arn assumes the role for the whole run: the inventory is the role account\'s, the caller its session', async () => {
    const ROLE = 'arn:aws:iam::111111111111:role/audit';
    const assumed = (await new STSClient({}).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'seed' }))).Credentials!;
    const other = new IAMClient({ credentials: { accessKeyId: assumed.AccessKeyId!, secretAccessKey: assumed.SecretAccessKey!, sessionToken: assumed.SessionToken! } });
    await other.send(new CreateUserCommand({ UserName: 'in-the-audited-account' }));
    await new IAMClient({}).send(new CreateUserCommand({ UserName: 'in-the-caller-account' }));

    const out = path.join(tempDir('rollcall-role-'), 'inventory.json');
    const r = await runCli(['--role-arn', ROLE, '--external-id', 'ext-0123', '--role-session-name', 'nightly-audit', 'collect', '--regions', 'us-east-1', '--out', out]);
    expect(r.code).toBe(0);
    const inv = inventoryAt(out);
    expect(inv.accountId).toBe('111111111111');
    expect(inv.caller.arn).toBe('arn:aws:sts::111111111111:assumed-role/audit/nightly-audit');
    expect(users(inv)).toContain('in-the-audited-account');
    expect(users(inv)).not.toContain('in-the-caller-account');
  });

  it('bad role options are bad input (exit 2), before any call', async () => {
    const bad = await runCli(['--role-arn', 'arn:aws:iam::111111111111:user/audit', 'collect', '--regions', 'us-east-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--role-arn: must be a role ARN');
    const stray = await runCli(['--external-id', 'ext-0123', 'collect', '--regions', 'us-east-1']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--external-id: only means something with --role-arn');
  });
});
