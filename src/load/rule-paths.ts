import { HISTORY_FIELDS, HISTORY_TYPES } from '../model/history.js';
import { DECLARED, PROPS, type FieldKind, type Fields } from '../model/resource-fields.js';
import type { ResourceType } from '../model/resource.js';
import { RELATION_READS, RELATIONS, relationReads } from '../model/rule.js';
import { suggest } from './ajv-messages.js';
import { schemaDocument } from './schemas.js';

/** Where a path is read: which resource types, under which relation, and whether `item` (inside `some`) exists. */
export interface PathScope {
  types: readonly ResourceType[];
  relation: string | undefined;
  inSome: boolean;
}

/** The roots a path starts from (see engine/paths.ts): what each holds. */
const ROOTS = ['id', 'type', 'region', 'subject', 'arn', 'tags', 'props', 'declared', 'baseline', 'item', 'matched', 'history'] as const;
const VALUE_ROOTS = new Set(['id', 'type', 'region', 'subject', 'arn', 'matched']);
/** The relations under which `matched` may be read. */
const MATCHED_RELATIONS = RELATIONS.filter((r) => RELATION_READS[r].matched).join(' or ');

/**
 * Why a dotted path (`props.status`, split on dots) can never hold a value in
 * this scope: an unknown root, property or baseline field (with the closest
 * known one), or a step past a single value. Undefined when it can.
 */
export function pathProblem(segments: readonly string[], scope: PathScope): string | undefined {
  const [root, ...rest] = segments;
  const path = segments.join('.');
  if (root === undefined || root === '') return `empty path '${path}'`;
  if (!(ROOTS as readonly string[]).includes(root)) {
    return `unknown path '${path}': '${root}' is not a root${hint(root, ROOTS)} (paths start with ${ROOTS.join(', ')})`;
  }
  if (root === 'item') return scope.inSome ? undefined : `'${path}': item exists only inside some's where`;
  const reads = relationReads(scope.relation);
  if (root === 'matched' && !reads?.matched) return `'${path}': matched exists only with relation ${MATCHED_RELATIONS}`;
  if (root === 'declared' && reads?.neverDeclared !== undefined) {
    return `'${path}': declared is never set with relation ${scope.relation} (${reads.neverDeclared})`;
  }
  if ((root === 'props' || root === 'tags' || root === 'arn') && reads?.judges === 'entries') {
    return `'${path}': ${root} is never set with relation ${scope.relation} (it judges baseline entries, not resources: read declared.* and matched)`;
  }
  if (root === 'history') return historyPathProblem(rest, path, scope);
  if (VALUE_ROOTS.has(root)) return rest.length > 0 ? `'${path}': ${root} is a single value, nothing is under it` : undefined;
  if (root === 'tags') return undefined; // tag keys are whatever the account uses
  if (root === 'baseline') return baselinePathProblem(rest, path);
  return fieldsPathProblem(root === 'props' ? 'props' : 'declared', rest, scope.types, root === 'props' ? PROPS : DECLARED);
}

/** `history.*`: a resource's CloudTrail history (model/history.ts), for the types a timeline is joined to. */
function historyPathProblem(rest: readonly string[], path: string, scope: PathScope): string | undefined {
  if (relationReads(scope.relation)?.judges === 'entries') return `'${path}': history is never set with relation ${scope.relation} (it judges baseline entries, not resources)`;
  const other = scope.types.filter((t) => !HISTORY_TYPES.includes(t));
  if (other.length > 0) return `'${path}': no timeline is joined to ${other.join(', ')} (history exists for ${HISTORY_TYPES.join(', ')})`;
  const [field, ...deeper] = rest;
  if (field === undefined) return undefined;
  const kind = (HISTORY_FIELDS as Record<string, FieldKind>)[field];
  if (kind === undefined) return `unknown history field '${path}'${hint(field, Object.keys(HISTORY_FIELDS))} (known: ${Object.keys(HISTORY_FIELDS).join(', ')})`;
  return pastField(`history.${field}`, kind, deeper);
}

function hint(word: string, known: readonly string[]): string {
  const s = suggest(word, known);
  return s === undefined ? '' : `, did you mean '${s}'?`;
}

function typesLabel(types: readonly ResourceType[]): string {
  return types.length === 1 ? types[0]! : `any of ${types.join(', ')}`;
}

function fieldsPathProblem(
  root: 'props' | 'declared',
  rest: readonly string[],
  types: readonly ResourceType[],
  table: Record<ResourceType, Fields>,
): string | undefined {
  const [field, ...deeper] = rest;
  if (field === undefined) return undefined;
  const path = [root, ...rest].join('.');
  const kinds = types.map((t) => table[t][field]).filter((k): k is FieldKind => k !== undefined);
  if (kinds.length === 0) {
    const known = [...new Set(types.flatMap((t) => Object.keys(table[t])))].sort();
    const what = root === 'props' ? 'property' : 'declared field';
    const list = known.length > 0 ? ` (known: ${known.join(', ')})` : ` (the baseline declares no ${typesLabel(types)})`;
    const guess = suggest(field, known);
    return `unknown ${what} '${path}' for ${typesLabel(types)}${guess ? `, did you mean '${root}.${guess}'?` : ''}${list}`;
  }
  // Of several types, the most permissive reading wins: the rule may judge them alike.
  const kind = (['any', 'map', 'list', 'value'] as const).find((k) => kinds.includes(k))!;
  return pastField(`${root}.${field}`, kind, deeper);
}

function pastField(prefix: string, kind: FieldKind, deeper: readonly string[]): string | undefined {
  if (deeper.length === 0 || kind === 'any') return undefined;
  const path = [prefix, ...deeper].join('.');
  if (kind === 'value') return `'${path}': ${prefix} is a single value, nothing is under it`;
  if (kind === 'list' && !/^\d+$/.test(deeper[0]!)) return `'${path}': ${prefix} is a list: only an index (${prefix}.0) reads into it`;
  return deeper.length > 1 ? `'${path}': ${prefix}.${deeper[0]} is a single value, nothing is under it` : undefined;
}

type Schema = Record<string, unknown>;

function isSchema(x: unknown): x is Schema {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Follows `baseline.*` through the baseline schema: the fields a baseline can have. */
function baselinePathProblem(rest: readonly string[], path: string): string | undefined {
  const doc = schemaDocument('baseline') as Schema;
  const defs = (doc.$defs ?? {}) as Record<string, Schema>;
  const resolve = (s: Schema): Schema => {
    let at = s;
    for (let i = 0; i < 10 && typeof at.$ref === 'string'; i++) at = defs[at.$ref.replace('#/$defs/', '')] ?? {};
    return at;
  };
  const walk = (schema: Schema, i: number, prefix: string): string | undefined => {
    const s = resolve(schema);
    if (i === rest.length) return undefined;
    const segment = rest[i]!;
    const branches = [...((s.anyOf as Schema[] | undefined) ?? []), ...((s.oneOf as Schema[] | undefined) ?? [])].filter(isSchema);
    if (branches.length > 0 && !s.properties && !s.items) {
      const results = branches.map((b) => walk(b, i, prefix));
      return results.includes(undefined) ? undefined : results[0];
    }
    const next = `${prefix}.${segment}`;
    if (isSchema(s.properties)) {
      const child = (s.properties as Record<string, unknown>)[segment];
      if (isSchema(child)) return walk(child, i + 1, next);
      if (isSchema(s.additionalProperties)) return walk(s.additionalProperties, i + 1, next);
      const known = Object.keys(s.properties);
      const guess = suggest(segment, known);
      return `unknown baseline field '${path}': ${prefix} has no '${segment}'${guess ? `, did you mean '${prefix}.${guess}'?` : ''} (known: ${known.join(', ')})`;
    }
    if (isSchema(s.additionalProperties)) return walk(s.additionalProperties, i + 1, next);
    if (isSchema(s.items)) {
      if (!/^\d+$/.test(segment)) return `'${path}': ${prefix} is a list: only an index (${prefix}.0) reads into it`;
      return walk(s.items, i + 1, next);
    }
    return `'${path}': ${prefix} is a single value, nothing is under it`;
  };
  return walk(doc, 0, 'baseline');
}
