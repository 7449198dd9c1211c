/**
 * `rollcall baseline update`: edits an existing baseline's YAML Document so
 * that it accepts the account as found (a rotated key, a new user, a removed
 * one), in place: entries keep their order and comments, new ones go last.
 * What needs a decision (a role trusting `*`, a max raised as found) is said
 * in `attention`. From an incomplete inventory (gaps, regions not scanned)
 * nothing is removed or narrowed: absence there proves nothing. Pure: no I/O.
 */
import { isMap, isScalar, isSeq, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { SELECTABLE_TYPES, type ResourceSelector, type SelectableType } from '../model/baseline.js';
import type { Inventory } from '../model/inventory.js';
import { isGlob, NameIndex } from '../engine/glob.js';
import { selectorDeclarations } from '../engine/selectors.js';
import { accountFacts, byName, type PrincipalPolicies } from './facts.js';
import { groupNode, keyNode, nameList, policyNode, roleNode, selectorNode, userNode } from './nodes.js';
import { selectorsFor } from './regional.js';

export interface UpdateResult {
  /** What was changed, one line each (empty: the baseline already accepts the account). */
  changes: string[];
  /** What needs a decision and was not accepted. */
  attention: string[];
}

const str = (n: unknown): string | undefined => (isScalar(n) ? (typeof n.value === 'string' ? n.value : undefined) : typeof n === 'string' ? n : undefined);
const nameOf = (item: unknown): string | undefined => (isMap(item) ? str(item.get('name', true)) : undefined);

/** The sequence at a path, made (block style) when absent; `dropEmptyMade` takes it out again if nothing was added. */
function seqAt(doc: Document, path: string[], made: string[][]): YAMLSeq {
  const found = doc.getIn(path, true);
  if (isSeq(found)) return found;
  const seq = new YAMLSeq();
  doc.setIn(path, seq);
  made.push(path);
  return seq;
}

function dropEmptyMade(doc: Document, made: string[][]): void {
  for (const path of made) {
    const seq = doc.getIn(path, true);
    if (isSeq(seq) && seq.items.length === 0) doc.deleteIn(path);
    const parent = doc.getIn(path.slice(0, -1), true);
    if (isMap(parent) && parent.items.length === 0) doc.deleteIn(path.slice(0, -1));
  }
}

/**
 * Makes a list of names under `key` of `map` equal to `wanted`, keeping the
 * items that stay where they are and adding the others last; drops the key
 * when nothing is left. Returns what changed.
 */
function syncNames(doc: Document, map: YAMLMap, key: string, wanted: readonly string[], what: string, opts: { removeOnly?: boolean; addOnly?: boolean } = {}): string[] {
  const node = map.get(key, true);
  const current = isSeq(node) ? node.items.map(str) : [];
  const changes: string[] = [];
  const want = new Set(wanted);
  if (isSeq(node) && !opts.addOnly) {
    for (let i = node.items.length - 1; i >= 0; i--) {
      const v = current[i];
      if (v !== undefined && !want.has(v)) {
        node.items.splice(i, 1);
        changes.push(`${what}: remove ${key} ${v}`);
      }
    }
  }
  if (!opts.removeOnly) {
    const missing = wanted.filter((w) => !current.includes(w));
    if (missing.length > 0) {
      if (isSeq(node)) for (const m of missing) node.items.push(doc.createNode(m));
      else map.set(key, nameList(doc, missing));
      for (const m of missing) changes.push(`${what}: add ${key} ${m}`);
    }
  }
  const after = map.get(key, true);
  if (isSeq(after) && after.items.length === 0 && isSeq(node)) map.delete(key);
  return changes;
}

function syncPolicies(doc: Document, map: YAMLMap, p: PrincipalPolicies, what: string, addOnly = false): string[] {
  return [...syncNames(doc, map, 'policies', p.policies, what, { addOnly }), ...syncNames(doc, map, 'inlinePolicies', p.inlinePolicies, what, { addOnly })];
}

/**
 * What may be removed: only what a complete inventory shows gone. From an
 * inventory with gaps (a read that failed) or regions not scanned, absence
 * proves nothing, so nothing is removed or narrowed; what would have been is
 * said, in `kept`.
 */
interface Removal {
  complete: boolean;
  changes: string[];
  kept: string[];
}

/** Removes the entries `gone` says are gone (it returns the change to report), last first; from an incomplete inventory, keeps them and says so. */
function removeItems(seq: YAMLSeq, gone: (item: unknown) => string | undefined, r: Removal): void {
  for (let i = seq.items.length - 1; i >= 0; i--) {
    const change = gone(seq.items[i]);
    if (change === undefined) continue;
    if (!r.complete) {
      r.kept.push(change);
      continue;
    }
    // A comment above the first item is the sequence's in YAML's model: it described this item.
    if (i === 0) seq.commentBefore = null;
    seq.items.splice(i, 1);
    r.changes.push(change);
  }
}

export function updateBaseline(doc: Document, inventory: Inventory): UpdateResult {
  const facts = accountFacts(inventory);
  const changes: string[] = [];
  const attention: string[] = facts.undeclarable.map((u) => `not declared: ${u}`);
  const made: string[][] = [];
  const notSelected = (inventory.skippedRegions ?? []).filter((x) => x.reason === 'not-selected').length;
  const complete = inventory.gaps.length === 0 && notSelected === 0;
  const removal: Removal = { complete, changes, kept: [] };
  /** From an incomplete inventory, lists are only ever widened. */
  const widenOnly = !complete;

  // Users: exact names only (the schema allows no glob).
  {
    const seq = seqAt(doc, ['iam', 'users'], made);
    const declared = new Set<string>();
    removeItems(seq, (item) => {
      const name = nameOf(item);
      return name === undefined || facts.users.has(name) ? undefined : `remove user ${name} (gone from the account)`;
    }, removal);
    for (const item of seq.items) {
      const name = nameOf(item);
      const u = name !== undefined ? facts.users.get(name) : undefined;
      if (!u || !isMap(item) || declared.has(u.name)) continue;
      declared.add(u.name);
      const what = `user ${u.name}`;
      const console = item.get('console', true);
      const declaredConsole = isScalar(console) && console.value === true;
      if (declaredConsole !== u.console && (u.console || complete)) {
        if (isScalar(console)) console.value = u.console;
        else item.set('console', u.console);
        changes.push(`${what}: console ${u.console}`);
        if (u.console && !u.mfa) attention.push(`DANGEROUS: user ${u.name} can sign in to the console without MFA`);
      }
      const keys = item.get('accessKeys', true);
      if (isSeq(keys) || keys === undefined) {
        const live = new Map(u.keys.map((k) => [k.id, k]));
        const listed = isSeq(keys) ? keys.items.map((k) => (isMap(k) ? str(k.get('id', true)) : undefined)) : [];
        if (isSeq(keys)) {
          removeItems(keys, (k) => {
            const id = isMap(k) ? str(k.get('id', true)) : undefined;
            return id === undefined || live.has(id) ? undefined : `${what}: remove access key ${id} (gone)`;
          }, removal);
        }
        const added = u.keys.filter((k) => !listed.includes(k.id));
        if (added.length > 0) {
          const target = isSeq(keys) ? keys : new YAMLSeq();
          for (const k of added) {
            target.items.push(keyNode(doc, k));
            changes.push(`${what}: add access key ${k.id}`);
          }
          if (!isSeq(keys)) item.set('accessKeys', target);
        }
        const after = item.get('accessKeys', true);
        if (isSeq(after) && after.items.length === 0) item.delete('accessKeys');
      }
      // Keys declared by count accept a rotation as they are: nothing to change.
      changes.push(...syncPolicies(doc, item, u, what, widenOnly));
      changes.push(...syncNames(doc, item, 'groups', u.groups, what, { addOnly: widenOnly }));
      for (const d of u.dangers) if (d.includes('*:*')) attention.push(`DANGEROUS: user ${u.name}: ${d}`);
    }
    for (const u of byName(facts.users.values())) {
      if (declared.has(u.name)) continue;
      seq.items.push(userNode(doc, u));
      changes.push(`add user ${u.name}`);
      for (const d of u.dangers) attention.push(`DANGEROUS: user ${u.name}: ${d}`);
    }
  }

  // Roles: names may be globs; the first entry a role's name matches claims it (exact names first), as audit does.
  {
    const seq = seqAt(doc, ['iam', 'roles'], made);
    removeItems(seq, (item) => {
      const name = nameOf(item);
      return name === undefined || isGlob(name) || facts.roles.has(name) ? undefined : `remove role ${name} (gone from the account)`;
    }, removal);
    const entries = seq.items.filter(isMap).map((item) => ({ item, name: nameOf(item) ?? '' }));
    const index = new NameIndex(entries, (e) => e.name);
    const claimed = new Set<YAMLMap>();
    for (const r of byName(facts.roles.values())) {
      const entry = index.get(r.name);
      if (!entry) {
        seq.items.push(roleNode(doc, r));
        changes.push(`add role ${r.name}`);
        for (const d of r.dangers) attention.push(`DANGEROUS: role ${r.name}: ${d}`);
        continue;
      }
      const glob = isGlob(entry.name);
      const what = `role ${entry.name}`;
      const trusted = r.trustedPrincipals;
      if (r.trustsAnyone) attention.push(`DANGEROUS: role ${r.name} trusts "*": iam-role-trusts-anyone (critical) reports it, declared or not`);
      if (isSeq(entry.item.get('trustedPrincipals', true))) {
        // A glob entry speaks for several roles: only ever widened here, never narrowed by one of them.
        changes.push(...syncNames(doc, entry.item, 'trustedPrincipals', trusted, what, { addOnly: widenOnly || glob || claimed.has(entry.item) }));
      }
      changes.push(...syncPolicies(doc, entry.item, r, what, widenOnly || glob || claimed.has(entry.item)));
      claimed.add(entry.item);
    }
  }

  // Groups and customer policies: exact names.
  {
    const seq = seqAt(doc, ['iam', 'groups'], made);
    removeItems(seq, (item) => {
      const name = nameOf(item);
      return name === undefined || facts.groups.has(name) ? undefined : `remove group ${name} (gone from the account)`;
    }, removal);
    const declared = new Set<string>();
    for (const item of seq.items) {
      const g = facts.groups.get(nameOf(item) ?? '');
      if (!g || !isMap(item) || declared.has(g.name)) continue;
      declared.add(g.name);
      changes.push(...syncPolicies(doc, item, g, `group ${g.name}`, widenOnly));
    }
    for (const g of byName(facts.groups.values())) {
      if (declared.has(g.name)) continue;
      seq.items.push(groupNode(doc, g));
      changes.push(`add group ${g.name}`);
    }
  }
  {
    const seq = seqAt(doc, ['iam', 'policies'], made);
    removeItems(seq, (item) => {
      const name = nameOf(item);
      return name === undefined || facts.policies.has(name) ? undefined : `remove customer policy ${name} (gone from the account)`;
    }, removal);
    const declared = new Set(seq.items.map(nameOf));
    for (const p of byName(facts.policies.values())) {
      if (declared.has(p.name)) continue;
      seq.items.push(policyNode(doc, p));
      changes.push(`add customer policy ${p.name}`);
      for (const d of p.dangers) attention.push(`DANGEROUS: ${d}`);
    }
  }

  // Regions: a list the baseline keeps is widened to the regions in use, never narrowed (which regions may be used is policy).
  const allowed = doc.getIn(['regions', 'allowed'], true);
  if (isSeq(allowed)) {
    const listed = allowed.items.map(str);
    for (const region of facts.regionsInUse.keys()) {
      if (listed.includes(region)) continue;
      allowed.items.push(doc.createNode(region));
      changes.push(`allow region ${region} (in use)`);
    }
  }

  // Regional resources: selectors that name something gone go; what no selector claims gets one, last; a full group's max grows.
  for (const type of SELECTABLE_TYPES) changes.push(...updateSelectors(doc, type, facts.regional, removal, attention));
  dropEmptyMade(doc, made);
  if (removal.kept.length > 0) {
    const why = [inventory.gaps.length > 0 ? `${inventory.gaps.length} gap${inventory.gaps.length === 1 ? '' : 's'}` : '', notSelected > 0 ? `${notSelected} region${notSelected === 1 ? '' : 's'} not scanned` : '']
      .filter(Boolean)
      .join(', ');
    attention.push(`not removed, since the inventory is incomplete (${why}) and what it lacks may still exist: ${removal.kept.join('; ')}`);
  }
  return { changes, attention };
}

function updateSelectors(doc: Document, type: SelectableType, regional: AccountFactsRegional, removal: Removal, attention: string[]): string[] {
  const live = regional.filter((r) => r.type === type);
  const node = doc.getIn(['resources', type], true);
  const seq = isSeq(node) ? node : undefined;
  const changes: string[] = [];
  if (seq) {
    const selectors = seq.items.map((item) => (isMap(item) ? (item.toJSON() as ResourceSelector) : {}));
    const declarations = selectorDeclarations(type, selectors);
    const matched = new Map<number, number>();
    const unclaimed = [];
    for (const r of live) {
      const d = declarations.match(r);
      if (d) matched.set(d.data.index as number, (matched.get(d.data.index as number) ?? 0) + 1);
      else unclaimed.push(r);
    }
    const items = [...seq.items];
    removeItems(seq, (item) => {
      const i = items.indexOf(item as never);
      const d = declarations.entries[i];
      return !d || !d.concrete || (matched.get(i) ?? 0) > 0 ? undefined : `${type}: remove selector ${d.subject} (matches nothing)`;
    }, { ...removal, changes });
    items.forEach((item, i) => {
      const max = selectors[i]?.max;
      const n = matched.get(i) ?? 0;
      if (!isMap(item) || typeof max !== 'number' || n <= max) return;
      const maxNode = item.get('max', true);
      if (isScalar(maxNode)) maxNode.value = n;
      changes.push(`${type}: raise max of ${declarations.entries[i]?.subject} from ${max} to ${n} (as found: check that the extra ones are yours)`);
      attention.push(`DANGEROUS: ${type} ${declarations.entries[i]?.subject} claims ${n}, more than its max of ${max}: the max was raised as found, but an intruder's look-alikes are claimed the same way; check that the extra ones are yours`);
    });
    const planned = selectorsFor(type, unclaimed, selectors);
    for (const s of planned.selectors) {
      seq.items.push(selectorNode(doc, s));
      changes.push(`${type}: add selector ${describe(s.selector)}`);
    }
  } else {
    const planned = selectorsFor(type, live);
    if (planned.selectors.length === 0) return [];
    const created = new YAMLSeq();
    for (const s of planned.selectors) {
      created.items.push(selectorNode(doc, s));
      changes.push(`${type}: add selector ${describe(s.selector)}`);
    }
    if (!isMap(doc.get('resources', true))) doc.set('resources', new YAMLMap());
    const resources = doc.get('resources', true) as YAMLMap;
    const pair = doc.createPair(type, created);
    resources.items.push(pair);
  }
  return changes;
}

type AccountFactsRegional = ReturnType<typeof accountFacts>['regional'];

function describe(s: ResourceSelector): string {
  const parts = Object.entries(s).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return `{ ${parts.join(', ')} }`;
}
