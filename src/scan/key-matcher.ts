/**
 * Finds AWS access key ids and secret-key-shaped strings in lines of text.
 * Pure. A secret never leaves this module: a match carries only its redacted
 * form (first 4 characters and '…'), so nothing downstream can print it.
 *
 * Key ids: AKIA (long-term, an IAM user's) or ASIA (temporary, STS), then 16
 * upper-case letters or digits, not inside a longer word. AWS's own keys use
 * base32 ([A-Z2-7]) there, but AWS documents only `[\w]+` (IAM's AccessKeyId),
 * the baseline schema accepts [A-Z0-9], and other issuers (the emulator) use
 * every digit: a key the account has must not be missed for a 0 or a 1. Secrets: 40
 * characters of [A-Za-z0-9/+] not inside a longer base64 run, with upper and
 * lower case and a digit or / or + (a hex git object id, all one case, is not one).
 */
export type KeyKind = 'long-term' | 'temporary';

export interface KeyIdMatch {
  keyId: string;
  kind: KeyKind;
  /** 1-based column. */
  column: number;
}

export interface SecretMatch {
  /** First 4 characters and '…': the only form of a secret anything outside this module sees. */
  redacted: string;
  column: number;
}

const KEY_ID = /(?<![A-Za-z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
const SECRET = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
/** AWS's documentation keys: examples, not leaks. */
const DOCUMENTED_EXAMPLES = new Set(['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);

export const redactSecret = (secret: string): string => `${secret.slice(0, 4)}…`;

export function matchKeyIds(line: string): KeyIdMatch[] {
  // Cheap test first: most lines of most files hold neither prefix.
  if (!line.includes('AKIA') && !line.includes('ASIA')) return [];
  const out: KeyIdMatch[] = [];
  for (const m of line.matchAll(KEY_ID)) {
    if (DOCUMENTED_EXAMPLES.has(m[0])) continue;
    out.push({ keyId: m[0], kind: m[1] === 'AKIA' ? 'long-term' : 'temporary', column: (m.index ?? 0) + 1 });
  }
  return out;
}

function secretShaped(s: string): boolean {
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9/+]/.test(s);
}

export function matchSecrets(line: string): SecretMatch[] {
  if (line.length < 40) return [];
  const out: SecretMatch[] = [];
  for (const m of line.matchAll(SECRET)) {
    if (!secretShaped(m[0]) || DOCUMENTED_EXAMPLES.has(m[0])) continue;
    out.push({ redacted: redactSecret(m[0]), column: (m.index ?? 0) + 1 });
  }
  return out;
}

/** A key id found on a line, with the secret-shaped string nearest to it within NEAR_LINES, if any. */
export interface LineFinding {
  keyId: string;
  kind: KeyKind;
  line: number;
  column: number;
  secret?: { redacted: string; line: number; column: number };
}

/** How many lines apart a key id and a secret may be to count as a pair (a credentials file puts them on adjacent lines). */
export const NEAR_LINES = 5;

interface Pending {
  finding: LineFinding;
}

/**
 * Pairs key ids with secrets near them in one stream of lines (a file, or the
 * added lines of one file in one commit), in line order. `push` returns the
 * findings whose window has passed; `end` returns the rest. Line numbers must
 * not decrease; a gap (lines not pushed) counts as distance.
 */
export class KeyFinder {
  private pending: Pending[] = [];
  private recentSecrets: { redacted: string; line: number; column: number }[] = [];

  push(text: string, line: number): LineFinding[] {
    const ready = this.flushBefore(line);
    const keys = matchKeyIds(text);
    const secrets = matchSecrets(text).map((s) => ({ ...s, line }));
    this.recentSecrets = this.recentSecrets.filter((s) => line - s.line <= NEAR_LINES);
    for (const s of secrets) {
      for (const p of this.pending) {
        if (!p.finding.secret && line - p.finding.line <= NEAR_LINES) p.finding.secret = s;
      }
    }
    for (const k of keys) {
      const sameLine = secrets[0];
      const before = this.recentSecrets[this.recentSecrets.length - 1];
      const secret = sameLine ?? before;
      this.pending.push({ finding: { keyId: k.keyId, kind: k.kind, line, column: k.column, ...(secret ? { secret: { ...secret } } : {}) } });
    }
    this.recentSecrets.push(...secrets);
    return ready;
  }

  end(): LineFinding[] {
    const out = this.pending.map((p) => p.finding);
    this.pending = [];
    this.recentSecrets = [];
    return out;
  }

  private flushBefore(line: number): LineFinding[] {
    const ready: LineFinding[] = [];
    const keep: Pending[] = [];
    for (const p of this.pending) {
      if (p.finding.secret || line - p.finding.line > NEAR_LINES) ready.push(p.finding);
      else keep.push(p);
    }
    this.pending = keep;
    return ready;
  }
}
