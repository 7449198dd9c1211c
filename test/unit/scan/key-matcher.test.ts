import { describe, expect, it } from 'vitest';
import { KeyFinder, matchKeyIds, matchSecrets, NEAR_LINES, redactSecret, type LineFinding } from '../../../src/scan/key-matcher.js';
import { fakeKeyId, fakeSecret } from '../../helpers/fake-keys.js';

const all = (finder: KeyFinder, lines: string[]): LineFinding[] => [...lines.flatMap((l, i) => finder.push(l, i + 1)), ...finder.end()];

describe('matchKeyIds', () => {
  it('finds long-term (AKIA) and temporary (ASIA) key ids with their columns', () => {
    const a = fakeKeyId('AKIA');
    const s = fakeKeyId('ASIA');
    expect(matchKeyIds(`aws_access_key_id = ${a}`)).toEqual([{ keyId: a, kind: 'long-term', column: 21 }]);
    expect(matchKeyIds(`"${s}",${a}`)).toEqual([
      { keyId: s, kind: 'temporary', column: 2 },
      { keyId: a, kind: 'long-term', column: 24 },
    ]);
  });

  it('accepts every digit, as the emulator issues them (AWS uses base32, but documents no alphabet)', () => {
    expect(matchKeyIds('AKIA0189ABCDEFGHIJKL')).toEqual([{ keyId: 'AKIA0189ABCDEFGHIJKL', kind: 'long-term', column: 1 }]);
  });

  it('rejects what only looks close: other prefixes, wrong alphabet or length, inside a longer word, lower case, the documentation example', () => {
    const body = fakeKeyId().slice(4);
    for (const line of [
      `AIDA${body}`, // a user id, not a key id
      `AKIA${body.slice(0, 15)}`, // 15 characters
      `AKIA${body}X`, // 17 characters
      `AKIA${body.slice(0, 15)}a`, // lower case
      `AKIA${body.slice(0, 15)}_`, // \w, but not in a key id
      `xAKIA${body}`,
      `AKIA${body}9`,
      `akia${body.toLowerCase()}`,
      'AKIAIOSFODNN7EXAMPLE',
    ]) {
      expect(matchKeyIds(line), line).toEqual([]);
    }
  });
});

describe('matchSecrets', () => {
  it('finds a 40-character secret and hands out only its first 4 characters', () => {
    const secret = fakeSecret();
    const found = matchSecrets(`aws_secret_access_key=${secret}`);
    expect(found).toEqual([{ redacted: `${secret.slice(0, 4)}…`, column: 23 }]);
    expect(JSON.stringify(found)).not.toContain(secret.slice(4));
  });

  it('rejects git object ids, one-case strings, longer base64 runs and the documentation example', () => {
    const secret = fakeSecret();
    for (const line of [
      'commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904', // hex, lower case
      '4B825DC642CB6EB9A060E54BF8D69288FBEE4904',
      `${secret}A`, // 41 characters
      `A${secret}`,
      `${secret}=`, // base64 padding: part of a longer value
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN', // no digit, / or +
    ]) {
      expect(matchSecrets(line), line).toEqual([]);
    }
  });

  it('redactSecret keeps 4 characters', () => {
    expect(redactSecret('wxyzSECRETPART')).toBe('wxyz…');
  });
});

describe('KeyFinder', () => {
  it('pairs a key id with a secret on the same line, after it or before it, within NEAR_LINES', () => {
    const key = fakeKeyId();
    const secret = fakeSecret();
    const same = all(new KeyFinder(), [`${key}:${secret}`]);
    expect(same).toEqual([{ keyId: key, kind: 'long-term', line: 1, column: 1, secret: { redacted: redactSecret(secret), line: 1, column: 22 } }]);

    const after = all(new KeyFinder(), ['[default]', `aws_access_key_id = ${key}`, `aws_secret_access_key = ${secret}`]);
    expect(after[0]!.secret).toEqual({ redacted: redactSecret(secret), line: 3, column: 25 });

    const before = all(new KeyFinder(), [`SECRET=${secret}`, '', `KEY=${key}`]);
    expect(before[0]!.secret?.line).toBe(1);
  });

  it('does not pair what is farther apart than NEAR_LINES, and reports a key without a secret', () => {
    const key = fakeKeyId();
    const lines = [`KEY=${key}`, ...Array.from({ length: NEAR_LINES }, () => ''), `SECRET=${fakeSecret()}`];
    const found = all(new KeyFinder(), lines);
    expect(found).toHaveLength(1);
    expect(found[0]!.secret).toBeUndefined();
    expect(found[0]!.line).toBe(1);
  });

  it('counts skipped line numbers as distance (the added lines of a diff)', () => {
    const key = fakeKeyId();
    const finder = new KeyFinder();
    const found = [...finder.push(`KEY=${key}`, 10), ...finder.push(`SECRET=${fakeSecret()}`, 10 + NEAR_LINES + 1), ...finder.end()];
    expect(found).toEqual([{ keyId: key, kind: 'long-term', line: 10, column: 5 }]);
  });

  it('reports every key on a line, and the same key twice on two lines', () => {
    const a = fakeKeyId();
    const b = fakeKeyId('ASIA');
    const found = all(new KeyFinder(), [`${a} ${b}`, a]);
    expect(found.map((f) => [f.keyId, f.line])).toEqual([
      [a, 1],
      [b, 1],
      [a, 2],
    ]);
  });
});
