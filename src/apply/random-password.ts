/**
 * A new console password: random from the operating system's CSPRNG
 * (`crypto.randomInt`, which draws on randomBytes without modulo bias), long,
 * and with an upper-case letter, a lower-case letter, a digit and a symbol,
 * so that it meets any account password policy's character requirements.
 * Letters and digits that read alike (O/0, I/l/1) are left out: the password
 * may be read out over the phone when it is handed over.
 */
import { randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
/** IAM's allowed symbols, without the quote: ! @ # $ % ^ & * ( ) _ + - = [ ] { } | */
const SYMBOLS = '!@#$%^&*()_+-=[]{}|';
const CLASSES = [UPPER, LOWER, DIGITS, SYMBOLS];
const ALL = CLASSES.join('');

/** Never shorter than this, whatever the account's policy asks (at least 6 in AWS). */
export const MIN_PASSWORD_LENGTH = 24;
/** The longest password IAM accepts. */
export const MAX_PASSWORD_LENGTH = 128;

/**
 * A password of `length` characters (at least MIN_PASSWORD_LENGTH, at most
 * MAX_PASSWORD_LENGTH), uniformly drawn among those with every class:
 * drawn whole, and drawn again when a class is missing (rare at this length).
 */
export function randomPassword(length = MIN_PASSWORD_LENGTH): string {
  const n = Math.min(MAX_PASSWORD_LENGTH, Math.max(MIN_PASSWORD_LENGTH, Math.ceil(length)));
  for (;;) {
    let out = '';
    for (let i = 0; i < n; i++) out += ALL[randomInt(ALL.length)];
    if (CLASSES.every((c) => [...out].some((ch) => c.includes(ch)))) return out;
  }
}
