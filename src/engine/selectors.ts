import type { ResourceSelector, SelectableType } from '../model/baseline.js';
import { RESOURCE_TYPES, type Resource } from '../model/resource.js';
import type { Declarations, Declared } from './declared.js';
import { globToRegExp, isGlob } from './glob.js';

/** A readable identity for a selector: `instance/us-east-1/i-0abc`, `function/*\/orders-*`, `instance/us-east-1/{team=web}`. */
export function selectorSubject(type: SelectableType, s: ResourceSelector): string {
  return `${RESOURCE_TYPES[type].prefix}/${s.region ?? '*'}/${selectorId(s)}`;
}

/** What a selector names in place of a resource id: its id, its name, or its tags (after its Config type, for config.resource). */
export function selectorId(s: ResourceSelector): string {
  if (s.id !== undefined) return s.id;
  const rest = s.name ?? (s.tags ? `{${Object.entries(s.tags).map(([k, v]) => `${k}=${v}`).join(',')}}` : s.configType !== undefined ? '*' : '{}');
  return s.configType !== undefined ? `${s.configType}/${rest}` : rest;
}

interface Compiled {
  declared: Declared;
  /** config.resource: the Config type's glob, matched on `props.configType`. */
  configType?: RegExp;
  region?: string;
  name?: RegExp;
  tags: Array<[string, RegExp]>;
}

function matches(c: Compiled, r: Resource): boolean {
  if (c.configType && !(typeof r.props.configType === 'string' && c.configType.test(r.props.configType))) return false;
  if (c.region !== undefined && c.region !== r.region) return false;
  if (c.name && !(typeof r.props.name === 'string' && c.name.test(r.props.name))) return false;
  for (const [key, value] of c.tags) {
    // Own tags only: a selector on a tag named `constructor` must not match Object.prototype's.
    const actual = Object.hasOwn(r.tags, key) ? r.tags[key] : undefined;
    if (typeof actual !== 'string' || !value.test(actual)) return false;
  }
  return true;
}

/**
 * Declarations from a list of selectors. Selectors with an id are found by a
 * map lookup; the rest are tried in order. The first match claims the resource.
 */
export function selectorDeclarations(type: SelectableType, selectors: ResourceSelector[]): Declarations {
  const byId = new Map<string, Compiled[]>();
  const others: Compiled[] = [];
  const entries: Declared[] = [];
  selectors.forEach((s, index) => {
    const declared: Declared = {
      subject: selectorSubject(type, s),
      id: selectorId(s),
      region: s.region ?? '*',
      data: { ...s, index, max: s.max ?? null, configType: s.configType ?? null },
      concrete: s.id !== undefined || (s.name !== undefined && !isGlob(s.name)),
    };
    entries.push(declared);
    const c: Compiled = {
      declared,
      ...(s.configType !== undefined ? { configType: globToRegExp(s.configType) } : {}),
      ...(s.region !== undefined && s.region !== '*' ? { region: s.region } : {}),
      ...(s.name !== undefined ? { name: globToRegExp(s.name) } : {}),
      tags: Object.entries(s.tags ?? {}).map(([k, v]) => [k, globToRegExp(v)]),
    };
    if (s.id !== undefined) byId.set(s.id, [...(byId.get(s.id) ?? []), c]);
    else if (s.name !== undefined || s.tags !== undefined || s.region !== undefined || s.configType !== undefined) others.push(c);
  });
  return {
    entries,
    match(r) {
      const candidates = byId.get(r.id);
      let best: Compiled | undefined = candidates?.find((c) => matches(c, r));
      for (const c of others) {
        if (best && (best.declared.data.index as number) < (c.declared.data.index as number)) break;
        if (matches(c, r)) {
          best = c;
          break;
        }
      }
      return best?.declared;
    },
  };
}

/**
 * The Config types a baseline declares: each distinct `configType` of the
 * selectors under resources.config.resource (globs allowed), matched on a
 * config.resourceType's id. None is concrete: a declared type may be absent.
 */
export function configTypeDeclarations(selectors: readonly ResourceSelector[]): Declarations {
  const globs = [...new Set(selectors.flatMap((s) => (s.configType !== undefined ? [s.configType] : [])))];
  const entries: Declared[] = globs.map((g) => ({ subject: `${RESOURCE_TYPES['config.resourceType'].prefix}/${g}`, id: g, region: 'global', data: { configType: g }, concrete: false }));
  const compiled = entries.map((d) => [globToRegExp(d.id), d] as const);
  return { entries, match: (r) => compiled.find(([re]) => re.test(r.id))?.[1] };
}
