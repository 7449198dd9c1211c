/**
 * Regional resources as baseline selectors: grouped where that is sound, one by
 * one where it is not, each group with the sentence a reviewer needs. Pure.
 */
import { SELECTABLE_TYPES, type ResourceSelector, type SelectableType } from '../model/baseline.js';
import { RESOURCE_TYPES, type Resource } from '../model/resource.js';
import { globToRegExp } from '../engine/glob.js';
import { quoted, validRegion } from './facts.js';

/**
 * Tags only AWS can set (users cannot create `aws:` tags), put on the members
 * of a group whose ids change by design: the group replaces its members. A
 * selector on one of them accepts exactly that group's members.
 */
const FLEET_TAGS: readonly (readonly [string, string])[] = [
  ['aws:autoscaling:groupName', 'auto scaling group'],
  ['aws:ec2spot:fleet-request-id', 'spot fleet request'],
  ['aws:ec2:fleet-id', 'EC2 fleet'],
  ['aws:cloudformation:stack-name', 'CloudFormation stack'],
];

/** Types for which a rule enforces a selector's `max` (ec2-instance-count-over-max): only there may a look-alike name group be sound. */
const COUNTED: ReadonlySet<SelectableType> = new Set<SelectableType>(['ec2.instance']);

export interface PlannedSelector {
  selector: ResourceSelector;
  /** What a reviewer should know about it, one sentence (undefined for a plain id). */
  comment?: string;
}

export interface TypeSelectors {
  type: SelectableType;
  selectors: PlannedSelector[];
  /** A sentence for the whole list: what was declared one by one, and why. */
  summary?: string;
}

const noun = (type: SelectableType): string => RESOURCE_TYPES[type].prefix;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Whether a resource is of a type the baseline declares with selectors. */
export function isSelectable(r: Resource): r is Resource & { type: SelectableType } {
  return (SELECTABLE_TYPES as readonly string[]).includes(r.type);
}

/**
 * Selectors for resources of one type (live, not terminal, valid region):
 * AWS fleet tags first, then (where a rule caps the count) instances sharing
 * one exact Name in a region, then ids. The first selector a resource matches
 * claims it, so a group never takes a resource declared before it.
 */
export function selectorsFor(type: SelectableType, resources: readonly Resource[], existing: readonly ResourceSelector[] = []): TypeSelectors {
  if (type === 'config.resource') return configSelectorsFor(resources, existing);
  const left = resources.filter((r) => r.type === type && validRegion(r.region)).sort((a, b) => order(a.region, b.region) || order(a.id, b.id));
  const selectors: PlannedSelector[] = [];
  const counted = COUNTED.has(type);
  const taken = new Set<Resource>();

  for (const [tag, what] of FLEET_TAGS) {
    const groups = new Map<string, Resource[]>();
    for (const r of left) {
      const value = r.tags[tag];
      if (taken.has(r) || value === undefined || value === '' || value.includes('*')) continue;
      const key = `${r.region}\u0000${value}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    for (const [key, members] of [...groups].sort(([a], [b]) => order(a, b))) {
      const [region, value] = key.split('\u0000') as [string, string];
      members.forEach((m) => taken.add(m));
      selectors.push({
        selector: { region, tags: { [tag]: value }, ...(counted ? { max: members.length } : {}) },
        comment:
          `${plural(members.length, noun(type))} of ${what} ${quoted(value)} in ${region}: grouped by its ${tag} tag, which only AWS sets, since the ${what} replaces its members under new ids.` +
          (counted ? ` max is the count found: raise it to the group's largest size.` : ''),
      });
    }
  }

  if (counted) {
    const byName = new Map<string, Resource[]>();
    for (const r of left) {
      const name = typeof r.props.name === 'string' ? r.props.name : '';
      if (taken.has(r) || name === '' || name.includes('*')) continue;
      const key = `${r.region}\u0000${name}`;
      byName.set(key, [...(byName.get(key) ?? []), r]);
    }
    for (const [key, members] of [...byName].sort(([a], [b]) => order(a, b))) {
      if (members.length < 2) continue;
      const [region, name] = key.split('\u0000') as [string, string];
      members.forEach((m) => taken.add(m));
      selectors.push({
        selector: { region, name, max: members.length },
        comment: `${plural(members.length, noun(type))} named ${quoted(name)} in ${region}: grouped by that exact name, so a replaced one needs no baseline change; a Name tag anyone can copy, so max caps the group at the count found and a look-alike beyond it is reported.`,
      });
    }
  }

  const single = left.filter((r) => !taken.has(r));
  for (const r of single) selectors.push({ selector: { id: r.id, region: r.region } });
  const summary =
    single.length === 0
      ? undefined
      : `${plural(single.length, noun(type))} declared by id: ` +
        (counted
          ? 'no AWS fleet tag and no name shared with another in its region, so nothing says how it is replaced (an untagged resource cannot be grouped soundly); a replacement shows as unexpected and missing until `rollcall baseline update` accepts it.'
          : 'ids and names of these are stable, and no rule caps how many a pattern may match, so a name pattern would also accept an intruder\'s look-alike.');
  return { type, selectors, ...(summary ? { summary } : {}) };
}

/** A Config type the baseline schema accepts as written (`Org::Service::Type`): anything else (a custom type's odd name) is left to audit. */
const CONFIG_TYPE = /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/;

/**
 * AWS Config's resources, declared by type and region: one selector naming
 * each type in each region it was found in (`{ configType, region }`, every
 * resource of it there accepted), so an audit reports a type that appears
 * later (config-resource-type-undeclared), and a declared type in a region it
 * was not found in (config-resource-undeclared: an untagged notebook in a new
 * region), without one finding per default VPC, subnet or security group. In
 * baseline update, a type the baseline already names (`existing`) keeps its
 * form: declared region by region (selectors with only configType and
 * region), a new region is added the same way; declared more strictly (by
 * id, name, tags or max), its new resources are added one by one, by id.
 * Types a collector lists (instances, functions, IAM) are declared in their
 * own sections.
 */
function configSelectorsFor(resources: readonly Resource[], existing: readonly ResourceSelector[]): TypeSelectors {
  const naming = existing.flatMap((s) => (s.configType !== undefined ? [{ re: globToRegExp(s.configType), regionWide: Object.keys(s).every((k) => k === 'configType' || k === 'region') }] : []));
  const byType = new Map<string, Resource[]>();
  for (const r of resources) {
    if (r.type !== 'config.resource' || r.props.collectedAs !== null || typeof r.props.configType !== 'string') continue;
    byType.set(r.props.configType, [...(byType.get(r.props.configType) ?? []), r]);
  }
  const selectors: PlannedSelector[] = [];
  const odd: string[] = [];
  for (const [configType, members] of [...byType].sort(([a], [b]) => order(a, b))) {
    if (!CONFIG_TYPE.test(configType)) {
      odd.push(quoted(configType));
      continue;
    }
    const named = naming.filter((n) => n.re.test(configType));
    if (named.length > 0 && !named.every((n) => n.regionWide)) {
      for (const r of [...members].sort((a, b) => order(a.region, b.region) || order(a.id, b.id))) {
        if (r.region === 'global' || validRegion(r.region)) selectors.push({ selector: { configType, id: r.id, ...(r.region === 'global' ? {} : { region: r.region }) } });
      }
      continue;
    }
    const byRegion = new Map<string, number>();
    for (const m of members) if (m.region === 'global' || validRegion(m.region)) byRegion.set(m.region, (byRegion.get(m.region) ?? 0) + 1);
    for (const [region, n] of [...byRegion].sort(([a], [b]) => order(a, b))) {
      selectors.push({
        selector: { configType, ...(region === 'global' ? {} : { region }) },
        comment: `${plural(n, 'resource')} of ${quoted(configType)} found in ${region}: every one there is accepted. To have a new one reported, declare them by id or name instead (config-resource-undeclared), or add a max (config-resource-count-over-max).`,
      });
    }
  }
  const summary =
    odd.length > 0 ? `Config types whose names the baseline schema does not accept, left for audit to report: ${odd.join(', ')}.` : undefined;
  return { type: 'config.resource', selectors, ...(summary ? { summary } : {}) };
}
