/**
 * createReplacementKey records the pair on the user, in the same step, right
 * after CreateAccessKey: `rollcall:replacement:<new key>` = the key it
 * replaces. The planner trusts the new key as the replacement only through
 * that tag (or the baseline), so a key whose tag cannot be written is deleted
 * again; undo, and deleting the key later, remove the tag.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UntagUserCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executor as createReplacementKey, replacementKeyFile } from '../../../../src/apply/executors/createReplacementKey.js';
import { executor as deleteAccessKey } from '../../../../src/apply/executors/deleteAccessKey.js';
import { awsError, SECRET_LIKE } from '../../../helpers/regional.js';
import { tempDir } from '../fakes.js';
import { context, step, trace } from './context.js';

const iam = mockClient(IAMClient);
const EXPOSED = 'AKIAEXPOSED000000001';
const NEW = 'AKIANEWKEY0000000001';
const TAG = `rollcall:replacement:${NEW}`;
const CREATED = new Date('2026-11-01T00:00:00Z');
const create = step('createReplacementKey', { type: 'iam.accessKey', id: 'new:mallory', ref: { user: 'mallory' } });
const inDir = () => ({ ...context(), secretsDir: path.join(tempDir(), 'secrets') });
const listing = (...ids: string[]) => ({ AccessKeyMetadata: ids.map((id) => ({ UserName: 'mallory', AccessKeyId: id, Status: 'Active' as const, CreateDate: CREATED })) });
const tagged = () => iam.commandCalls(TagUserCommand).map((c) => c.args[0].input);

beforeEach(() => {
  iam.reset();
  iam.on(CreateAccessKeyCommand).resolves({ AccessKey: { UserName: 'mallory', AccessKeyId: NEW, SecretAccessKey: SECRET_LIKE, Status: 'Active', CreateDate: CREATED } });
  iam.on(ListAccessKeysCommand).resolves(listing(EXPOSED, NEW));
});

describe('createReplacementKey records the pair on the user', () => {
  it('right after CreateAccessKey: rollcall:replacement:<new key> = the key it replaces, the secret never in the tag or the log', async () => {
    iam.on(TagUserCommand).resolves({});
    const ctx = inDir();
    const outcome = await createReplacementKey.run(create, ctx);
    expect(outcome.result).toBe('done');
    expect(tagged()).toEqual([{ UserName: 'mallory', Tags: [{ Key: TAG, Value: EXPOSED }] }]);
    const calls = trace(iam).map((c) => c.split(' ')[0]);
    expect(calls.indexOf('TagUser')).toBeGreaterThan(calls.indexOf('CreateAccessKey'));
    expect(calls.filter((c) => c === 'CreateAccessKey')).toHaveLength(1);
    expect(ctx.logs).toContain(`tagged user mallory with ${TAG}=${EXPOSED}`);
    expect(JSON.stringify(tagged()) + ctx.logs.join('\n')).not.toContain(SECRET_LIKE);
  });

  it('a user with no other key gets the tag with an empty value: the new key replaces none', async () => {
    iam.on(ListAccessKeysCommand).resolves(listing(NEW));
    iam.on(TagUserCommand).resolves({});
    await createReplacementKey.run(create, inDir());
    expect(tagged()).toEqual([{ UserName: 'mallory', Tags: [{ Key: TAG, Value: '' }] }]);
  });

  it('when the tag cannot be written (50 tags already), the new key and its file are removed again and the error says why', async () => {
    iam.on(TagUserCommand).rejects(awsError('LimitExceeded', 'Cannot exceed quota for TagsPerUser: 50', 409));
    iam.on(DeleteAccessKeyCommand).resolves({});
    const ctx = inDir();
    await expect(createReplacementKey.run(create, ctx)).rejects.toThrow(
      `could not tag user mallory with ${TAG} (LimitExceeded; IAM allows 50 tags a user), which tells the next plan that rollcall made the key: the new key ${NEW} was deleted again`,
    );
    expect(iam.commandCalls(DeleteAccessKeyCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'mallory', AccessKeyId: NEW }]);
    expect(existsSync(replacementKeyFile(ctx.secretsDir, 'mallory'))).toBe(false);
  });

  it('run again after a stop between the key and its tag: the tag is written then; an existing tag is never overwritten', async () => {
    iam.on(TagUserCommand).resolves({});
    const ctx = inDir();
    mkdirSync(ctx.secretsDir, { recursive: true });
    const file = replacementKeyFile(ctx.secretsDir, 'mallory');
    writeFileSync(file, `[mallory]\naws_access_key_id = ${NEW}\naws_secret_access_key = ${SECRET_LIKE}\n`, { mode: 0o600 });

    iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: 'team', Value: 'x' }] });
    expect(await createReplacementKey.run(create, ctx)).toEqual({ result: 'already', undo: { user: 'mallory', accessKeyId: NEW, file } });
    expect(tagged()).toEqual([{ UserName: 'mallory', Tags: [{ Key: TAG, Value: EXPOSED }] }]);
    expect(ctx.intents).toEqual([{ user: 'mallory', accessKeyId: NEW, file }]); // journaled before the tag, as every change

    iam.resetHistory();
    ctx.intents.length = 0;
    iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: TAG, Value: EXPOSED }] });
    iam.on(ListAccessKeysCommand).resolves(listing(NEW)); // the exposed key was deleted since: the tag still names it
    expect((await createReplacementKey.run(create, ctx)).result).toBe('already');
    expect(tagged()).toEqual([]);
    expect(ctx.intents).toEqual([]);
    expect(iam.commandCalls(CreateAccessKeyCommand)).toHaveLength(0);
  });

  it('undo deletes the key, its file and its tag', async () => {
    iam.on(DeleteAccessKeyCommand).resolves({});
    iam.on(UntagUserCommand).resolves({});
    const ctx = inDir();
    mkdirSync(ctx.secretsDir, { recursive: true });
    const file = replacementKeyFile(ctx.secretsDir, 'mallory');
    writeFileSync(file, 'x');
    await createReplacementKey.undo!(create, { user: 'mallory', accessKeyId: NEW, file }, ctx);
    expect(iam.commandCalls(UntagUserCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'mallory', TagKeys: [TAG] }]);
    expect(existsSync(file)).toBe(false);
  });

  it('deleting the key later removes its pair tag with its deactivation tag', async () => {
    iam.on(DeleteAccessKeyCommand).resolves({});
    iam.on(UntagUserCommand).resolves({});
    const del = step('deleteAccessKey', { type: 'iam.accessKey', id: NEW, ref: { user: 'mallory' } });
    await deleteAccessKey.run(del, context());
    expect(iam.commandCalls(UntagUserCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'mallory', TagKeys: [`rollcall:deactivated:${NEW}`, TAG] }]);
  });
});
