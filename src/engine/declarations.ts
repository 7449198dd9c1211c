import { declaredKeys, keyCountPolicy, SELECTABLE_TYPES, type Baseline, type BaselineGroup, type BaselineRole, type BaselineUser, type SelectableType } from '../model/baseline.js';
import { normalizePrincipal } from '../model/principal.js';
import { subjectOf, type Resource, type ResourceType } from '../model/resource.js';
import type { Declarations, Declared } from './declared.js';
import { isGlob, NameIndex } from './glob.js';
import { configTypeDeclarations, selectorDeclarations } from './selectors.js';

type Principal = BaselineUser | BaselineRole | BaselineGroup;
const PRINCIPAL_KINDS = ['user', 'group', 'role'] as const;
type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

function principals(b: Baseline, kind: PrincipalKind): Principal[] {
  const iam = b.iam ?? {};
  return (kind === 'user' ? iam.users : kind === 'group' ? iam.groups : iam.roles) ?? [];
}

/** A type declared by a list of named entries (globs allowed), matched on the resource id. */
function byName<T>(type: ResourceType, entries: T[], nameOf: (e: T) => string, dataOf: (e: T) => Record<string, unknown>): Declarations {
  const declared = entries.map((e) => ({
    subject: subjectOf(type, nameOf(e), 'global'),
    id: nameOf(e),
    region: 'global',
    data: dataOf(e),
    concrete: !isGlob(nameOf(e)),
  }));
  const index = new NameIndex(declared, (d) => d.data.name as string);
  return { entries: declared, match: (r) => index.get(r.id) };
}

/**
 * A type whose declarations hang off principals (policy attachments, inline
 * policies): `${kind}/${principal}/${item}`, where the principal may be a glob.
 */
function perPrincipal(
  type: 'iam.policyAttachment' | 'iam.inlinePolicy',
  b: Baseline,
  itemsOf: (p: Principal) => string[] | undefined,
  refsOf: (r: Resource) => string[],
): Declarations {
  const entries: Declared[] = [];
  const indexes = new Map<PrincipalKind, NameIndex<{ principal: Principal; items: Map<string, Declared> }>>();
  for (const kind of PRINCIPAL_KINDS) {
    const rows = principals(b, kind).map((principal) => {
      const items = new Map<string, Declared>();
      for (const item of itemsOf(principal) ?? []) {
        const d: Declared = {
          subject: subjectOf(type, `${kind}/${principal.name}/${item}`, 'global'),
          id: `${kind}/${principal.name}/${item}`,
          region: 'global',
          data: { principalType: kind, principalName: principal.name, policy: item },
          concrete: !isGlob(principal.name),
        };
        items.set(item, d);
        entries.push(d);
      }
      return { principal, items };
    });
    indexes.set(kind, new NameIndex(rows, (row) => row.principal.name));
  }
  return {
    entries,
    match(r) {
      const row = indexes.get(r.props.principalType as PrincipalKind)?.get(String(r.props.principalName));
      if (!row) return undefined;
      for (const ref of refsOf(r)) {
        const d = row.items.get(ref);
        if (d) return d;
      }
      return undefined;
    },
  };
}

const userData = (u: BaselineUser) => ({
  name: u.name,
  console: u.console ?? false,
  accessKeys: declaredKeys(u).map((k) => k.id),
  policies: u.policies ?? [],
  inlinePolicies: u.inlinePolicies ?? [],
  groups: u.groups ?? [],
});

/** Oldest first: creation time, then id; a key with no creation time counts as the youngest, never the one kept. */
function byAge(a: Resource, b: Resource): number {
  const time = (r: Resource) => {
    const t = typeof r.props.createDate === 'string' ? Date.parse(r.props.createDate) : Number.NaN;
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  };
  const ta = time(a);
  const tb = time(b);
  return ta < tb ? -1 : ta > tb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Which of a count-policy user's keys take its slots first: active ones, then the oldest. */
function slotOrder(a: Resource, b: Resource): number {
  return Number(b.props.status === 'Active') - Number(a.props.status === 'Active') || byAge(a, b);
}

/**
 * Keys declared by id match by id. A user that declares its keys by count
 * (`accessKeys: { count, maxAgeDays }`) has one entry, `<user>/*`, that every
 * key of that user matches; its `accepted` lists the keys within the count,
 * active ones first, then the oldest. A key beyond them is the one to doubt:
 * an intruder's key is younger than the keys it joins, and a legitimate
 * rotation leaves the new key active and the old one inactive until it is
 * deleted. Laundering an intruder's key into the count takes deleting one of
 * the user's own keys (a user with fewer keys than `count` is reported too).
 */
function accessKeyDeclarations(b: Baseline, resources: readonly Resource[]): Declarations {
  const byId = byName(
    'iam.accessKey',
    (b.iam?.users ?? []).flatMap((u) => declaredKeys(u).map((k) => ({ ...k, user: u.name }))),
    (k) => k.id,
    (k) => ({ name: k.id, id: k.id, user: k.user, maxAgeDays: k.maxAgeDays ?? null, count: null, accepted: null, displacing: null }),
  );
  const keysOf = new Map<string, Resource[]>();
  for (const r of resources) {
    if (r.type !== 'iam.accessKey') continue;
    const user = String(r.props.user);
    const list = keysOf.get(user);
    if (list) list.push(r);
    else keysOf.set(user, [r]);
  }
  const policies = new Map<string, Declared>();
  for (const u of b.iam?.users ?? []) {
    const policy = keyCountPolicy(u);
    if (!policy || policies.has(u.name)) continue; // a duplicate user is a load error; the first one counts
    const keys = keysOf.get(u.name) ?? [];
    const accepted = [...keys].sort(slotOrder).slice(0, policy.count).map((k) => k.id);
    // An accepted key the oldest-first order would not keep took the slot of an older, inactive key: the second
    // half of a rotation, or an intruder's key added to a user whose own keys are inactive. Only a person can tell.
    const byAgeKept = new Set([...keys].sort(byAge).slice(0, policy.count).map((k) => k.id));
    const displacing = accepted.filter((id) => !byAgeKept.has(id));
    const id = `${u.name}/*`;
    policies.set(u.name, {
      subject: subjectOf('iam.accessKey', id, 'global'),
      id,
      region: 'global',
      data: { name: id, id: null, user: u.name, maxAgeDays: policy.maxAgeDays ?? null, count: policy.count, accepted, displacing },
      concrete: false,
    });
  }
  return {
    entries: [...byId.entries, ...policies.values()],
    match: (r) => byId.match(r) ?? policies.get(String(r.props.user)),
  };
}

/** A type's declarations, from the baseline and, for those that depend on them (keys declared by count), the live resources of that type. */
type Declare = (b: Baseline, resources: readonly Resource[]) => Declarations;

/** How the baseline declares each type that selectors do not: an exhaustive map, so a new type must say. */
const BY_ENTRIES: Record<Exclude<ResourceType, SelectableType>, Declare> = {
  'account.root': (b) => {
    const root: Declared = {
      subject: 'root/root',
      id: 'root',
      region: 'global',
      data: { mfa: b.root?.mfa ?? 'required', accessKeys: b.root?.accessKeys ?? 'forbidden' },
      concrete: false,
    };
    return { entries: [root], match: () => root };
  },
  'account.cloudtrail': (b) => {
    const entry: Declared = {
      subject: subjectOf('account.cloudtrail', 'account', 'global'),
      id: 'account',
      region: 'global',
      data: { multiRegionLogging: b.cloudtrail?.multiRegionLogging ?? 'optional' },
      concrete: false,
    };
    return { entries: [entry], match: () => entry };
  },
  'iam.user': (b) => byName('iam.user', b.iam?.users ?? [], (u) => u.name, userData),
  'iam.accessKey': accessKeyDeclarations,
  'iam.loginProfile': (b) =>
    byName(
      'iam.loginProfile',
      (b.iam?.users ?? []).filter((u) => u.console === true),
      (u) => u.name,
      (u) => ({ name: u.name, user: u.name }),
    ),
  'iam.role': (b) =>
    byName('iam.role', b.iam?.roles ?? [], (r) => r.name, (r) => ({
      name: r.name,
      trustedPrincipals: r.trustedPrincipals ? r.trustedPrincipals.map(normalizePrincipal) : null,
      policies: r.policies ?? [],
      inlinePolicies: r.inlinePolicies ?? [],
    })),
  'iam.group': (b) =>
    byName('iam.group', b.iam?.groups ?? [], (g) => g.name, (g) => ({
      name: g.name,
      policies: g.policies ?? [],
      inlinePolicies: g.inlinePolicies ?? [],
    })),
  'iam.policy': (b) => byName('iam.policy', b.iam?.policies ?? [], (p) => p.name, (p) => ({ name: p.name })),
  'iam.policyAttachment': (b) =>
    perPrincipal('iam.policyAttachment', b, (p) => p.policies, (r) => [String(r.props.policyArn), String(r.props.policyName)]),
  'iam.inlinePolicy': (b) => perPrincipal('iam.inlinePolicy', b, (p) => p.inlinePolicies, (r) => [String(r.props.policyName)]),
  // Everything taggable that no specific collector covers: never declared one by one.
  'tagged.resource': () => ({ entries: [], match: () => undefined }),
  // A Config type is declared by the `configType` of some selector under resources.config.resource.
  'config.resourceType': (b) => configTypeDeclarations(b.resources?.['config.resource'] ?? []),
  'iam.groupMembership': (b) =>
    byName(
      'iam.groupMembership',
      (b.iam?.users ?? []).flatMap((u) => (u.groups ?? []).map((g) => ({ user: u.name, group: g }))),
      (m) => `${m.user}/${m.group}`,
      (m) => ({ name: `${m.user}/${m.group}`, user: m.user, group: m.group }),
    ),
};

/**
 * The types whose declarations read their own live resources (keys declared
 * by count: which keys a count accepts depends on every key of the user). The
 * engine holds their resources whole and judges them last (evaluation.ts);
 * every other type is declared by the baseline alone, so each resource is
 * judged as it is read. A type whose Declare reads `resources` belongs here.
 */
export const DECLARED_FROM_RESOURCES: ReadonlySet<ResourceType> = new Set<ResourceType>(['iam.accessKey']);

/** How the baseline declares each resource type: the map above, and selectors under `resources` for the types whose descriptor says so. */
export const DECLARATIONS: Record<ResourceType, Declare> = {
  ...BY_ENTRIES,
  ...(Object.fromEntries(SELECTABLE_TYPES.map((t): [SelectableType, Declare] => [t, (b) => selectorDeclarations(t, b.resources?.[t] ?? [])])) as Record<SelectableType, Declare>),
};
