/**
 * Carries edits made to a parsed YAML Document back onto the file's own text,
 * so that the lines no edit touched keep their exact formatting (the yaml
 * library keeps comments and order, not spacing such as `[ a ]` vs `[a]`).
 * A three-way merge of lines: the base is the untouched Document as the
 * library prints it, one side the file, the other the edited Document as
 * printed. The merged text is checked to read back as the edited Document;
 * when it does not, the edited Document as printed is used (whole, correct,
 * only its formatting normalised).
 */
import { isDeepStrictEqual } from 'node:util';
import { diff3Merge } from 'node-diff3';
import { parseDocument, type Document } from 'yaml';
import { YAML_OPTIONS } from './init.js';

export interface Carried {
  text: string;
  /** False when the file's formatting could not be kept (the edited Document as printed). */
  kept: boolean;
}

const lines = (text: string): string[] => text.split('\n');

/**
 * A line as the merge compares it: without the spacing the library and
 * people write differently (`[ a ]` and `[a]`, the blanks before a trailing
 * comment), so that a line beside an edit is not taken for a conflicting one.
 * Only for comparing: what is written is a line of the file, or the edited
 * Document's line where it has no counterpart in the file.
 */
function comparable(line: string): string {
  return line
    .replace(/([[{])[ \t]+/g, '$1')
    .replace(/(\S)[ \t]+([\]}])/g, '$1$2')
    .replace(/[ \t]+#/g, ' #')
    .replace(/[ \t]+$/, '');
}

/** Whether the file writes flow collections opened by `open` padded (`[ a ]`, `{ a: 1 }`) rather than tight (most of them). */
function pads(text: string, open: '[' | '{'): boolean {
  const o = open === '[' ? '\\[' : '\\{';
  const padded = text.match(new RegExp(`${o} [^\\s]`, 'g'))?.length ?? 0;
  const tight = text.match(new RegExp(`${o}[^\\s\\]}]`, 'g'))?.length ?? 0;
  return padded > tight;
}

/**
 * A line the edit wrote, in the file's spacing for flow collections, so that a
 * changed or added line looks like its neighbours. Spacing only: if it ever
 * touched a quoted value, the read-back check refuses the merge.
 */
function restyle(line: string, style: { braces: boolean; brackets: boolean }): string {
  if (/^\s*#/.test(line) || /["']/.test(line)) return line;
  let out = line.replace(/([[{])[ \t]+/g, '$1').replace(/(\S)[ \t]+([\]}])/g, '$1$2');
  if (style.braces) out = out.replace(/\{(?=[^\s}])/g, '{ ').replace(/([^\s{])\}/g, '$1 }');
  if (style.brackets) out = out.replace(/\[(?=[^\s\]])/g, '[ ').replace(/([^\s[])\]/g, '$1 ]');
  return out;
}

/** The lines of a text by their comparable form, each form's lines in order, to take back one by one. */
function byForm(text: string[]): Map<string, string[]> {
  const forms = new Map<string, string[]>();
  for (const l of text) {
    const k = comparable(l);
    const q = forms.get(k);
    if (q) q.push(l);
    else forms.set(k, [l]);
  }
  return forms;
}

export function carryEdits(original: string, before: Document, after: Document): Carried {
  const base = before.toString(YAML_OPTIONS);
  const edited = after.toString(YAML_OPTIONS);
  const style = { braces: pads(original, '{'), brackets: pads(original, '[') };
  if (base === edited) return { text: original, kept: true };
  const ours = lines(original);
  const theirs = lines(edited);
  const fromFile = byForm(ours);
  const fromEdit = byForm(theirs);
  const take = (forms: Map<string, string[]>, form: string) => forms.get(form)?.shift();
  const merged: string[] = [];
  for (const region of diff3Merge(ours.map(comparable), lines(base).map(comparable), theirs.map(comparable))) {
    // A line the file has is written as the file has it; a new one as the edited Document prints it.
    if (region.ok) for (const form of region.ok) merged.push(take(fromFile, form) ?? restyle(take(fromEdit, form) ?? form, style));
    // Where an edit meets a line changed in the file's own way, the edit wins, as printed.
    else if (region.conflict) for (const form of region.conflict.b) merged.push(restyle(take(fromEdit, form) ?? form, style));
  }
  const text = merged.join('\n');
  const reread = parseDocument(text);
  if (reread.errors.length === 0 && isDeepStrictEqual(reread.toJS(), after.toJS()) && commentsOf(reread) === commentsOf(after)) return { text, kept: true };
  return { text: edited, kept: false };
}

/** The comments of a document, in order: a merge that lost or doubled one is refused. */
function commentsOf(doc: Document): string {
  const printed = doc.toString(YAML_OPTIONS);
  return printed
    .split('\n')
    .filter((l) => /^\s*#/.test(l))
    .map((l) => l.trim())
    .join('\n');
}
