import { randomInt } from 'node:crypto';

/**
 * Key ids and secrets shaped like AWS's, made at random for each test (never
 * literal in the source, so no scanner mistakes this repository for a leak).
 */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+';
const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

export const fakeKeyId = (prefix: 'AKIA' | 'ASIA' = 'AKIA'): string => prefix + pick(BASE32, 16);

/** 40 characters with upper and lower case and a digit, as a real secret access key has. */
export const fakeSecret = (): string => `Ab1${pick(BASE64, 37)}`;
