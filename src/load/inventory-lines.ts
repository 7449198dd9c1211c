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

/** Reading a JSON Lines inventory: each line's problems, positioned in that line. */
interface Problems {
  list: InputProblem[];
  more: number;
}

function add(problems: Problems, p: InputProblem): void {
  if (problems.list.length < MAX_PROBLEMS) problems.list.push(p);
  else problems.more++;
}

/** A line's schema problems, with their columns in it and their paths as in the JSON inventory (`/resources/7/props`). */
function schemaProblemsOfLine(file: string, line: number, text: string, validate: ValidateFunction, prefix: string): InputProblem[] {
  const described = describeErrors(validate.errors ?? []);
  const positions = locateJson(text, described.map((d) => ({ pointer: d.pointer, key: d.key })));
  return sortProblems(described.map((d, i) => ({ file, line, ...(positions[i] ? { column: positions[i]!.column } : {}), path: `${prefix}${d.pointer}`, message: d.message })));
}

/** Why a line is not JSON: its syntax errors, each with its column. */
function syntaxProblems(file: string, line: number, text: string, error: unknown): InputProblem[] {
  const scan = scanJson(text);
  if (scan.errors.length === 0) return [{ file, line, message: `JSON syntax error: ${errorText(error)}` }];
  return scan.errors.slice(0, 3).map((e) => ({ file, line, column: e.column, message: e.message }));
}

/** Repeated keys in one line's objects (JSON.parse would keep the last one silently). */
function duplicateProblems(file: string, line: number, text: string, prefix: string): InputProblem[] {
  return scanJson(text).duplicates.map((d) => ({
    file,
    line,
    column: d.column,
    path: `${prefix}${d.pointer}`,
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

/**
 * Reads a JSON Lines inventory (gzipped or not), checking the header against
 * the inventory schema and every resource line against the resource schema.
 * Resolves to the inventory, or rejects with one InputError listing every
 * problem (file, line, column, path; at most MAX_PROBLEMS).
 */
export async function readInventoryLines(file: string, options: ReadLinesOptions = {}): Promise<Inventory> {
  const encoding = inventoryEncoding(file);
  let stream: Readable = createReadStream(file, { highWaterMark: 1 << 20 });
  const sources: Readable[] = [stream];
  if (encoding === 'jsonl.gz') {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    stream = stream.pipe(gunzip);
    sources.push(gunzip);
  }
  const problems: Problems = { list: [], more: 0 };
  const validateHeader = validator('inventory');
  const validateResource = subschemaValidator('inventory', '/properties/resources/items');
  const interner = new Interner();
  const resources: Resource[] = [];
  let header: Record<string, unknown> | undefined;
  let lineNo = 0;

  const onLine = (raw: string): void => {
    lineNo++;
    const text = lineNo === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      for (const p of syntaxProblems(file, lineNo, text, e)) add(problems, p);
      return;
    }
    if (header === undefined) {
      if (!isObject(value) || Object.hasOwn(value, 'resources')) {
        add(problems, { file, line: lineNo, message: 'the first line of a JSON Lines inventory holds its fields other than resources (format, accountId, caller, collectedAt, regions, gaps, notes, apiCalls)' });
        header = {};
        return;
      }
      header = value;
      if (options.duplicates) for (const p of duplicateProblems(file, lineNo, text, '')) add(problems, p);
      if (!validateHeader({ ...value, resources: [] })) for (const p of schemaProblemsOfLine(file, lineNo, text, validateHeader, '')) add(problems, p);
      return;
    }
    const prefix = `/resources/${resources.length}`;
    if (options.duplicates) for (const p of duplicateProblems(file, lineNo, text, prefix)) add(problems, p);
    if (!validateResource(value)) {
      for (const p of schemaProblemsOfLine(file, lineNo, text, validateResource, prefix)) add(problems, p);
      resources.push(value as Resource); // counted, so later lines' paths stay right
      return;
    }
    const r = value as Resource;
    r.type = interner.get(r.type) as Resource['type'];
    r.region = interner.get(r.region);
    r.accountId = interner.get(r.accountId);
    // A tagged resource's id is its ARN: one string, not two, for 700,000 of them.
    if (r.arn !== undefined && r.arn === r.id) r.arn = r.id;
    resources.push(r);
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
    for (const s of sources) s.destroy();
    throw InputError.at({ file }, `cannot read: ${errorText(e)}`);
  }
  if (rest !== '') onLine(rest);
  if (header === undefined) add(problems, { file, message: 'the file is empty: a JSON Lines inventory starts with a line of its fields other than resources' });
  if (problems.list.length > 0) {
    if (problems.more > 0) problems.list.push({ file, message: `... and ${problems.more} more problems` });
    throw new InputError(problems.list);
  }
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
