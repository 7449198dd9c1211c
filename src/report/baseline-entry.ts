import { NameIndex } from '../engine/glob.js';
import { selectorDeclarations, selectorId } from '../engine/selectors.js';
import type { Baseline, ResourceSelector, SelectableType } from '../model/baseline.js';
import { SELECTABLE_TYPES } from '../model/baseline.js';
import { RESOURCE_TYPES, type Resource, type ResourceType } from '../model/resource.js';
import { pointerOf } from '../model/source-lines.js';
import type { Violation } from '../model/violation.js';

/** What a violation says about the resource it concerns. */
export type Concerned = Pick<Violation, 'resourceType' | 'resourceId' | 'region'>;

const PRINCIPAL_SECTIONS = { user: 'users', group: 'groups', role: 'roles' } as const;
type PrincipalKind = keyof typeof PRINCIPAL_SECTIONS;

type Named = { name: string };
type Entry<T> = { entry: T; index: number };

function indexOf<T extends Named>(entries: readonly T[] | undefined): NameIndex<Entry<T>> {
  return new NameIndex((entries ?? []).map((entry, index) => ({ entry, index })), (e) => e.entry.name);
}

/** A string list's item: exact, or (for a policy named by ARN in AWS and by name in the baseline) the ARN's last part. */
function itemIndex(items: unknown, wanted: string): number {
  if (!Array.isArray(items)) return -1;
  const exact = items.indexOf(wanted);
  if (exact >= 0) return exact;
  const name = wanted.slice(wanted.lastIndexOf('/') + 1);
  return wanted.startsWith('arn:') ? items.indexOf(name) : -1;
}

/** `user/alice/rest` -> ['user', 'alice', 'rest']: a principal's kind and name never hold a `/`, the rest may (an ARN). */
function principalRef(id: string): { kind: PrincipalKind; name: string; item: string } | undefined {
  const first = id.indexOf('/');
  const second = id.indexOf('/', first + 1);
  if (first < 0 || second < 0) return undefined;
  const kind = id.slice(0, first);
  if (!Object.hasOwn(PRINCIPAL_SECTIONS, kind)) return undefined;
  return { kind: kind as PrincipalKind, name: id.slice(first + 1, second), item: id.slice(second + 1) };
}

/**
 * Where in the baseline a violation belongs, as a JSON pointer: the entry it
 * concerns (the declared user, its key, the role, the selector), or, for a
 * resource nothing declares, the section its declaration would go in
 * (`/iam/users`, a known user's `accessKeys`, `/resources/ec2.instance`).
 * Pure: the baseline as loaded, and the resources audited (a key's id does
 * not name its user; which selector claims an instance depends on its tags).
 */
export function baselineEntries(baseline: Baseline, resources: readonly Resource[]): (v: Concerned) => string {
  const byType = new Map<ResourceType, Map<string, Resource>>();
  /** The audited resource a violation names, indexed per type the first time one is asked for. */
  const resourceOf = (v: Concerned): Resource | undefined => {
    let index = byType.get(v.resourceType);
    if (!index) {
      index = new Map();
      for (const r of resources) if (r.type === v.resourceType) index.set(`${r.region}\u0000${r.id}`, r);
      byType.set(v.resourceType, index);
    }
    return index.get(`${v.region}\u0000${v.resourceId}`);
  };
  const iam = baseline.iam ?? {};
  const principals = {
    user: indexOf(iam.users),
    group: indexOf(iam.groups),
    role: indexOf(iam.roles),
  } satisfies Record<PrincipalKind, unknown>;
  const policies = indexOf(iam.policies);
  const keys = new Map<string, string>();
  (iam.users ?? []).forEach((u, i) => {
    const declared: unknown = u.accessKeys;
    if (!Array.isArray(declared)) return;
    declared.forEach((k: unknown, j) => {
      const id = typeof k === 'object' && k !== null ? (k as { id?: unknown }).id : undefined;
      if (typeof id === 'string' && !keys.has(id)) keys.set(id, pointerOf(['iam', 'users', i, 'accessKeys', j]));
    });
  });

  const user = (name: string) => principals.user.get(name);
  const userPointer = (name: string, ...rest: (string | number)[]) => {
    const u = user(name);
    return u ? pointerOf(['iam', 'users', u.index, ...rest]) : '/iam/users';
  };
  const named = (section: 'users' | 'groups' | 'roles' | 'policies', index: NameIndex<Entry<Named>>) => (v: Concerned) => {
    const e = index.get(v.resourceId);
    return e ? pointerOf(['iam', section, e.index]) : pointerOf(['iam', section]);
  };
  const perPrincipal = (list: 'policies' | 'inlinePolicies') => (v: Concerned) => {
    const ref = principalRef(v.resourceId);
    if (!ref) return '/iam';
    const section = PRINCIPAL_SECTIONS[ref.kind];
    const e = principals[ref.kind].get(ref.name);
    if (!e) return pointerOf(['iam', section]);
    const k = itemIndex((e.entry as unknown as Record<string, unknown>)[list], ref.item);
    return pointerOf(['iam', section, e.index, list, ...(k >= 0 ? [k] : [])]);
  };
  const selectors = (type: SelectableType) => {
    const list = baseline.resources?.[type] ?? [];
    let claims: ReturnType<typeof selectorDeclarations> | undefined;
    return (v: Concerned) => {
      // A resource: the selector that claims it, as the engine matches; a selector's own violation (missing, over its max) names it.
      const r = resourceOf(v);
      claims ??= selectorDeclarations(type, list);
      const claimed = r ? claims.match(r)?.data.index : undefined;
      const i = typeof claimed === 'number' ? claimed : list.findIndex((s) => (s.region ?? '*') === v.region && selectorId(s) === v.resourceId);
      return pointerOf(['resources', type, ...(i >= 0 ? [i] : [])]);
    };
  };

  /** The types whose entries can be told apart; any other points at the section its descriptor names. */
  const locate: Partial<Record<ResourceType, (v: Concerned) => string>> = {
    'iam.user': named('users', principals.user),
    'iam.group': named('groups', principals.group),
    'iam.role': named('roles', principals.role),
    'iam.policy': named('policies', policies),
    'iam.accessKey': (v) => {
      const declared = keys.get(v.resourceId);
      if (declared !== undefined) return declared;
      // A count policy's entry is `<user>/*`; an undeclared key belongs in its owner's list.
      const user = resourceOf(v)?.props.user;
      const owner = v.resourceId.endsWith('/*') ? v.resourceId.slice(0, -2) : typeof user === 'string' ? user : undefined;
      return owner === undefined ? '/iam/users' : userPointer(owner, 'accessKeys');
    },
    'iam.loginProfile': (v) => userPointer(v.resourceId, 'console'),
    'iam.groupMembership': (v) => {
      const slash = v.resourceId.indexOf('/');
      const [name, group] = slash < 0 ? [v.resourceId, ''] : [v.resourceId.slice(0, slash), v.resourceId.slice(slash + 1)];
      const u = user(name);
      if (!u) return '/iam/users';
      const k = itemIndex(u.entry.groups, group);
      return pointerOf(['iam', 'users', u.index, 'groups', ...(k >= 0 ? [k] : [])]);
    },
    'iam.policyAttachment': perPrincipal('policies'),
    'iam.inlinePolicy': perPrincipal('inlinePolicies'),
    ...(Object.fromEntries(SELECTABLE_TYPES.map((t) => [t, selectors(t)])) as Record<SelectableType, (v: Concerned) => string>),
  };
  return (v) => locate[v.resourceType]?.(v) ?? sectionOf(v.resourceType);
}

/**
 * The baseline section a type's descriptor names, as a pointer: `root`,
 * `iam.users[].accessKeys` -> `/iam/users`, `resources` -> `/resources/<type>`;
 * '' (the whole file) for a type no baseline declares.
 */
export function sectionOf(type: ResourceType): string {
  const where: string | null = RESOURCE_TYPES[type].baseline;
  if (where === null) return '';
  if (where === 'resources') return pointerOf(['resources', type]);
  // `resources.<type>[]...`: a type declared through another type's selectors (config.resourceType by config.resource's configType).
  if (where.startsWith('resources.')) return pointerOf(['resources', where.slice('resources.'.length).split('[')[0] ?? '']);
  const path = /^[\w.]+/.exec(where)?.[0] ?? '';
  return pointerOf(path.split('.').filter((s) => s !== ''));
}
