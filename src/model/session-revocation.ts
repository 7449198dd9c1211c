/**
 * The revocation of a role's sessions (the revokeRoleSessions action): an
 * inline policy on the role, named REVOKE_SESSIONS_POLICY, that denies every
 * action to credentials issued before a cut-off (`aws:TokenIssueTime`). The
 * executor writes it; the timeline's join reads it from the inventory, so a
 * session issued before the cut-off counts as ended. Pure.
 */

export const REVOKE_SESSIONS_POLICY = 'rollcall-revoke-sessions';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasStar = (v: unknown) => v === '*' || (Array.isArray(v) && v.includes('*'));

/**
 * The latest cut-off a document's deny-everything statements set on
 * `aws:TokenIssueTime` (DateLessThan), as ISO-8601; undefined when it sets
 * none (or only ones that are not times). Tokens issued before it are denied.
 */
export function revocationCutoff(document: unknown): string | undefined {
  if (!isObject(document)) return undefined;
  const raw = document.Statement;
  const statements = (Array.isArray(raw) ? raw : [raw]).filter(isObject);
  let latest: number | undefined;
  for (const s of statements) {
    if (s.Effect !== 'Deny' || !hasStar(s.Action) || !hasStar(s.Resource)) continue;
    const before = isObject(s.Condition) && isObject(s.Condition.DateLessThan) ? s.Condition.DateLessThan['aws:TokenIssueTime'] : undefined;
    const t = typeof before === 'string' ? Date.parse(before) : Number.NaN;
    if (!Number.isNaN(t) && (latest === undefined || t > latest)) latest = t;
  }
  return latest === undefined ? undefined : new Date(latest).toISOString();
}
