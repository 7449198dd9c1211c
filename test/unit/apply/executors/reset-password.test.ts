import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GetAccountPasswordPolicyCommand, GetLoginProfileCommand, IAMClient, UpdateLoginProfileCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executor, passwordFile } from '../../../../src/apply/executors/resetLoginProfilePassword.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, randomPassword } from '../../../../src/apply/random-password.js';
import { awsError } from '../../../helpers/regional.js';
import { tempDir } from '../../../helpers/temp.js';
import { context, step, trace } from './context.js';

const iam = mockClient(IAMClient);
const STEP = step('resetLoginProfilePassword', { type: 'iam.loginProfile', id: 'alice', ref: { user: 'alice', passwordLastChanged: '2026-10-01T00:00:00.000Z' } });
const noSuchEntity = () => awsError('NoSuchEntityException', 'Login profile for alice not found', 404);

/** A context writing into a fresh secrets folder. */
function ctx(pending?: Record<string, never>) {
  const c = context();
  return { ...c, secretsDir: path.join(tempDir(), 'secrets'), ...(pending ? { pending } : {}) };
}
const passwordIn = (file: string) => /^password = (\S+)$/m.exec(readFileSync(file, 'utf8'))?.[1];
const sentPassword = () => iam.commandCalls(UpdateLoginProfileCommand).map((c) => c.args[0].input.Password);

beforeEach(() => {
  iam.reset();
  iam.on(GetAccountPasswordPolicyCommand).rejects(awsError('NoSuchEntityException', 'The Password Policy with domain name 123456789012 cannot be found.', 404));
});

describe('randomPassword', () => {
  it('has every class, at least 24 characters, at most 128, and differs each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = randomPassword();
      expect(p).toHaveLength(MIN_PASSWORD_LENGTH);
      for (const re of [/[A-Z]/, /[a-z]/, /[2-9]/, /[!@#$%^&*()_+\-=[\]{}|]/]) expect(p).toMatch(re);
      expect(p).toMatch(/^[A-Za-z0-9!@#$%^&*()_+\-=[\]{}|]+$/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
    expect(randomPassword(6)).toHaveLength(MIN_PASSWORD_LENGTH);
    expect(randomPassword(60)).toHaveLength(60);
    expect(randomPassword(500)).toHaveLength(MAX_PASSWORD_LENGTH);
  });
});

describe('resetLoginProfilePassword', () => {
  it('observes the login profile', async () => {
    iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'alice', CreateDate: new Date('2026-01-01T00:00:00Z'), PasswordResetRequired: false } });
    expect(await executor.observe(STEP, ctx())).toEqual({ exists: true, props: { user: 'alice', createDate: '2026-01-01T00:00:00.000Z', passwordResetRequired: false } });
  });

  it("writes the password (the policy's length) before IAM gets it, with reset required; logs only the file", async () => {
    iam.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: { MinimumPasswordLength: 50 } });
    const c = ctx();
    const file = passwordFile(c.secretsDir, 'alice');
    iam.on(UpdateLoginProfileCommand).callsFake(() => {
      // the intent is on disk, and so is the password, when the call is made
      expect(c.intents).toEqual([null]);
      expect(passwordIn(file)).toHaveLength(50);
      return {};
    });
    expect(await executor.run(STEP, c)).toEqual({ result: 'done' });
    const password = passwordIn(file)!;
    expect(sentPassword()).toEqual([password]);
    expect(iam.commandCalls(UpdateLoginProfileCommand)[0]!.args[0].input).toMatchObject({ UserName: 'alice', PasswordResetRequired: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(c.secretsDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toContain('user = alice\nset_at = 2026-11-22T12:00:00.000Z\n');
    expect(c.logs).toEqual([`set a new console password for user alice, to be changed at the first sign-in; it is in ${file} (mode 0600)`]);
    expect(trace(iam)).toEqual(['GetAccountPasswordPolicy', `UpdateLoginProfile alice ${password} true`]);
  });

  it('a refused call leaves no file, and its error carries no password', async () => {
    iam.on(UpdateLoginProfileCommand).rejects(awsError('PasswordPolicyViolationException', 'Password does not conform to the account password policy.', 400));
    const c = ctx();
    const err = (await executor.run(STEP, c).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('could not set a new console password for user alice (PasswordPolicyViolationException); the old password still stands');
    expect(err.message).not.toContain(sentPassword()[0]!);
    expect(readdirSync(c.secretsDir)).toEqual([]);
  });

  it('a user whose password is gone: nothing to reset, no file', async () => {
    iam.on(UpdateLoginProfileCommand).rejects(noSuchEntity());
    const c = ctx();
    expect(await executor.run(STEP, c)).toEqual({ result: 'already' });
    expect(readdirSync(c.secretsDir)).toEqual([]);
  });

  it("takes a newer earlier run's file for the reset, and refuses an older or incomplete one", async () => {
    const c = ctx();
    const file = passwordFile(c.secretsDir, 'alice');
    mkdirSync(c.secretsDir, { recursive: true });
    writeFileSync(file, 'user = alice\nset_at = 2026-11-21T00:00:00.000Z\npassword = Xy3!Xy3!Xy3!Xy3!Xy3!Xy3!\n', { mode: 0o600 });
    expect(await executor.run(STEP, c)).toEqual({ result: 'already' });
    expect(c.logs).toEqual([`the console password of user alice was reset by an earlier run at 2026-11-21T00:00:00.000Z; it is in ${file} (mode 0600)`]);

    writeFileSync(file, 'user = alice\nset_at = 2026-09-01T00:00:00.000Z\npassword = Xy3!Xy3!Xy3!Xy3!Xy3!Xy3!\n');
    await expect(executor.run(STEP, c)).rejects.toThrow(
      `${file} already exists and holds a password set 2026-09-01T00:00:00.000Z, before the password the plan saw (changed 2026-10-01T00:00:00.000Z): move the file away and apply again`,
    );
    writeFileSync(file, '');
    await expect(executor.run(STEP, c)).rejects.toThrow('holds no complete password');
    expect(iam.commandCalls(UpdateLoginProfileCommand)).toEqual([]);
    expect(c.intents).toEqual([]);
  });

  it('resumes a killed run with a new password: whether or not the old file made it to IAM, the new one does', async () => {
    iam.on(UpdateLoginProfileCommand).resolves({});
    const c = ctx({});
    const file = passwordFile(c.secretsDir, 'alice');
    mkdirSync(c.secretsDir, { recursive: true });
    writeFileSync(file, 'user = alice\nset_at = 2026-11-22T11:00:00.000Z\npassword = Killed3!Killed3!Killed3!\n', { mode: 0o600 });
    expect(await executor.run(STEP, c)).toEqual({ result: 'done' });
    const password = passwordIn(file)!;
    expect(password).not.toBe('Killed3!Killed3!Killed3!');
    expect(sentPassword()).toEqual([password]);
    expect(existsSync(file)).toBe(true);
  });

  it('is irreversible: no undo', () => {
    expect(executor.undo).toBeUndefined();
  });
});
