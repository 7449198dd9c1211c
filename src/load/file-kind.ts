/**
 * What kind of file rollcall is looking at, told by its content (never by its
 * name): each kind has keys no other kind has at its top level.
 */
export type FileKind = 'baseline' | 'rule' | 'inventory' | 'plan' | 'journal' | 'report' | 'org-report' | 'timeline';

/** Each kind as messages name it, with the keys that tell it apart. */
export const FILE_KINDS: Record<FileKind, string> = {
  baseline: 'a baseline (version, account)',
  rule: 'a rule (resource, relation)',
  inventory: 'an inventory, as `rollcall collect` writes it (resources, gaps)',
  plan: 'a plan, as `rollcall plan` writes it (steps, digest)',
  journal: 'a journal, as `rollcall apply` and `undo` write it (a header line, then one line per step)',
  report: 'a JSON audit report, as `rollcall audit --format json` writes it (violations, summary)',
  'org-report': 'an org report, as `rollcall audit --org` and `report merge` write it (kind org, accounts)',
  timeline: 'a JSON timeline, as `rollcall timeline --format json` writes it (window, actors)',
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The kind of a parsed YAML or JSON document, or undefined when it is none of them. */
export function detectKind(data: unknown): FileKind | undefined {
  if (!isObject(data)) return undefined;
  const has = (...keys: string[]) => keys.every((k) => Object.hasOwn(data, k));
  if (has('relation', 'resource')) return 'rule';
  if (has('steps', 'digest')) return 'plan';
  if (has('violations', 'summary')) return 'report';
  if (data.kind === 'org' && has('accounts')) return 'org-report';
  if (has('window', 'actors')) return 'timeline';
  if (has('resources', 'gaps')) return 'inventory';
  // A journal of one line (its header) parses as a document of its own.
  if (data.type === 'header' && has('planDigest')) return 'journal';
  if (isSarif(data)) return undefined;
  if (has('version') || has('account')) return 'baseline';
  return undefined;
}

/** A SARIF log (`--format sarif`): rollcall writes it for code scanning, and reads none. */
export function isSarif(data: unknown): boolean {
  return isObject(data) && Object.hasOwn(data, 'runs') && typeof data.version === 'string' && data.version.startsWith('2.');
}

/**
 * A journal is JSON Lines, which no YAML or JSON reader takes whole: it is
 * known by its first line, a JSON object of type `header`.
 */
export function looksLikeJournal(text: string): boolean {
  const end = text.indexOf('\n');
  const first = (end < 0 ? text : text.slice(0, end)).trim();
  if (!first.startsWith('{')) return false;
  try {
    const line = JSON.parse(first) as unknown;
    return isObject(line) && line.type === 'header' && Object.hasOwn(line, 'planDigest');
  } catch {
    return false;
  }
}

/** Why a document is of no kind rollcall knows: one sentence, naming the kinds it does know. */
export function unknownKindMessage(data: unknown): string {
  if (data === null || data === undefined) return 'the file is empty: nothing to validate';
  if (isSarif(data)) return 'a SARIF log: rollcall writes SARIF for code scanning but reads none back, so validate does not check it (a SARIF validator does)';
  const kinds = Object.values(FILE_KINDS);
  return `not a file rollcall reads or writes: expected ${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}`;
}
