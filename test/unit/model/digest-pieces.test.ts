/**
 * The digest is hashed in pieces, never as one text: it must be the sha256 of
 * exactly the text canonicalJson writes, for every shape JSON can take.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, digestOf } from '../../../src/model/digest.js';

const whole = (v: unknown) => createHash('sha256').update(canonicalJson(v)).digest('hex');

describe('digestOf', () => {
  it('equals the sha256 of canonicalJson on every shape (nesting, omitted values, toJSON, hostile keys, unicode)', () => {
    const values: unknown[] = [
      { b: 1, a: [1, 'x', null, true, { d: [3, { z: 1, y: undefined }], c: () => 1 }], c: undefined },
      [undefined, () => 1, Symbol('s'), 1.5e300, -0, Number.NaN, 'é\u2028"\\'],
      { resources: Array.from({ length: 50 }, (_, i) => ({ id: `i-${i}`, props: { n: i, tags: { b: '2', a: '1' } }, region: i % 2 ? 'us-east-1' : 'eu-west-1' })), format: 1 },
      JSON.parse('{"__proto__": {"x": 1}, "constructor": "c", "toString": "t"}'),
      { when: new Date('2026-11-29T00:00:00Z'), nested: { deeper: { deepest: [{ b: 2, a: 1 }] } } },
      'text',
      42,
      null,
      [],
      {},
    ];
    for (const v of values) expect(digestOf(v)).toBe(whole(v));
  });
});
