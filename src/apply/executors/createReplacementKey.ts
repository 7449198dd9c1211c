import { closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { CreateAccessKeyCommand, DeleteAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { ExecContext, Executor, StepOutcome } from '../executor.js';
import { changed } from '../iam/errors.js';
import { findAccessKey, observeUser } from '../iam/observe.js';
import { accessKeyOf } from '../iam/target.js';
import { recordedString } from '../recorded.js';

/** Where a user's replacement key goes: one file per user, so a rerun finds it. */
export function replacementKeyFile(secretsDir: string, user: string): string {
  return path.join(secretsDir, `${user}.replacement.credentials`);
}

function credentialsText(user: string, keyId: string, secret: string, now: Date): string {
  return [
    `# rollcall: a replacement access key for IAM user ${user}, created ${now.toISOString()}.`,
    '# Switch the application to it, then delete this file. Shared credentials file format.',
    `[${user}]`,
    `aws_access_key_id = ${keyId}`,
    `aws_secret_access_key = ${secret}`,
    '',
  ].join('\n');
}

/** A file left by an earlier run: the key it names, if that key still exists, is this step's replacement. */
async function earlier(iam: IAMClient, file: string, user: string): Promise<StepOutcome> {
  const keyId = /^aws_access_key_id\s*=\s*(\S+)\s*$/m.exec(readFileSync(file, 'utf8'))?.[1];
  if (keyId && (await findAccessKey(iam, user, keyId))) return { result: 'already', undo: { user, accessKeyId: keyId, file } };
  const why = keyId ? `names access key ${keyId}, which user ${user} no longer has` : 'holds no access key (an earlier run was interrupted while creating it)';
  throw new Error(`${file} already exists and ${why}: check the access keys of user ${user}, then move the file away and apply again`);
}

async function create(iam: IAMClient, ctx: ExecContext, file: string, user: string): Promise<StepOutcome> {
  mkdirSync(ctx.secretsDir, { recursive: true, mode: 0o700 });
  // The file is claimed before the key exists: a crash leaves an empty file to explain, never a key whose secret nobody saw.
  const fd = openSync(file, 'wx', 0o600);
  let keyId: string | undefined;
  try {
    fchmodSync(fd, 0o600);
    const got = await iam.send(new CreateAccessKeyCommand({ UserName: user })).catch((err: unknown) => {
      if ((err as { name?: string }).name === 'LimitExceeded') throw new Error(`user ${user} already has two access keys, the most AWS allows: remove one first`);
      throw err;
    });
    keyId = got.AccessKey?.AccessKeyId;
    const secret = got.AccessKey?.SecretAccessKey;
    if (!keyId || !secret) throw new Error('CreateAccessKey answered without a key');
    writeSync(fd, credentialsText(user, keyId, secret, ctx.now));
    fsyncSync(fd);
    closeSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(file, { force: true });
    if (keyId) await changed(iam.send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: keyId }))).catch(() => false);
    throw err;
  }
  ctx.log(`created access key ${keyId} for user ${user}; its secret is in ${file} (mode 0600)`);
  return { result: 'done', undo: { user, accessKeyId: keyId, file } };
}

/**
 * Creates a replacement access key for a user whose key is exposed (the step's
 * target is the key to be: `new:USER`, with `ref.user`). The secret is
 * written to a new file in the secrets folder, mode 0600, and nowhere else: it
 * is never logged, printed, returned or journaled. Undo deletes the new key and its file.
 */
export const executor: Executor = {
  /** The key does not exist yet: its user is what must still be there. */
  observe: (step, ctx) => observeUser(ctx.clients.iam(), accessKeyOf(step).user),

  run(step, ctx) {
    const { user } = accessKeyOf(step);
    const file = replacementKeyFile(ctx.secretsDir, user);
    const iam = ctx.clients.iam();
    return existsSync(file) ? earlier(iam, file, user) : create(iam, ctx, file, user);
  },

  async undo(_step, recorded, ctx) {
    const user = recordedString(recorded, 'user');
    const accessKeyId = recordedString(recorded, 'accessKeyId');
    await changed(ctx.clients.iam().send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: accessKeyId })));
    if (typeof recorded.file === 'string') rmSync(recorded.file, { force: true });
    ctx.log(`deleted the replacement access key ${accessKeyId} of user ${user}`);
  },
};
