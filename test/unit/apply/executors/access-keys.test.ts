import { readFileSync, statSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { executor as createReplacementKey, replacementKeyFile } from '../../../../src/apply/executors/createReplacementKey.js';
import { executor as deactivateAccessKey } from '../../../../src/apply/executors/deactivateAccessKey.js';
import { executor as deleteAccessKey } from '../../../../src/apply/executors/deleteAccessKey.js';
import { executor as deleteLoginProfile } from '../../../../src/apply/executors/deleteLoginProfile.js';
import { awsError, SECRET_LIKE } from '../../../helpers/regional.js';
import { tempDir } from '../fakes.js';
import { context, step, trace } from './context.js';

const iam = mockClient(IAMClient);
const KEY = 'AKIAMALLORY000000001';
const KEY_STEP = step('deactivateAccessKey', { type: 'iam.accessKey', id: KEY, ref: { user: 'mallory' } });
const CREATED = new Date('2026-11-01T00:00:00Z');
const keys = (status: 'Active' | 'Inactive') => ({ AccessKeyMetadata: [{ UserName: 'mallory', AccessKeyId: KEY, Status: status, CreateDate: CREATED }] });
const noSuchEntity = () => awsError('NoSuchEntityException', 'The user with name mallory cannot be found.', 404);

const TAG = `rollcall:deactivated:${KEY}`;
const CLOCK = new Date('2026-11-23T08:30:00Z');

beforeEach(() => {
  iam.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(CLOCK);
});
afterEach(() => vi.useRealTimers());

describe('deactivateAccessKey', () => {
  it('observes the key with its status, user and last use, and when rollcall deactivated it (its user\'s tag)', async () => {
    iam.on(ListAccessKeysCommand).resolves(keys('Active'));
    iam.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { LastUsedDate: new Date('2026-11-20T00:00:00Z'), ServiceName: 's3', Region: 'us-east-1' } });
    iam.on(ListUserTagsCommand).resolvesOnce({ Tags: [{ Key: 'team', Value: 'x' }] }).resolvesOnce({ Tags: [{ Key: TAG, Value: '2026-11-21T00:00:00.000Z' }] });
    const props = {
      user: 'mallory',
      status: 'Active',
      createDate: CREATED.toISOString(),
      lastUsedDate: '2026-11-20T00:00:00.000Z',
      lastUsedService: 's3',
      lastUsedRegion: 'us-east-1',
      lastActivity: '2026-11-20T00:00:00.000Z',
    };
    expect(await deactivateAccessKey.observe(KEY_STEP, context())).toEqual({ exists: true, props: { ...props, deactivatedAt: null } });
    expect(await deleteAccessKey.observe(KEY_STEP, context())).toEqual({ exists: true, props: { ...props, deactivatedAt: '2026-11-21T00:00:00.000Z' } });
  });

  it('deactivates an active key, then tags its user with the time; undo reactivates it and removes the tag', async () => {
    iam.on(ListAccessKeysCommand).resolves(keys('Active'));
    iam.on(UpdateAccessKeyCommand).resolves({});
    iam.on(TagUserCommand).resolves({});
    iam.on(UntagUserCommand).resolves({});
    const ctx = context();
    const outcome = await deactivateAccessKey.run(KEY_STEP, ctx);
    expect(outcome).toEqual({ result: 'done', undo: { user: 'mallory', accessKeyId: KEY } });
    await deactivateAccessKey.undo!(KEY_STEP, outcome.undo!, ctx);
    expect(trace(iam)).toEqual([
      'ListAccessKeys mallory',
      `UpdateAccessKey mallory ${KEY} Inactive`,
      'TagUser mallory [object Object]',
      `UpdateAccessKey mallory ${KEY} Active`,
      `UntagUser mallory ${TAG}`,
    ]);
    expect(iam.commandCalls(TagUserCommand)[0]!.args[0].input.Tags).toEqual([{ Key: TAG, Value: CLOCK.toISOString() }]);
    expect(ctx.logs).toEqual([`tagged user mallory with ${TAG}=${CLOCK.toISOString()}`, `reactivated access key ${KEY} of user mallory, and removed its tag ${TAG}`]);
  });

  it('undo of a key whose user is gone says gone; a tag already gone is fine', async () => {
    iam.on(UpdateAccessKeyCommand).resolves({});
    iam.on(UntagUserCommand).rejects(noSuchEntity());
    expect(await deactivateAccessKey.undo!(KEY_STEP, { user: 'mallory', accessKeyId: KEY }, context())).toBe('undone');
    iam.on(UpdateAccessKeyCommand).rejects(noSuchEntity());
    expect(await deactivateAccessKey.undo!(KEY_STEP, { user: 'mallory', accessKeyId: KEY }, context())).toBe('gone');
  });

  it('journals its intent, with the key to reactivate, before it deactivates', async () => {
    iam.on(ListAccessKeysCommand).resolves(keys('Active'));
    iam.on(UpdateAccessKeyCommand).callsFake(async () => {
      expect(ctx.intents).toEqual([{ user: 'mallory', accessKeyId: KEY }]);
      return {};
    });
    iam.on(TagUserCommand).resolves({});
    const ctx = context();
    expect(await deactivateAccessKey.run(KEY_STEP, ctx)).toEqual({ result: 'done', undo: { user: 'mallory', accessKeyId: KEY } });
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
  });

  it('an inactive key is already done; its user is tagged now only if the tag is missing', async () => {
    iam.on(ListAccessKeysCommand).resolves(keys('Inactive'));
    iam.on(ListUserTagsCommand).resolvesOnce({ Tags: [{ Key: TAG, Value: '2026-11-01T00:00:00.000Z' }] }).resolvesOnce({ Tags: [] });
    iam.on(TagUserCommand).resolves({});
    expect(await deactivateAccessKey.run(KEY_STEP, context())).toEqual({ result: 'already' });
    expect(await deactivateAccessKey.run(KEY_STEP, context())).toEqual({ result: 'already' });
    expect(trace(iam).filter((c) => !c.startsWith('TagUser'))).toEqual(['ListAccessKeys mallory', 'ListUserTags mallory', 'ListAccessKeys mallory', 'ListUserTags mallory']);
    expect(iam.commandCalls(TagUserCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'mallory', Tags: [{ Key: TAG, Value: CLOCK.toISOString() }] }]);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
  });

  it('is already done when the key or its user is gone (NoSuchEntity), and tags nothing', async () => {
    iam.on(ListAccessKeysCommand).resolvesOnce({ AccessKeyMetadata: [] }).rejectsOnce(noSuchEntity());
    for (let i = 0; i < 2; i++) expect(await deactivateAccessKey.run(KEY_STEP, context())).toEqual({ result: 'already' });
    expect(trace(iam)).toEqual(['ListAccessKeys mallory', 'ListAccessKeys mallory']);
  });

  it('is already done when the key vanishes between the read and the update', async () => {
    iam.on(ListAccessKeysCommand).resolves(keys('Active'));
    iam.on(UpdateAccessKeyCommand).rejects(noSuchEntity());
    expect(await deactivateAccessKey.run(KEY_STEP, context())).toEqual({ result: 'already' });
    expect(iam.commandCalls(TagUserCommand)).toHaveLength(0);
  });

  it('observes a key whose user is gone as not existing, and lets AccessDenied through', async () => {
    iam.on(ListAccessKeysCommand).rejectsOnce(noSuchEntity()).rejectsOnce(awsError('AccessDenied', 'not allowed'));
    expect(await deactivateAccessKey.observe(KEY_STEP, context())).toEqual({ exists: false, props: {} });
    await expect(deactivateAccessKey.observe(KEY_STEP, context())).rejects.toThrow('not allowed');
  });

  it('needs the key’s user in the target', async () => {
    const bare = step('deactivateAccessKey', { type: 'iam.accessKey', id: KEY });
    await expect(deactivateAccessKey.run(bare, context())).rejects.toThrow('does not say which user the key belongs to');
  });
});

describe('deleteAccessKey and deleteLoginProfile', () => {
  it('delete, and count NoSuchEntity as already done; they cannot be undone', async () => {
    iam.on(DeleteAccessKeyCommand).resolvesOnce({}).rejectsOnce(noSuchEntity());
    expect(await deleteAccessKey.run(KEY_STEP, context())).toEqual({ result: 'done' });
    expect(await deleteAccessKey.run(KEY_STEP, context())).toEqual({ result: 'already' });
    const lp = step('deleteLoginProfile', { type: 'iam.loginProfile', id: 'mallory', ref: { user: 'mallory' } });
    iam.on(DeleteLoginProfileCommand).resolvesOnce({}).rejectsOnce(noSuchEntity());
    expect(await deleteLoginProfile.run(lp, context())).toEqual({ result: 'done' });
    expect(await deleteLoginProfile.run(lp, context())).toEqual({ result: 'already' });
    expect(deleteAccessKey.undo).toBeUndefined();
    expect(deleteLoginProfile.undo).toBeUndefined();
  });

  it('deleteLoginProfile observes the password, or its absence', async () => {
    const lp = step('deleteLoginProfile', { type: 'iam.loginProfile', id: 'mallory', ref: { user: 'mallory' } });
    iam.on(GetLoginProfileCommand).resolvesOnce({ LoginProfile: { UserName: 'mallory', CreateDate: CREATED, PasswordResetRequired: false } }).rejectsOnce(noSuchEntity());
    expect(await deleteLoginProfile.observe(lp, context())).toEqual({ exists: true, props: { user: 'mallory', createDate: CREATED.toISOString(), passwordResetRequired: false } });
    expect(await deleteLoginProfile.observe(lp, context())).toEqual({ exists: false, props: {} });
  });

  it("deleting a key also removes its user's deactivation tag, even when the key was already gone", async () => {
    iam.on(DeleteAccessKeyCommand).resolvesOnce({}).rejectsOnce(noSuchEntity());
    iam.on(UntagUserCommand).resolvesOnce({}).rejectsOnce(noSuchEntity());
    expect(await deleteAccessKey.run(KEY_STEP, context())).toEqual({ result: 'done' });
    expect(await deleteAccessKey.run(KEY_STEP, context())).toEqual({ result: 'already' });
    expect(iam.commandCalls(UntagUserCommand).map((c) => c.args[0].input)).toEqual([
      { UserName: 'mallory', TagKeys: [TAG, `rollcall:replacement:${KEY}`] },
      { UserName: 'mallory', TagKeys: [TAG, `rollcall:replacement:${KEY}`] },
    ]);
  });

  it('a refusal other than NoSuchEntity propagates', async () => {
    iam.on(DeleteAccessKeyCommand).rejects(awsError('AccessDenied', 'denied'));
    await expect(deleteAccessKey.run(KEY_STEP, context())).rejects.toThrow('denied');
  });
});

describe('createReplacementKey', () => {
  const NEW = 'AKIANEWKEY0000000001';
  const create = step('createReplacementKey', { type: 'iam.accessKey', id: 'new:mallory', ref: { user: 'mallory' } });
  const inDir = () => ({ ...context(), secretsDir: path.join(tempDir(), 'secrets') });

  it('writes the new key and its secret to a new 0600 file; undo data and logs hold only the id and the path', async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    iam.on(CreateAccessKeyCommand).resolves({ AccessKey: { UserName: 'mallory', AccessKeyId: NEW, SecretAccessKey: SECRET_LIKE, Status: 'Active' } });
    const ctx = inDir();
    const outcome = await createReplacementKey.run(create, ctx);
    const file = replacementKeyFile(ctx.secretsDir, 'mallory');
    expect(outcome).toEqual({ result: 'done', undo: { user: 'mallory', accessKeyId: NEW, file } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(ctx.secretsDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toContain(`[mallory]\naws_access_key_id = ${NEW}\naws_secret_access_key = ${SECRET_LIKE}\n`);
    expect(JSON.stringify(outcome) + ctx.logs.join('\n')).not.toContain(SECRET_LIKE);
  });

  it('run again, finds its file and the key it names: already (with undo data: rollcall made that key)', async () => {
    iam.on(CreateAccessKeyCommand).resolves({ AccessKey: { UserName: 'mallory', AccessKeyId: NEW, SecretAccessKey: SECRET_LIKE, Status: 'Active' } });
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ UserName: 'mallory', AccessKeyId: NEW, Status: 'Active', CreateDate: CREATED }] });
    const ctx = inDir();
    await createReplacementKey.run(create, ctx);
    const file = replacementKeyFile(ctx.secretsDir, 'mallory');
    expect(await createReplacementKey.run(create, ctx)).toEqual({ result: 'already', undo: { user: 'mallory', accessKeyId: NEW, file } });
    expect(iam.commandCalls(CreateAccessKeyCommand)).toHaveLength(1);
  });

  it('refuses to guess when its file is there but empty (a run died between claiming the file and writing it)', async () => {
    const ctx = inDir();
    mkdirSync(ctx.secretsDir, { recursive: true });
    writeFileSync(replacementKeyFile(ctx.secretsDir, 'mallory'), '');
    await expect(createReplacementKey.run(create, ctx)).rejects.toThrow(/already exists and holds no access key .* check the access keys of user mallory, then move the file away/);
    expect(iam.commandCalls(CreateAccessKeyCommand)).toHaveLength(0);
  });

  it('leaves no file behind when AWS refuses; says so plainly when the user already has two keys', async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    iam.on(CreateAccessKeyCommand).rejects(awsError('LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2', 409));
    const ctx = inDir();
    await expect(createReplacementKey.run(create, ctx)).rejects.toThrow('user mallory already has two access keys, the most AWS allows: remove one first');
    expect(existsSync(replacementKeyFile(ctx.secretsDir, 'mallory'))).toBe(false);
  });

  it('observes the user the key is for; undo deletes the key and its file (a key already gone is fine)', async () => {
    iam.on(GetUserCommand).rejects(noSuchEntity());
    expect(await createReplacementKey.observe(create, context())).toEqual({ exists: false, props: {} });
    const ctx = inDir();
    mkdirSync(ctx.secretsDir, { recursive: true });
    const file = replacementKeyFile(ctx.secretsDir, 'mallory');
    writeFileSync(file, 'x');
    iam.on(DeleteAccessKeyCommand).rejects(noSuchEntity());
    expect(await createReplacementKey.undo!(create, { user: 'mallory', accessKeyId: NEW, file }, ctx)).toBe('gone');
    expect(existsSync(file)).toBe(false);
  });

  it('journals the keys the user had before it creates one: a killed run is settled from them', async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ UserName: 'mallory', AccessKeyId: KEY, Status: 'Active', CreateDate: CREATED }] });
    const ctx = inDir();
    iam.on(CreateAccessKeyCommand).callsFake(async () => {
      expect(ctx.intents).toEqual([{ user: 'mallory', file: replacementKeyFile(ctx.secretsDir, 'mallory'), keysBefore: [KEY] }]);
      return { AccessKey: { UserName: 'mallory', AccessKeyId: NEW, SecretAccessKey: SECRET_LIKE, Status: 'Active' } };
    });
    expect(await createReplacementKey.run(create, ctx)).toMatchObject({ result: 'done', undo: { accessKeyId: NEW } });
    expect(iam.commandCalls(CreateAccessKeyCommand)).toHaveLength(1);
  });

  it('settling a run killed after CreateAccessKey and before the secret was saved: the orphan key is deleted and a new one made', async () => {
    const ORPHAN = 'AKIAORPHAN0000000001';
    const ctx = inDir();
    mkdirSync(ctx.secretsDir, { recursive: true });
    const file = replacementKeyFile(ctx.secretsDir, 'mallory');
    writeFileSync(file, ''); // claimed, never written
    iam.on(ListAccessKeysCommand)
      .resolvesOnce({ AccessKeyMetadata: [KEY, ORPHAN].map((AccessKeyId) => ({ UserName: 'mallory', AccessKeyId, Status: 'Active', CreateDate: CREATED })) })
      .resolves({ AccessKeyMetadata: [{ UserName: 'mallory', AccessKeyId: KEY, Status: 'Active', CreateDate: CREATED }] });
    iam.on(DeleteAccessKeyCommand).resolves({});
    iam.on(CreateAccessKeyCommand).resolves({ AccessKey: { UserName: 'mallory', AccessKeyId: NEW, SecretAccessKey: SECRET_LIKE, Status: 'Active' } });
    const outcome = await createReplacementKey.run(create, { ...ctx, pending: { user: 'mallory', file, keysBefore: [KEY] } });
    expect(outcome).toEqual({ result: 'done', undo: { user: 'mallory', accessKeyId: NEW, file } });
    expect(iam.commandCalls(DeleteAccessKeyCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'mallory', AccessKeyId: ORPHAN }]);
    expect(readFileSync(file, 'utf8')).toContain(`aws_access_key_id = ${NEW}`);
  });

  it('settling a run killed after the secret was saved: that key is the replacement, nothing is created', async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ UserName: 'mallory', AccessKeyId: NEW, Status: 'Active', CreateDate: CREATED }] });
    const ctx = inDir();
    mkdirSync(ctx.secretsDir, { recursive: true });
    const file = replacementKeyFile(ctx.secretsDir, 'mallory');
    writeFileSync(file, `[mallory]\naws_access_key_id = ${NEW}\naws_secret_access_key = ${SECRET_LIKE}\n`);
    expect(await createReplacementKey.run(create, { ...ctx, pending: { user: 'mallory', file, keysBefore: [] } })).toEqual({ result: 'already', undo: { user: 'mallory', accessKeyId: NEW, file } });
    expect(iam.commandCalls(CreateAccessKeyCommand)).toHaveLength(0);
    expect(iam.commandCalls(DeleteAccessKeyCommand)).toHaveLength(0);
  });
});
