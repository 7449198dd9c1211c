/**
 * Baseline entries as YAML nodes, with the comments a reviewer needs: shared
 * by `baseline init` (a whole document) and `baseline update` (entries added
 * to an existing one). Names from AWS are values, which the yaml library
 * quotes as needed; in comments they appear JSON-quoted (facts.quoted).
 */
import { type Document, type Node, YAMLMap, YAMLSeq } from 'yaml';
import type { AccountFacts, GroupFacts, PolicyFacts, RoleFacts, UserFacts } from './facts.js';
import type { PlannedSelector } from './regional.js';

export const DANGER = 'rollcall: DANGEROUS — ';
const WIDTH = 88;

/** Comment text for `commentBefore`: each sentence wrapped, each line led by a space (`# text`). */
export function commentText(sentences: readonly string[]): string {
  const lines: string[] = [];
  for (const sentence of sentences) {
    let line = '';
    for (const word of sentence.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > WIDTH) {
        lines.push(line);
        line = `  ${word}`;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line);
  }
  return lines.map((l) => (l === '' ? '' : ` ${l}`)).join('\n');
}

/** Adds sentences to a node's comment (after any it has). */
export function addComment(node: Node, sentences: readonly string[]): void {
  if (sentences.length === 0) return;
  const text = commentText(sentences);
  node.commentBefore = node.commentBefore ? `${node.commentBefore}\n${text}` : text;
}

/** A list of names: one flow line when it is short, a block list when not. */
export function nameList(doc: Document, items: readonly string[]): YAMLSeq {
  const seq = doc.createNode([...items]) as YAMLSeq;
  seq.flow = items.join(', ').length <= 60;
  return seq;
}

const dangers = (d: readonly string[]) => d.map((s) => `${DANGER}${s}.`);

function withPolicies(doc: Document, map: YAMLMap, p: { policies: string[]; inlinePolicies: string[] }): void {
  if (p.policies.length > 0) map.set('policies', nameList(doc, p.policies));
  if (p.inlinePolicies.length > 0) map.set('inlinePolicies', nameList(doc, p.inlinePolicies));
}

export function userNode(doc: Document, u: UserFacts): YAMLMap {
  const map = new YAMLMap();
  map.set('name', u.name);
  map.set('console', u.console);
  if (u.keys.length > 0) map.set('accessKeys', keysNode(doc, u.keys));
  withPolicies(doc, map, u);
  if (u.groups.length > 0) map.set('groups', nameList(doc, u.groups));
  const why = dangers(u.dangers);
  if (u.console && !u.mfa) why.push('Declared with console: true as found; iam-user-console-without-mfa reports it until the user has MFA.');
  addComment(map, [...why, ...u.notes.map((n) => `rollcall: ${n}.`)]);
  return map;
}

export function keyNode(doc: Document, key: { id: string; active: boolean }): YAMLMap {
  const node = doc.createNode({ id: key.id }) as YAMLMap;
  node.flow = true;
  if (!key.active) addComment(node, ['inactive: delete it once nothing needs it']);
  return node;
}

export function keysNode(doc: Document, keys: readonly { id: string; active: boolean }[]): YAMLSeq {
  const seq = new YAMLSeq();
  for (const k of keys) seq.items.push(keyNode(doc, k));
  return seq;
}

/** A role's entry; the caller leaves out a role that trusts `*` (see `roleLeftOut`). */
export function roleNode(doc: Document, r: RoleFacts): YAMLMap {
  const map = new YAMLMap();
  map.set('name', r.name);
  map.set('trustedPrincipals', nameList(doc, r.trustedPrincipals));
  withPolicies(doc, map, r);
  addComment(map, [...dangers(r.dangers), ...r.notes.map((n) => `rollcall: ${n}.`)]);
  return map;
}

export function groupNode(doc: Document, g: GroupFacts): YAMLMap {
  const map = new YAMLMap();
  map.set('name', g.name);
  withPolicies(doc, map, g);
  addComment(map, [...dangers(g.dangers), ...g.notes.map((n) => `rollcall: ${n}.`)]);
  return map;
}

export function policyNode(doc: Document, p: PolicyFacts): YAMLMap {
  const map = new YAMLMap();
  map.set('name', p.name);
  addComment(map, dangers(p.dangers));
  return map;
}

export function selectorNode(doc: Document, s: PlannedSelector): YAMLMap {
  const node = doc.createNode(s.selector) as YAMLMap;
  node.flow = true;
  for (const pair of node.items) if (pair.value instanceof YAMLMap) pair.value.flow = true;
  if (s.comment) addComment(node, [s.comment]);
  return node;
}

/** The root entry: the posture to keep, with what was found when it falls short. */
export function rootNode(doc: Document, facts: AccountFacts): YAMLMap {
  const node = doc.createNode({ mfa: 'required', accessKeys: 'forbidden' }) as YAMLMap;
  const found = facts.root;
  const sentences: string[] = [];
  if (!found) sentences.push('The root user could not be read: declared as it should be (MFA on, no access keys).');
  else {
    if (found.accessKeys) {
      sentences.push(
        `${DANGER}the root user has access keys. Declared forbidden all the same (accepting them would silence root-access-keys-present, critical): delete them.`,
      );
    }
    if (!found.mfa) {
      sentences.push(
        `${DANGER}the root user has no MFA. Declared required all the same, so root-mfa-disabled (critical) is reported until it has; set optional only to accept the risk.`,
      );
    }
    if (found.mfa && !found.accessKeys) sentences.push('As found: MFA on, no access keys.');
  }
  addComment(node, sentences);
  return node;
}
