/**
 * Masks anything that looks like a secret access key or session token before
 * text from outside (an SDK error, a server's answer) reaches a log or error.
 * Access key ids are identifiers, not secrets, and stay visible.
 */
// `=` may end base64 (padding) but never starts it, so `key=<secret>` is still caught.
const SECRET_KEY = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const SESSION_TOKEN = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+=]{100,}(?![A-Za-z0-9/+=])/g;
const NAMED = /((?:secret[_-]?access[_-]?key|session[_-]?token|security[_-]?token|password)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi;

export function redact(text: string): string {
  return text.replace(SESSION_TOKEN, '[redacted]').replace(SECRET_KEY, '[redacted]').replace(NAMED, '$1[redacted]');
}
