import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { InputError, type InputProblem } from '../errors.js';
import { locateJson, scanJson } from './json-scan.js';
import { readYamlFast } from './yaml-fast.js';

/** 1-based, like editors show them. */
export interface Position {
  line: number;
  column: number;
}

/** A parsed YAML or JSON file that can say where each of its values is. */
export interface DataFile {
  file: string;
  data: unknown;
  /**
   * The position of the node at a JSON pointer (`/iam/users/1/name`), or of its
   * key when `key` is set (for an unknown key, point at the key itself). Falls
   * back to the nearest ancestor that exists; undefined only for an empty file.
   */
  locate(pointer: string, opts?: { key?: boolean }): Position | undefined;
  /** Several at once: for a large JSON file, one pass instead of one per pointer. */
  locateAll(targets: readonly { pointer: string; key?: boolean }[]): (Position | undefined)[];
  /**
   * The line of every value, by pointer (of its key for a mapping's member),
   * in one walk of the file; where absent, `locateAll` answers the same.
   */
  lines?(): Map<string, number>;
}

/**
 * Reads and parses a YAML or JSON file. Throws an InputError for an unreadable
 * file, a syntax error (every syntax error of the file, each with its line) or
 * a key repeated in one mapping (YAML refuses it; JSON.parse would keep the
 * last one silently, so `.json` files are scanned for it). `.json` files are
 * parsed with JSON.parse (100x faster than YAML on a large inventory) and
 * located with a streaming scan, one pass however many pointers are asked for.
 * A YAML file is read by the quick reader (yaml-fast.ts) when it can vouch for
 * the data, else by the `yaml` package; positions always come from the latter,
 * parsed on the first `locate`, `locateAll` or `lines` (an error that the
 * `yaml` package finds then is thrown as when reading).
 */
export function readDataFile(file: string): DataFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw InputError.at({ file }, `cannot read: ${errorText(e)}`);
  }
  if (extname(file).toLowerCase() === '.json') return readJson(file, text);
  // The quick reader gives the data; the `yaml` Document, which knows where each value is, is built only when a position is asked for.
  const fast = readYamlFast(text);
  let parsed: Parsed | undefined = fast ? undefined : parse(file, text);
  const located = (): Parsed => (parsed ??= parse(file, text));
  return {
    file,
    data: fast ? fast.data : parsed!.data,
    locate: (p, o) => locateIn(located(), p, o),
    locateAll: (targets) => (targets.length === 0 ? [] : targets.map((t) => locateIn(located(), t.pointer, t))),
    lines: () => linesIn(located()),
  };
}

function readJson(file: string, text: string): DataFile {
  let data: unknown;
  let parseError: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    parseError = e;
  }
  const locateAll: DataFile['locateAll'] = (targets) => (targets.length === 0 ? [] : locateJson(text, targets));
  const located: DataFile = { file, data, locate: (pointer, opts) => locateAll([{ pointer, ...opts }])[0], locateAll };
  // The streaming scan costs seconds on a large inventory: run it only when the text holds an error or more keys than the data.
  if (parseError === undefined && keysInText(text) === keysInData(data)) return located;
  const scan = scanJson(text);
  if (scan.errors.length > 0) {
    throw new InputError(scan.errors.slice(0, 20).map((e) => ({ file, line: e.line, column: e.column, message: e.message })));
  }
  if (parseError !== undefined) throw InputError.at({ file }, `JSON syntax error: ${errorText(parseError)}`);
  if (scan.duplicates.length > 0) {
    throw new InputError(
      scan.duplicates.map((d) => ({
        file,
        line: d.line,
        column: d.column,
        path: d.pointer,
        message: `duplicate key '${d.key}' (first at line ${d.first.line}): a JSON reader would keep only one of them`,
      })),
    );
  }
  return located;
}

/** Object keys in a valid JSON text: every string token, skipped whole, that a colon follows. */
function keysInText(text: string): number {
  const token = /"(?:[^"\\]|\\.)*"(\s*:)?/g;
  let keys = 0;
  for (let m = token.exec(text); m !== null; m = token.exec(text)) if (m[1] !== undefined) keys++;
  return keys;
}

/** Object keys in parsed JSON: fewer than in its text when a key was repeated (JSON.parse keeps the last). */
function keysInData(value: unknown): number {
  if (Array.isArray(value)) {
    let n = 0;
    for (const item of value) n += keysInData(item);
    return n;
  }
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  for (const key of Object.keys(value)) n += 1 + keysInData((value as Record<string, unknown>)[key]);
  return n;
}

/** Reads a data file and returns its data once `check` finds nothing wrong; otherwise one InputError with every problem. */
export function loadChecked<T>(file: string, check: (data: DataFile) => InputProblem[]): T {
  const data = readDataFile(file);
  const problems = check(data);
  if (problems.length > 0) throw new InputError(problems);
  return data.data as T;
}

interface Parsed {
  doc: Document.Parsed;
  lines: LineCounter;
  data: unknown;
}

function parse(file: string, text: string): Parsed {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((e) => {
        const path = e.code === 'DUPLICATE_KEY' ? duplicateKeyPointer(doc, e.pos[0]) : undefined;
        const message = e.code === 'DUPLICATE_KEY' && path !== undefined ? `duplicate key '${parsePointer(path).at(-1)}': ${firstLine(e.message)}` : firstLine(e.message);
        return { file, ...pos(lines, e.pos[0]), ...(path !== undefined ? { path } : {}), message };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    const unresolved: InputProblem[] = [];
    visit(doc, {
      Alias(_, alias) {
        if (!alias.resolve(doc) && alias.range) {
          unresolved.push({ file, ...pos(lines, alias.range[0]), message: `unknown alias '*${alias.source}'` });
        }
      },
    });
    throw new InputError(unresolved.length > 0 ? unresolved : [{ file, message: errorText(e) }]);
  }
  return { doc, lines, data };
}

/** The JSON pointer of the repeated key whose text starts at `offset`, for the message. */
function duplicateKeyPointer(doc: Document.Parsed, offset: number): string | undefined {
  let found: string | undefined;
  const walk = (node: unknown, segments: string[]): void => {
    if (found !== undefined) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyText(pair.key);
        if (key === undefined) continue;
        if ((pair.key as Node | null)?.range?.[0] === offset) {
          found = toPointer([...segments, key]);
          return;
        }
        walk(pair.value, [...segments, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...segments, String(i)]));
    }
  };
  walk(doc.contents, []);
  return found;
}

function locateIn(parsed: Parsed, pointer: string, opts?: { key?: boolean }): Position | undefined {
  const { doc, lines } = parsed;
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const segment of parsePointer(pointer)) {
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let nextKey: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === segment);
      if (pair) {
        nextKey = pair.key;
        next = pair.value ?? pair.key;
      }
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      next = node.items[Number(segment)];
    }
    if (next === undefined || next === null) break;
    node = next;
    keyNode = nextKey;
  }
  const target = opts?.key && keyNode !== undefined ? keyNode : node;
  // An empty value (`key:` with nothing after it) has an empty range, often on the next line: use its key.
  const chosen = isEmptyScalar(target) && keyNode !== undefined ? keyNode : target;
  const range = (chosen as Node | null | undefined)?.range;
  return range ? pos(lines, range[0]) : undefined;
}

/**
 * Every node's line by pointer, in one walk: a mapping member's is its key's,
 * a list item's its own. An alias is not followed (what it names has its own
 * lines); the members a merge key (`<<`) brings are at the alias's line.
 */
function linesIn(parsed: Parsed): Map<string, number> {
  const { doc, lines } = parsed;
  const out = new Map<string, number>();
  const at = (node: unknown): number | undefined => {
    const range = (node as Node | null | undefined)?.range;
    return range ? lines.linePos(range[0]).line : undefined;
  };
  const walk = (node: unknown, pointer: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyText(pair.key);
        if (key === undefined) continue;
        const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        const line = at(pair.key) ?? at(pair.value);
        if (line !== undefined && !out.has(child)) out.set(child, line);
        walk(pair.value, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const child = `${pointer}/${i}`;
        const line = at(item);
        if (line !== undefined) out.set(child, line);
        walk(item, child);
      });
    }
  };
  walk(doc.contents, '');
  return out;
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && !!node.range && node.range[0] === node.range[1];
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return undefined;
  return String(key);
}

/** `/a/b~1c/0` -> ['a', 'b/c', '0'] (RFC 6901). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** ['a', 'b/c', 0] -> `/a/b~1c/0`. */
export function toPointer(segments: (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** A problem located at a JSON pointer of a data file. */
export function problemAt(
  file: DataFile,
  pointer: string,
  message: string,
  opts?: { key?: boolean },
): InputProblem {
  return { file: file.file, ...file.locate(pointer, opts), path: pointer, message };
}

function pos(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

/** One line, no stack: `ENOENT: no such file or directory, open 'x.yaml'`. */
export function errorText(e: unknown): string {
  return firstLine(e instanceof Error ? e.message : String(e));
}
