/**
 * Access key ids in correspondence: AWS asks for none in full. A long-term
 * (AKIA) or temporary (ASIA) key id is shown by its first and last four
 * characters, `AKIA…XYZ1`: enough to tell keys apart, not to name one.
 */

/**
 * A key id, or a longer run of the same characters that holds one (a name
 * from AWS that embeds a key id): the whole run is shortened, so no part of
 * it gives the id away.
 */
const KEY_ID = /(?:AKIA|ASIA)[A-Z0-9]{12,}/g;

/** `AKIAIOSFODNN7EXAMPLE` -> `AKIA…MPLE`. */
export function shortKeyId(id: string): string {
  return `${id.slice(0, 4)}…${id.slice(-4)}`;
}

/** Every access key id in `text`, shortened. */
export function shortenKeyIds(text: string): string {
  return text.replace(KEY_ID, shortKeyId);
}
