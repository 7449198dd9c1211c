import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { ValidateFunction } from 'ajv';
import { InputError, type InputProblem } from '../errors.js';
import type { Inventory } from '../model/inventory.js';
import type { Resource } from '../model/resource.js';
import { describeErrors } from './ajv-messages.js';
import { locateJson, scanJson } from './json-scan.js';
import { MAX_PROBLEMS, sortProblems, subschemaValidator, validator } from './schemas.js';
import { errorText } from './yaml-file.js';

/**
 * The inventory as JSON Lines (`rollcall collect -o inventory.jsonl`, or
 * `.jsonl.gz` gzipped): the first line holds every field of the inventory but
 * its resources, each later line one resource. Read as a stream: the text is
 * never held whole, so an inventory of millions of resources costs the memory
 * of its resources, not of its text as well, and has no length limit (a JSON
 * text cannot be longer than 512 MiB in Node). Told apart by content: gzip by
 * its magic bytes, JSON Lines by a first line that is a whole JSON object
 * with the inventory's `format` and no `resources`.
 */
export type InventoryEncoding = 'json' | 'jsonl' | 'jsonl.gz';

const GZIP_MAGIC = [0x1f, 0x8b];

/** How a saved inventory is encoded, from its first bytes (a file that cannot be read is `json`: its reader says why). */
export function inventoryEncoding(file: string): InventoryEncoding {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(64 * 1024);
    const n = readSync(fd, head, 0, head.length, 0);
    if (n >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) return 'jsonl.gz';
    return looksLikeInventoryLines(head.subarray(0, n).toString('utf8')) ? 'jsonl' : 'json';
  } catch {
    return 'json';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A first line that is a whole JSON object with `format` and without `resources` (and not a journal's header): the header of JSON Lines. */
export function looksLikeInventoryLines(text: string): boolean {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const end = body.indexOf('\n');
  const first = (end < 0 ? body : body.slice(0, end)).trim();
  if (!first.startsWith('{') || !first.endsWith('}')) return false;
  try {
    const header = JSON.parse(first) as unknown;
    // A journal's header line has a format too: it is told by its type and plan digest (load/file-kind.ts).
    const journal = isObject(header) && header.type === 'header' && Object.hasOwn(header, 'planDigest');
    return isObject(header) && !journal && Object.hasOwn(header, 'format') && !Object.hasOwn(header, 'resources');
  } catch {
    return false;
  }
}

/** A problem of one line, positioned in it: the column, and the JSON pointer within the line's value. */
export interface LineProblem {
  column?: number;
  pointer?: string;
  message: string;
}

/** One line read: its value, or why it cannot be (the value still counts as a resource, so later lines' paths stay right). */
export type LineRead<T> = { value: T; problems?: undefined } | { value?: undefined; problems: LineProblem[] };

/** A line's problems as InputProblems: the file, the line, and the path as in the JSON inventory (`/resources/7/props`). */
export function placeLineProblems(file: string, line: number, prefix: string, problems: readonly LineProblem[]): InputProblem[] {
  return sortProblems(
    problems.map((p) => ({
      file,
      line,
      ...(p.column !== undefined ? { column: p.column } : {}),
      ...(p.pointer !== undefined ? { path: `${prefix}${p.pointer}` } : {}),
      message: p.message,
    })),
  );
}

/** A line's schema problems, with their columns in it. */
function schemaProblemsOfLine(text: string, validate: ValidateFunction): LineProblem[] {
  const described = describeErrors(validate.errors ?? []);
  const positions = locateJson(text, described.map((d) => ({ pointer: d.pointer, key: d.key })));
  return described.map((d, i) => ({ ...(positions[i] ? { column: positions[i]!.column } : {}), pointer: d.pointer, message: d.message }));
}

/** Why a line is not JSON: its syntax errors, each with its column. */
function syntaxProblems(text: string, error: unknown): LineProblem[] {
  const scan = scanJson(text);
  if (scan.errors.length === 0) return [{ message: `JSON syntax error: ${errorText(error)}` }];
  return scan.errors.slice(0, 3).map((e) => ({ column: e.column, message: e.message }));
}

/** Repeated keys in one line's objects (JSON.parse would keep the last one silently). */
function duplicateProblems(text: string): LineProblem[] {
  return scanJson(text).duplicates.map((d) => ({
    column: d.column,
    pointer: d.pointer,
    message: `duplicate key '${d.key}' (first at column ${d.first.column}): a JSON reader would keep only one of them`,
  }));
}

/** The same string for the same text: a million resources share a handful of types, regions and one account id. */
class Interner {
  private readonly strings = new Map<string, string>();
  get(s: string): string {
    const hit = this.strings.get(s);
    if (hit !== undefined) return hit;
    if (this.strings.size < 10_000) this.strings.set(s, s);
    return s;
  }
}

export interface ReadLinesOptions {
  /** Also refuse repeated keys in a line (validate does; audit skips the scan, which costs as much as parsing). */
  duplicates?: boolean;
}

export interface LineReaderOptions extends ReadLinesOptions {
  /** Share the strings every resource repeats (type, region, account): worth it only for resources that are kept (a worker judges each and lets it go). */
  intern?: boolean;
}

/**
 * Reads the lines of a JSON Lines inventory one at a time: the header, checked
 * against the inventory schema, then resources, each checked against the
 * resource schema. Used by the reader below and by each worker thread that
 * reads part of an inventory (load/inventory-workers.ts).
 */
export class InventoryLineReader {
  private readonly validateHeader = validator('inventory');
  private readonly validateResource = subschemaValidator('inventory', '/properties/resources/items');
  private readonly interner = new Interner();

  constructor(private readonly options: LineReaderOptions = {}) {}

  private parse(text: string): { value: unknown; problems?: undefined } | { value?: undefined; problems: LineProblem[] } {
    try {
      return { value: JSON.parse(text) as unknown };
    } catch (e) {
      return { problems: syntaxProblems(text, e) };
    }
  }

  header(text: string): LineRead<Record<string, unknown>> {
    const parsed = this.parse(text);
    if (parsed.problems) return parsed;
    const value = parsed.value;
    if (!isObject(value) || Object.hasOwn(value, 'resources')) {
      return { problems: [{ message: 'the first line of a JSON Lines inventory holds its fields other than resources (format, accountId, caller, collectedAt, regions, gaps, notes, apiCalls)' }] };
    }
    const problems = this.options.duplicates ? duplicateProblems(text) : [];
    if (!this.validateHeader({ ...value, resources: [] })) problems.push(...schemaProblemsOfLine(text, this.validateHeader));
    return problems.length > 0 ? { problems } : { value };
  }

  /** Called for every line of an inventory (a million of them): nothing allocated on the way for a line without problems. */
  resource(text: string): LineRead<Resource> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return { problems: syntaxProblems(text, e) };
    }
    if (this.options.duplicates || !this.validateResource(value)) {
      const problems = this.options.duplicates ? duplicateProblems(text) : [];
      if (!this.validateResource(value)) problems.push(...schemaProblemsOfLine(text, this.validateResource));
      if (problems.length > 0) return { problems };
    }
    const r = value as Resource;
    if (this.options.intern === false) return { value: r };
    r.type = this.interner.get(r.type) as Resource['type'];
    r.region = this.interner.get(r.region);
    r.accountId = this.interner.get(r.accountId);
    // A tagged resource's id is its ARN: one string, not two, for 700,000 of them.
    if (r.arn !== undefined && r.arn === r.id) r.arn = r.id;
    return { value: r };
  }
}

/** Problems of a whole read: at most MAX_PROBLEMS of them, and how many more. */
export class ProblemList {
  readonly list: InputProblem[] = [];
  more = 0;
  add(problems: readonly InputProblem[]): void {
    for (const p of problems) {
      if (this.list.length < MAX_PROBLEMS) this.list.push(p);
      else this.more++;
    }
  }
  /** Throws them as one InputError, if there are any. */
  check(file: string): void {
    if (this.list.length === 0) return;
    throw new InputError([...this.list, ...(this.more > 0 ? [{ file, message: `... and ${this.more} more problems` }] : [])]);
  }
}

/** Why a file holds no header line. */
export const EMPTY_INVENTORY_LINES = 'the file is empty: a JSON Lines inventory starts with a line of its fields other than resources';

/** The file as a stream of bytes, gunzipped when it is gzip; `close` destroys every stream in the chain. */
export function openInventoryStream(file: string, chunkSize = 1 << 20): { stream: Readable; close: () => void } {
  let stream: Readable = createReadStream(file, { highWaterMark: chunkSize });
  const sources: Readable[] = [stream];
  if (inventoryEncoding(file) === 'jsonl.gz') {
    const gunzip = createGunzip({ chunkSize });
    stream = stream.pipe(gunzip);
    sources.push(gunzip);
  }
  return { stream, close: () => sources.forEach((s) => s.destroy()) };
}

/**
 * Reads a JSON Lines inventory (gzipped or not), checking the header against
 * the inventory schema and every resource line against the resource schema.
 * Resolves to the inventory, or rejects with one InputError listing every
 * problem (file, line, column, path; at most MAX_PROBLEMS).
 */
export async function readInventoryLines(file: string, options: ReadLinesOptions = {}): Promise<Inventory> {
  const { stream, close } = openInventoryStream(file);
  const problems = new ProblemList();
  const reader = new InventoryLineReader(options);
  const resources: Resource[] = [];
  let header: Record<string, unknown> | undefined;
  let lineNo = 0;

  const onLine = (raw: string): void => {
    lineNo++;
    const text = lineNo === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    if (text.trim() === '') return;
    if (header === undefined) {
      const read = reader.header(text);
      header = read.value ?? {};
      if (read.problems) problems.add(placeLineProblems(file, lineNo, '', read.problems));
      return;
    }
    const read = reader.resource(text);
    if (read.problems) {
      problems.add(placeLineProblems(file, lineNo, `/resources/${resources.length}`, read.problems));
      resources.push(undefined as unknown as Resource); // counted, so later lines' paths stay right
      return;
    }
    resources.push(read.value);
  };

  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = rest + decoder.write(chunk);
      let start = 0;
      for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
        onLine(text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    rest += decoder.end();
  } catch (e) {
    close();
    throw InputError.at({ file }, `cannot read: ${errorText(e)}`);
  }
  if (rest !== '') onLine(rest);
  if (header === undefined) problems.add([{ file, message: EMPTY_INVENTORY_LINES }]);
  problems.check(file);
  return { ...(header as Omit<Inventory, 'resources'>), resources } as Inventory;
}

/** Keys of the header line, in the order `collect` writes them (the JSON inventory's order, resources left out). */
export function headerOf(inventory: Inventory): Omit<Inventory, 'resources'> {
  const { resources: _resources, ...rest } = inventory;
  return rest;
}

/** The inventory as JSON Lines: its header line, then one line per resource. */
export function* inventoryLines(inventory: Inventory): Generator<string> {
  yield `${JSON.stringify(headerOf(inventory))}\n`;
  for (const r of inventory.resources) yield `${JSON.stringify(r)}\n`;
}
