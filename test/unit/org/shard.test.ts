import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { inShard, parseShard, shardOf } from '../../../src/org/shard.js';

/** Ids as an organization has them: 12 digits, in no useful order. */
const ids = Array.from({ length: 2000 }, (_, i) => String(100_000_000_000 + ((i * 7_919_393) % 899_999_999_999)).padStart(12, '0'));

describe('shards', () => {
  it('are a partition: every account in exactly one shard, for any number of shards', () => {
    for (const count of [1, 2, 3, 7, 16, 64]) {
      const accounts = ids.map((id) => ({ id }));
      const shards = Array.from({ length: count }, (_, i) => inShard(accounts, { index: i + 1, count }).map((a) => a.id));
      const all = shards.flat();
      expect(all.length, `${count} shards`).toBe(ids.length);
      expect(new Set(all)).toEqual(new Set(ids));
      // A hash spreads them: no shard is empty, none holds more than twice its share.
      for (const s of shards) {
        expect(s.length).toBeGreaterThan(0);
        expect(s.length).toBeLessThan((2 * ids.length) / count + 1);
      }
    }
  });

  it('an account stays in its shard: the assignment is the first 32 bits of SHA-256 of the id, modulo N, plus one', () => {
    // Pinned: a change here moves accounts between a CI matrix's runners and must be deliberate.
    expect(shardOf('123456789012', 4)).toBe(1 + (0x2a33349e % 4));
    for (const id of ids.slice(0, 50)) expect(shardOf(id, 5)).toBe(shardOf(id, 5));
    expect(shardOf('123456789012', 1)).toBe(1);
  });

  it('--shard i/N is checked', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '1/1001', '-1/2']) expect(() => parseShard(bad), bad).toThrow(InputError);
  });
});
