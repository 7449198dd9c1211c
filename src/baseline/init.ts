/**
 * `rollcall baseline init`: an inventory as a baseline that, audited at once,
 * has no `unexpected` violation, except for what a security engineer would
 * not accept unseen (a role that trusts `*`), and that says in comments what
 * it grouped, what it could not decide, and what is dangerous. Pure: no I/O.
 */
import { Document, isMap, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { SELECTABLE_TYPES } from '../model/baseline.js';
import type { Inventory } from '../model/inventory.js';
import { accountFacts, byName, type AccountFacts } from './facts.js';
import { commentText, groupNode, nameList, policyNode, roleNode, rootNode, selectorNode, userNode } from './nodes.js';
import { selectorsFor } from './regional.js';

/** Options for the YAML text: no folding (a long name stays on its line), so the file reads and diffs line by line. */
export const YAML_OPTIONS = { lineWidth: 0, flowCollectionPadding: true } as const;

export interface InitResult {
  document: Document;
  /** One line each: what needs a decision (dangerous, left out, undecidable), for the terminal. */
  attention: string[];
}

export interface InitOptions {
  /** Where editors find the baseline schema (`rollcall schema baseline --path`): the first line's `$schema`. */
  schemaUrl?: string;
}

export function initBaseline(inventory: Inventory, options: InitOptions = {}): InitResult {
  const facts = accountFacts(inventory);
  const doc = new Document({});
  const top = doc.contents as YAMLMap;
  const attention: string[] = [];
  const put = (map: YAMLMap, key: string, value: Node, sentences: readonly string[] = []) => {
    const pair = doc.createPair(key, value);
    if (sentences.length > 0) (pair.key as Scalar).commentBefore = commentText(sentences);
    map.items.push(pair);
  };

  doc.commentBefore = commentText(header(inventory, facts, options.schemaUrl));
  put(top, 'version', doc.createNode(1));
  put(top, 'account', doc.createNode({ id: facts.accountId }), ['The account this baseline describes: an audit of any other account is refused.']);

  const regions = [...facts.regionsInUse.keys()];
  if (regions.length > 0) {
    const allowed = nameList(doc, regions);
    const regionsMap = new YAMLMap();
    regionsMap.set('allowed', allowed);
    put(top, 'regions', regionsMap, [
      `Regions in use when this was written: ${[...facts.regionsInUse].map(([r, n]) => `${r} (${n})`).join(', ')}, counting every regional resource found (tagged ones such as buckets too, which a baseline cannot declare one by one). Anything running elsewhere is reported (resource-region-not-allowed).`,
    ]);
  } else {
    attention.push('no regional resource found: regions.allowed left out, so any region is allowed');
  }

  put(top, 'root', rootNode(doc, facts), ['The root user.']);
  moveComment(top, 'root');
  if (facts.root?.accessKeys) attention.push('DANGEROUS: the root user has access keys (declared forbidden: audit reports them)');
  if (facts.root && !facts.root.mfa) attention.push('DANGEROUS: the root user has no MFA (declared required: audit reports it)');

  const iam = new YAMLMap();
  const users = new YAMLSeq();
  for (const u of byName(facts.users.values())) {
    users.items.push(userNode(doc, u));
    for (const d of u.dangers) attention.push(`DANGEROUS: user ${u.name}: ${d}`);
  }
  const roles = new YAMLSeq();
  for (const r of byName(facts.roles.values())) {
    roles.items.push(roleNode(doc, r));
    for (const d of r.dangers) attention.push(`DANGEROUS: role ${r.name}: ${d}`);
  }
  const groups = new YAMLSeq();
  for (const g of byName(facts.groups.values())) {
    groups.items.push(groupNode(doc, g));
    for (const d of g.dangers) attention.push(`DANGEROUS: group ${g.name}: ${d}`);
  }
  const policies = new YAMLSeq();
  for (const p of byName(facts.policies.values())) {
    policies.items.push(policyNode(doc, p));
    for (const d of p.dangers) attention.push(`DANGEROUS: ${d}`);
  }
  put(iam, 'users', users, ['Every user as found: its keys by id, whether it has a console password, its policies and groups.']);
  put(iam, 'roles', roles, ['Every role as found, with the principals its trust policy names.']);
  put(iam, 'groups', groups);
  put(iam, 'policies', policies, ['Customer managed policies (AWS managed ones are referenced by ARN above).']);
  put(top, 'iam', iam, [
    'IAM as found. Anything else is reported as unexpected; anything listed here but gone, as missing.',
    ...(facts.undeclarable.length > 0 ? [`Could not be declared (their names do not fit the baseline schema), so audit reports them: ${facts.undeclarable.join('; ')}.`] : []),
  ]);
  for (const u of facts.undeclarable) attention.push(`not declared: ${u}`);

  const resources = new YAMLMap();
  for (const type of SELECTABLE_TYPES) {
    const planned = selectorsFor(type, facts.regional);
    if (planned.selectors.length === 0) continue;
    const seq = new YAMLSeq();
    for (const s of planned.selectors) seq.items.push(selectorNode(doc, s));
    put(resources, type, seq, planned.summary ? [planned.summary] : []);
  }
  if (resources.items.length > 0) {
    put(top, 'resources', resources, [
      'Regional resources, per type. The first selector a resource matches claims it; anything no selector matches is reported as unexpected.',
    ]);
  }
  return { document: doc, attention };
}

/** `root:`'s map carries its comment; shown above the key, where a reader looks. */
function moveComment(top: YAMLMap, key: string): void {
  const pair = top.items.find((p) => (p.key as Scalar).value === key);
  if (!pair || !isMap(pair.value)) return;
  const value = pair.value as YAMLMap;
  if (value.commentBefore) {
    const k = pair.key as Scalar;
    k.commentBefore = `${k.commentBefore ?? ''}${k.commentBefore ? '\n' : ''}${value.commentBefore}`;
    value.commentBefore = null;
  }
}

function header(inventory: Inventory, facts: AccountFacts, schemaUrl: string | undefined): string[] {
  const lines = [
    ...(schemaUrl !== undefined ? [`yaml-language-server: $schema=${schemaUrl}`, ''] : []),
    `Written by \`rollcall baseline init\` from account ${facts.accountId} as it was found: ${facts.users.size} users, ${facts.roles.size} roles, ${facts.groups.size} groups, ${facts.policies.size} customer policies, ${facts.regional.length} regional resources.`,
    'Everything listed here is accepted by `rollcall audit`: review it before relying on it. Entries marked "rollcall: DANGEROUS" need a decision.',
    'After a change in the account (a rotated key, a new user), `rollcall baseline update` shows what to change here.',
    ...(schemaUrl === undefined ? ['For an editor\'s completion and checks, `rollcall schema baseline --path` prints the schema\'s URL to name in a `# yaml-language-server: $schema=` first line.'] : []),
  ];
  const notSelected = (inventory.skippedRegions ?? []).filter((s) => s.reason === 'not-selected').map((s) => s.region);
  if (notSelected.length > 0) lines.push(`rollcall: INCOMPLETE — regions not scanned (--regions): ${notSelected.join(', ')}. What runs there is not declared.`);
  if (inventory.gaps.length > 0) {
    const gaps = [...new Set(inventory.gaps.map((g) => `${g.type} in ${g.region} (${g.code})`))].sort();
    lines.push(`rollcall: INCOMPLETE — could not be read: ${gaps.join(', ')}. What is there is not declared: audit reports it once it can read it.`);
  }
  return lines;
}

/** The baseline as YAML text. */
export function baselineText(doc: Document): string {
  return doc.toString(YAML_OPTIONS);
}
