import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CreateAccessKeyCommand, DeleteAccessKeyCommand, ListAccessKeysCommand, ListUserTagsCommand, TagUserCommand, UntagUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { replacementTag } from '../../model/iam-props.js';
import type { ExecContext, Executor, ReversibleExecutor, StepOutcome } from '../executor.js';
import { changed, unlessGone } from '../iam/errors.js';
import { listKeys } from '../../answers/iam-reads.js';
import { findAccessKey, observeUser } from '../iam/observe.js';
import { accessKeyOf } from '../iam/target.js';
import { recordedString } from '../recorded.js';
import { claimSecretFile } from '../secret-file.js';
import type { Plain } from '../../model/resource.js';

/** The key id line of a credentials file this executor wrote (`credentialsText`). */
const KEY_ID_LINE = /^aws_access_key_id\s*=\s*(\S+)\s*$/m;

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

/**
 * Records the pair on the user in the step that creates the key (IAM keys
 * cannot be tagged; users can): `rollcall:replacement:<new key>` = the key it
 * replaces, the user's other key ('' when it has none). A plan trusts a key on
 * a rotated key's user as the replacement only when the baseline declares it
 * or this tag names the pair: without it, the next plan would take the new key
 * for a stranger's.
 */
async function recordPair(iam: IAMClient, ctx: ExecContext, user: string, keyId: string): Promise<void> {
  const listed = await iam.send(new ListAccessKeysCommand({ UserName: user }));
  const replaced = (listed?.AccessKeyMetadata ?? []).map((k) => k.AccessKeyId ?? '').filter((id) => id !== '' && id !== keyId).sort().join(' ');
  await iam.send(new TagUserCommand({ UserName: user, Tags: [{ Key: replacementTag(keyId), Value: replaced }] }));
  ctx.log(`tagged user ${user} with ${replacementTag(keyId)}=${replaced}`);
}

/**
 * The pair's tag, written now if a run stopped between creating the key and
 * tagging its user (its intent first, as for any change); never overwritten.
 */
async function ensurePair(iam: IAMClient, ctx: ExecContext, user: string, keyId: string, file: string): Promise<void> {
  const got = await unlessGone(iam.send(new ListUserTagsCommand({ UserName: user, MaxItems: 100 })));
  if (got?.Tags?.some((t) => t.Key === replacementTag(keyId))) return;
  ctx.intend({ user, accessKeyId: keyId, file });
  await recordPair(iam, ctx, user, keyId);
}

/** A file left by an earlier run: the key it names, if that key still exists, is this step's replacement. */
async function earlier(iam: IAMClient, ctx: ExecContext, file: string, user: string): Promise<StepOutcome> {
  const keyId = KEY_ID_LINE.exec(readFileSync(file, 'utf8'))?.[1];
  if (keyId && (await findAccessKey(iam, user, keyId))) {
    await ensurePair(iam, ctx, user, keyId, file);
    return { result: 'already', undo: { user, accessKeyId: keyId, file } };
  }
  const why = keyId ? `names access key ${keyId}, which user ${user} no longer has` : 'holds no access key (an earlier run was interrupted while creating it)';
  throw new Error(`${file} already exists and ${why}: check the access keys of user ${user}, then move the file away and apply again`);
}

/** The key a complete credentials file names (id and secret both written), if any. */
function completeKeyIn(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const keyId = KEY_ID_LINE.exec(text)?.[1];
  return keyId && /^aws_secret_access_key\s*=\s*\S+\s*$/m.test(text) ? keyId : undefined;
}

/**
 * A run was killed inside this step (its intent is in the journal, its
 * outcome is not). If the secret reached its file, that key is the
 * replacement. Otherwise any key the user has that it did not have before the
 * intent was made by the killed run, and nobody holds its secret: it is
 * deleted, and a new key is made.
 */
async function settle(iam: IAMClient, ctx: ExecContext, file: string, user: string, pending: Record<string, Plain>): Promise<StepOutcome> {
  const written = completeKeyIn(file);
  if (written && (await findAccessKey(iam, user, written))) {
    await ensurePair(iam, ctx, user, written, file);
    return { result: 'already', undo: { user, accessKeyId: written, file } };
  }
  const before = new Set(Array.isArray(pending.keysBefore) ? pending.keysBefore.map(String) : []);
  for (const key of (await unlessGone(listKeys(iam, user))) ?? []) {
    if (!key.AccessKeyId || before.has(key.AccessKeyId)) continue;
    ctx.intend(pending);
    await changed(iam.send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: key.AccessKeyId })));
    ctx.log(`deleted access key ${key.AccessKeyId} of user ${user}: an interrupted run created it, and its secret was never saved`);
  }
  rmSync(file, { force: true });
  return create(iam, ctx, file, user);
}

async function create(iam: IAMClient, ctx: ExecContext, file: string, user: string): Promise<StepOutcome> {
  const keysBefore = ((await unlessGone(listKeys(iam, user))) ?? []).map((k) => k.AccessKeyId ?? '');
  ctx.intend({ user, file, keysBefore });
  // The file is claimed before the key exists: a crash leaves an empty file to explain, never a key whose secret nobody saw.
  const secretFile = claimSecretFile(ctx.secretsDir, file);
  let keyId: string | undefined;
  try {
    const got = await iam.send(new CreateAccessKeyCommand({ UserName: user })).catch((err: unknown) => {
      if ((err as { name?: string }).name === 'LimitExceeded') throw new Error(`user ${user} already has two access keys, the most AWS allows: remove one first`);
      throw err;
    });
    keyId = got.AccessKey?.AccessKeyId;
    const secret = got.AccessKey?.SecretAccessKey;
    if (!keyId || !secret) throw new Error('CreateAccessKey answered without a key');
    secretFile.write(credentialsText(user, keyId, secret, ctx.now));
  } catch (err) {
    secretFile.abandon();
    if (keyId) await changed(iam.send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: keyId }))).catch(() => false);
    throw err;
  }
  try {
    await recordPair(iam, ctx, user, keyId);
  } catch (err) {
    // A replacement nobody can tell from a stranger's key must not stay: the next plan would delete it under the application.
    rmSync(file, { force: true });
    await changed(iam.send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: keyId }))).catch(() => false);
    const code = (err as { name?: string }).name ?? 'an error';
    throw new Error(`could not tag user ${user} with ${replacementTag(keyId)} (${code}; IAM allows 50 tags a user), which tells the next plan that rollcall made the key: the new key ${keyId} was deleted again`, { cause: err });
  }
  ctx.log(`created access key ${keyId} for user ${user}; its secret is in ${file} (mode 0600)`);
  return { result: 'done', undo: { user, accessKeyId: keyId, file } };
}

/**
 * Creates a replacement access key for a user whose key is exposed (the step's
 * target is the key to be: `new:USER`, with `ref.user`). The secret is
 * written to a new file in the secrets folder, mode 0600, and nowhere else: it
 * is never logged, printed, returned or journaled. Right after the key is
 * created, its user is tagged with the pair (`recordPair`). Undo deletes the
 * new key, its file and that tag.
 */
export const executor: ReversibleExecutor = {
  /** The key does not exist yet: its user is what must still be there. */
  observe: (step, ctx) => observeUser(ctx.clients.iam(), accessKeyOf(step).user),

  run(step, ctx) {
    const { user } = accessKeyOf(step);
    const file = replacementKeyFile(ctx.secretsDir, user);
    const iam = ctx.clients.iam();
    if (ctx.pending) return settle(iam, ctx, file, user, ctx.pending);
    return existsSync(file) ? earlier(iam, ctx, file, user) : create(iam, ctx, file, user);
  },

  async undo(_step, recorded, ctx) {
    const user = recordedString(recorded, 'user');
    const accessKeyId = recordedString(recorded, 'accessKeyId');
    const deleted = await changed(ctx.clients.iam().send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: accessKeyId })));
    if (typeof recorded.file === 'string') rmSync(recorded.file, { force: true });
    await changed(ctx.clients.iam().send(new UntagUserCommand({ UserName: user, TagKeys: [replacementTag(accessKeyId)] })));
    if (!deleted) return 'gone';
    ctx.log(`deleted the replacement access key ${accessKeyId} of user ${user}`);
    return 'undone';
  },
};
