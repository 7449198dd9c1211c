/**
 * Shards: `--shard i/N` audits the accounts whose shard is i, so N runners
 * (a CI matrix, parallel jobs) audit an organization between them. An
 * account's shard depends on its id and N alone: the first 32 bits of the
 * SHA-256 of its 12-digit id, modulo N, plus one. Every account is in exactly
 * one shard, whatever the others hold, and stays there run after run.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** No more shards than a CI matrix could run (GitHub allows 256 jobs per matrix). */
export const MAX_SHARDS = 1000;

/** `--shard i/N`, 1 <= i <= N. */
export function parseShard(value: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const bad = (why: string) => InputError.at({ file: '--shard' }, `${why} (got '${value}'; e.g. --shard 2/4 audits the second of four shards)`);
  if (!m) throw bad('must be i/N, the shard and the number of shards');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw bad(`N must be from 1 to ${MAX_SHARDS}`);
  if (index < 1 || index > count) throw bad(`i must be from 1 to N`);
  return { index, count };
}

/** The shard (1-based) an account belongs to among `count`. */
export function shardOf(accountId: string, count: number): number {
  const digest = createHash('sha256').update(accountId).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** The ids of `shard`, in their order. */
export function inShard<T extends { id: string }>(accounts: readonly T[], shard: Shard | undefined): T[] {
  return shard ? accounts.filter((a) => shardOf(a.id, shard.count) === shard.index) : [...accounts];
}
