/**
 * The global options that choose an identity: the region as the SDK finds it
 * for a profile, and the role options checked before any call.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { makeClients, parseAssumeRole, profileRegion } from '../../../src/commands/options.js';
import { tempDir } from '../../helpers/temp.js';

function configFile(): string {
  const file = path.join(tempDir('rollcall-profile-'), 'config');
  writeFileSync(file, ['[default]', 'region = ap-south-1', '[profile eu]', 'region = eu-west-1', '[profile none]', 'output = json', ''].join('\n'));
  return file;
}

describe('the region of a profile', () => {
  afterEach(() => vi.unstubAllEnvs());

  it("AWS_REGION first, then the profile's region (the named one, or AWS_PROFILE's, or default); none when neither says", async () => {
    vi.stubEnv('AWS_CONFIG_FILE', configFile());
    vi.stubEnv('AWS_REGION', 'ca-central-1');
    expect(await profileRegion('eu')).toBe('ca-central-1');
    vi.stubEnv('AWS_REGION', undefined);
    expect(await profileRegion('eu')).toBe('eu-west-1');
    expect(await profileRegion('none')).toBeUndefined();
    expect(await profileRegion(undefined)).toBe('ap-south-1');
    vi.stubEnv('AWS_PROFILE', 'eu');
    expect(await profileRegion(undefined)).toBe('eu-west-1');
  });

  it('--region wins over the profile; without either the clients use the default region', async () => {
    vi.stubEnv('AWS_CONFIG_FILE', configFile());
    vi.stubEnv('AWS_REGION', undefined);
    const regionOf = async (g: Parameters<typeof makeClients>[0]) => {
      const c = await makeClients(g);
      c.destroy();
      return c.options.region;
    };
    expect(await regionOf({ profile: 'eu' })).toBe('eu-west-1');
    expect(await regionOf({ profile: 'eu', region: 'us-west-2' })).toBe('us-west-2');
    expect(await regionOf({ profile: 'none' })).toBe('us-east-1');
  });
});

describe('--role-arn, --external-id, --role-session-name', () => {
  const problem = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).message;
    }
    throw new Error('no error');
  };

  it('a role ARN with its session name (rollcall by default) and external id', () => {
    expect(parseAssumeRole({})).toBeUndefined();
    expect(parseAssumeRole({ roleArn: 'arn:aws:iam::111111111111:role/ops/audit' })).toEqual({ roleArn: 'arn:aws:iam::111111111111:role/ops/audit', sessionName: 'rollcall' });
    expect(parseAssumeRole({ roleArn: 'arn:aws-us-gov:iam::111111111111:role/audit', externalId: 'ext-0123', roleSessionName: 'ci@main' })).toEqual({
      roleArn: 'arn:aws-us-gov:iam::111111111111:role/audit',
      externalId: 'ext-0123',
      sessionName: 'ci@main',
    });
  });

  it('anything else is bad input that names the option, and never echoes the external id', () => {
    expect(problem(() => parseAssumeRole({ roleArn: 'arn:aws:iam::111111111111:user/audit' }))).toContain('--role-arn: must be a role ARN');
    expect(problem(() => parseAssumeRole({ roleArn: 'audit' }))).toContain('--role-arn');
    expect(problem(() => parseAssumeRole({ roleArn: 'arn:aws:iam::111111111111:role/audit', roleSessionName: 'has space' }))).toContain('--role-session-name');
    const ext = problem(() => parseAssumeRole({ roleArn: 'arn:aws:iam::111111111111:role/audit', externalId: 'secret ish' }));
    expect(ext).toContain('--external-id');
    expect(ext).not.toContain('secret ish');
    expect(problem(() => parseAssumeRole({ externalId: 'ext-0123' }))).toContain('--external-id: only means something with --role-arn');
    expect(problem(() => parseAssumeRole({ roleSessionName: 'x1' }))).toContain('--role-session-name: only means something with --role-arn');
  });
});
