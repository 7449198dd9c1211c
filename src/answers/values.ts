/**
 * Small conversions every mapping of an AWS answer shares: SDK dates and
 * timestamps sent as text to ISO strings, and tag lists to a record.
 */

export const iso = (d: Date | undefined): string => (d ? d.toISOString() : '');
export const isoOrNull = (d: Date | undefined): string | null => (d ? d.toISOString() : null);

/** An AWS tag list (`[{ Key, Value }]`) as a record. */
export const tagRecord = (tags: { Key?: string | undefined; Value?: string | undefined }[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A timestamp AWS sends as text, as an ISO-8601 UTC string: Lambda writes
 * `2026-11-22T11:39:33.529+0000` (moto: nine fractional digits and `Z`).
 * Null when absent or unreadable.
 */
export function isoText(text: string | undefined): string | null {
  const m = text ? TIMESTAMP.exec(text) : null;
  if (!m) return null;
  const [, base, fraction = '', zone = 'Z'] = m;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${base}.${fraction.padEnd(3, '0').slice(0, 3)}${offset}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
