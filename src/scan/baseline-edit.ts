/**
 * Adds key ids found in code to a baseline's `incident.exposedKeys`, in the
 * document itself (yaml's Document API: comments and order kept), so that the
 * exposed-key rules and the rotation workflow of `plan` take over. Pure.
 */
import { isMap, isScalar, isSeq, type Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { addComment } from '../baseline/nodes.js';

export interface KeyToAdd {
  keyId: string;
  /** One line for the comment above the key: where it was found (no file content, no secret). */
  note: string;
}

/** Returns the key ids added (those not listed already). */
export function addExposedKeys(doc: Document, keys: readonly KeyToAdd[]): string[] {
  let incident = doc.get('incident', true);
  if (!isMap(incident)) {
    incident = new YAMLMap();
    doc.set('incident', incident);
  }
  const map = incident as YAMLMap;
  const list: unknown = map.get('exposedKeys', true);
  let seq: YAMLSeq;
  if (isSeq(list)) seq = list;
  else {
    seq = new YAMLSeq();
    map.set('exposedKeys', seq);
  }
  const listed = new Set(seq.items.map((i) => (isScalar(i) ? String(i.value) : '')));
  const added: string[] = [];
  for (const k of keys) {
    if (listed.has(k.keyId)) continue;
    listed.add(k.keyId);
    const node = new Scalar(k.keyId);
    // A comment needs a block list; the flow list of a hand-written baseline becomes one.
    addComment(node, [k.note.replace(/[\u0000-\u001f\u007f]/g, ' ')]);
    seq.flow = false;
    seq.items.push(node);
    added.push(k.keyId);
  }
  return added;
}
