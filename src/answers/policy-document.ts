/**
 * Small pure helpers over IAM policy documents, as IAM returns them
 * (URL-encoded JSON) and as rules read them (decoded).
 */
import { normalizePrincipal } from '../model/principal.js';

type Json = Record<string, unknown>;

/**
 * Decodes a policy document from GetAccountAuthorizationDetails: RFC 3986
 * URL-encoded JSON. Plain JSON is accepted too. Returns `null` for no document,
 * and the text itself when it is not JSON, so a malformed document never aborts collection.
 */
export function decodePolicyDocument(raw: string | undefined | null): unknown {
  if (raw === undefined || raw === null || raw === '') return null;
  let text = raw.trim();
  if (!text.startsWith('{')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return raw;
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The statements of a document: `Statement` may be one object or an array. */
export function statementsOf(document: unknown): Json[] {
  if (!isObject(document)) return [];
  const s = document.Statement;
  if (Array.isArray(s)) return s.filter(isObject);
  return isObject(s) ? [s] : [];
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function isAllow(statement: Json): boolean {
  return statement.Effect === 'Allow';
}

const PRINCIPAL_KINDS = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;

/**
 * Every principal named by an Allow statement's `Principal`, in order of
 * appearance and without duplicates. `"*"` (alone or as `{AWS: "*"}`) stays `*`;
 * a bare 12-digit account id becomes `arn:aws:iam::ID:root`.
 */
export function trustedPrincipals(document: unknown): string[] {
  const found = new Set<string>();
  for (const statement of statementsOf(document)) {
    if (!isAllow(statement)) continue;
    const principal = statement.Principal;
    if (principal === '*') {
      found.add('*');
      continue;
    }
    if (!isObject(principal)) continue;
    for (const kind of PRINCIPAL_KINDS) {
      for (const p of strings(principal[kind])) found.add(normalizePrincipal(p));
    }
  }
  return [...found];
}

/**
 * True when an Allow statement grants every action on every resource:
 * `Action` includes `*` or `*:*` and `Resource` includes `*`.
 * Statements using `NotAction` or `NotResource` are not counted.
 */
export function allowsAll(document: unknown): boolean {
  return statementsOf(document).some(
    (s) =>
      isAllow(s) &&
      strings(s.Action).some((a) => a === '*' || a === '*:*') &&
      strings(s.Resource).includes('*'),
  );
}

/**
 * True when the document can only take permissions away: it has at least one
 * statement, and every statement is an object with `Effect: Deny`. A document
 * that is not JSON, has no statements, or has anything else (an Allow, a
 * statement that is not an object, an Effect in another spelling, which IAM
 * would not accept) is not deny-only: what cannot be shown harmless is not
 * treated as harmless.
 */
export function denyOnly(document: unknown): boolean {
  if (!isObject(document)) return false;
  const raw = document.Statement;
  const statements = Array.isArray(raw) ? raw : [raw];
  return statements.length > 0 && statements.every((s) => isObject(s) && s.Effect === 'Deny');
}
