import type { ErrorObject } from 'ajv';

/** One human message for one place in a document. */
export interface Described {
  /** JSON pointer of the offending value (or key, when `key` is set). */
  pointer: string;
  key: boolean;
  message: string;
}

/**
 * Turns ajv's errors (compiled with `allErrors` and `verbose`) into one message
 * per real problem: combinator noise is folded into its most specific branch,
 * errors under a type mismatch are dropped, and each keyword gets a sentence.
 */
export function describeErrors(errors: readonly ErrorObject[]): Described[] {
  const simplified = dropSuperseded(simplify([...errors]));
  const out: Described[] = [];
  const seen = new Set<string>();
  for (const e of simplified) {
    const d = describe(e);
    if (!d) continue;
    const k = `${d.pointer}\u0000${d.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(d);
  }
  return out;
}

type Combinator = ErrorObject & { keyword: 'oneOf' | 'anyOf' };

function isCombinator(e: ErrorObject): e is Combinator {
  return e.keyword === 'oneOf' || e.keyword === 'anyOf';
}

function under(pointer: string, parent: string): boolean {
  return pointer === parent || pointer.startsWith(parent + '/');
}

/**
 * Errors a combinator collected from its branches. Branches must be inline
 * schemas (not `$ref`s), so that their schema paths extend the combinator's.
 */
function branchErrors(c: ErrorObject, errors: readonly ErrorObject[]): ErrorObject[] {
  return errors.filter(
    (e) => e !== c && e.schemaPath.startsWith(c.schemaPath + '/') && under(e.instancePath, c.instancePath),
  );
}

function simplify(errors: ErrorObject[]): ErrorObject[] {
  const combos = errors.filter(isCombinator);
  const consumed = new Set<ErrorObject>();
  const outer = combos.filter((c) => !combos.some((o) => o !== c && branchErrors(o, errors).includes(c)));
  const replacements = new Map<ErrorObject, ErrorObject[]>();
  for (const c of outer) {
    const subs = branchErrors(c, errors);
    for (const s of subs) consumed.add(s);
    replacements.set(c, explainCombinator(c, subs));
  }
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (consumed.has(e)) continue;
    out.push(...(replacements.get(e) ?? [e]));
  }
  return out;
}

/** Keys named by a combinator whose every branch is only `{ required: [key] }`. */
function requiredOnlyKeys(c: ErrorObject): string[] | undefined {
  if (!Array.isArray(c.schema)) return undefined;
  const keys: string[] = [];
  for (const branch of c.schema as unknown[]) {
    if (typeof branch !== 'object' || branch === null) return undefined;
    const b = branch as Record<string, unknown>;
    if (Object.keys(b).length !== 1 || !Array.isArray(b.required) || b.required.length !== 1) return undefined;
    keys.push(String(b.required[0]));
  }
  return keys;
}

function explainCombinator(c: Combinator, subs: ErrorObject[]): ErrorObject[] {
  const keys = requiredOnlyKeys(c);
  const passing = (c.params as { passingSchemas?: number[] | null }).passingSchemas;
  if (keys) {
    const listed = keys.map((k) => `'${k}'`).join(' or ');
    const message =
      passing && passing.length > 1
        ? `use only one of ${listed}, not both`
        : c.keyword === 'oneOf'
          ? `missing required key: one of ${listed}`
          : `missing required key: at least one of ${listed}`;
    return [{ ...c, keyword: 'x-message', message }];
  }
  if (passing && passing.length > 1) {
    return [{ ...c, keyword: 'x-message', message: `matches more than one alternative (${passing.join(', ')})` }];
  }
  // Prefer the branch whose errors reach deepest into the data, then the one with fewest errors.
  const byBranch = new Map<string, ErrorObject[]>();
  for (const s of subs) {
    const branch = s.schemaPath.slice(c.schemaPath.length + 1).split('/')[0] ?? '';
    byBranch.set(branch, [...(byBranch.get(branch) ?? []), s]);
  }
  // A branch of another type than the value (a list where a map is given) says least: prefer one of the value's type.
  const sameType = [...byBranch.values()].filter((list) => !list.some((e) => e.keyword === 'type' && e.instancePath === c.instancePath));
  let best: ErrorObject[] | undefined;
  let bestScore: [number, number] = [-1, 0];
  for (const list of sameType.length > 0 ? sameType : byBranch.values()) {
    const depth = Math.max(...list.map((e) => e.instancePath.split('/').length));
    if (depth > bestScore[0] || (depth === bestScore[0] && list.length < bestScore[1])) {
      best = list;
      bestScore = [depth, list.length];
    }
  }
  return best ? simplify(best) : [c];
}

/** A type mismatch makes every other complaint about the same value noise; so does an `if` failing. */
function dropSuperseded(errors: ErrorObject[]): ErrorObject[] {
  const typeMismatch = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const unknownKeyAt = new Set(errors.filter((e) => e.keyword === 'additionalProperties').map((e) => e.instancePath));
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    if (e.keyword !== 'type' && typeMismatch.has(e.instancePath)) return false;
    if (e.keyword === 'maxProperties' && unknownKeyAt.has(e.instancePath)) return false;
    return true;
  });
}

const FORMATS: Record<string, string> = {
  'date-time': 'must be a date-time (e.g. 2026-11-01T00:00:00Z)',
  date: 'must be a date (YYYY-MM-DD)',
  uri: 'must be a URI (e.g. https://docs.aws.amazon.com/)',
};

function describe(e: ErrorObject): Described | undefined {
  const at = (message: string): Described => ({ pointer: e.instancePath, key: false, message });
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  const p = e.params as Record<string, unknown>;
  if (typeof parent.errorMessage === 'string') return at(parent.errorMessage);
  switch (e.keyword) {
    case 'x-message':
      return at(e.message ?? 'is invalid');
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys((parent.properties as Record<string, unknown> | undefined) ?? {});
      const noun = parent.title === 'Condition' ? 'operator' : 'key';
      const hint = suggest(key, allowed);
      const list = noun === 'operator' ? `known: ${allowed.join(', ')}` : `allowed: ${allowed.join(', ')}`;
      return {
        pointer: `${e.instancePath}/${escape(key)}`,
        key: true,
        message: `unknown ${noun} '${key}'${hint ? `, did you mean '${hint}'?` : ''} (${list})`,
      };
    }
    case 'required':
      return at(`missing required key '${String(p.missingProperty)}'`);
    case 'type':
      return at(typeMessage(String(p.type), e.data, e.instancePath));
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      const hint = typeof e.data === 'string' ? suggest(e.data, allowed) : undefined;
      return at(
        `must be one of: ${allowed.join(', ')} (got ${shown(e.data)}${hint ? `, did you mean '${hint}'?` : ''})`,
      );
    }
    case 'const':
      return at(`must be ${JSON.stringify(p.allowedValue)} (got ${shown(e.data)})`);
    case 'pattern': {
      const text = typeof parent.patternErrorMessage === 'string' ? parent.patternErrorMessage : undefined;
      const got = e.data === '' ? '' : ` (got ${shown(e.data)})`;
      return at(`${text ?? `must match the pattern ${String(p.pattern)}`}${got}`);
    }
    case 'format':
      return at(`${FORMATS[String(p.format)] ?? `must be a ${String(p.format)}`} (got ${shown(e.data)})`);
    case 'minItems':
      return at(p.limit === 1 ? 'must not be empty' : `must have at least ${String(p.limit)} items`);
    case 'minLength':
      return at(p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`);
    case 'uniqueItems':
      return at(`must not repeat a value (items ${String(p.j)} and ${String(p.i)} are equal)`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(`must be ${String(p.comparison)} ${String(p.limit)} (got ${shown(e.data)})`);
    case 'minProperties':
      return at(
        parent.title === 'Condition'
          ? `a condition needs exactly one operator (known: ${Object.keys(parent.properties as object).join(', ')})`
          : `must have at least ${String(p.limit)} keys`,
      );
    case 'maxProperties': {
      const keys = e.data && typeof e.data === 'object' ? Object.keys(e.data) : [];
      return at(
        parent.title === 'Condition'
          ? `a condition has exactly one operator, found ${keys.length}: ${keys.join(', ')} (combine them with all or any)`
          : `must have at most ${String(p.limit)} keys`,
      );
    }
    default:
      return at(e.message ?? 'is invalid');
  }
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean (true or false)',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function typeMessage(expected: string, data: unknown, pointer: string): string {
  const want = expected
    .split(',')
    .map((t) => ARTICLE[t] ?? t)
    .join(' or ');
  if (pointer === '' && (data === null || data === undefined)) return `the file is empty: expected ${want}`;
  if (expected === 'string' && (typeof data === 'number' || typeof data === 'boolean')) {
    return `must be ${want} (got the ${typeof data} ${String(data)}; quote the value to keep it as written)`;
  }
  return `must be ${want} (got ${kindOf(data)})`;
}

function kindOf(data: unknown): string {
  if (data === null || data === undefined) return 'nothing';
  if (Array.isArray(data)) return 'an array';
  if (typeof data === 'object') return 'an object';
  if (typeof data === 'number' && Number.isInteger(data)) return `the number ${data}`;
  return `${ARTICLE[typeof data] ?? typeof data} ${JSON.stringify(data)}`;
}

function shown(data: unknown): string {
  if (typeof data === 'string') return `'${data.length > 80 ? data.slice(0, 77) + '...' : data}'`;
  return kindOf(data);
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The closest allowed word, if it is plausibly a typo. */
export function suggest(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const a of allowed) {
    const d = a.toLowerCase() === word.toLowerCase() ? 0 : distance(word, a);
    if (d < bestDistance) {
      best = a;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.min(2, Math.floor(word.length / 3))) ? best : undefined;
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
