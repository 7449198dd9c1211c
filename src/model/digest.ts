import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: the same data always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * sha256 (hex) of the canonical JSON of a value, hashed in pieces: the text is
 * the same as canonicalJson's, but never built whole (an inventory of a
 * million resources is longer than a string can be).
 */
export function digestOf(value: unknown): string {
  const hash = createHash('sha256');
  writeCanonical(value, (text) => hash.update(text), 0);
  return hash.digest('hex');
}

/** How deep the pieces go: below this, each value is one canonicalJson text (a resource, a step). */
const PIECE_DEPTH = 2;

/** What JSON.stringify leaves out of an object, and writes as null in an array. */
const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function writeCanonical(value: unknown, out: (text: string) => void, depth: number): void {
  if (depth >= PIECE_DEPTH || value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    out(canonicalJson(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    out('[');
    value.forEach((item, i) => {
      if (i > 0) out(',');
      if (omitted(item)) out('null');
      else writeCanonical(item, out, depth + 1);
    });
    out(']');
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => !omitted(v))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  out('{');
  entries.forEach(([key, v], i) => {
    out(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`);
    writeCanonical(v, out, depth + 1);
  });
  out('}');
}
