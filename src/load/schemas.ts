import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';
import type { InputProblem } from '../errors.js';
import { packagePath } from '../paths.js';
import { describeErrors } from './ajv-messages.js';
import { PREBUILT, PREBUILT_FROM } from './standalone-validators.js';
import type { DataFile } from './yaml-file.js';

export type SchemaKind = 'baseline' | 'rule' | 'inventory' | 'plan' | 'report' | 'journal' | 'timeline' | 'org-report';

/** The package's schemas/ folder, with a trailing separator. */
export function schemasDir(): string {
  return packagePath('schemas') + sep;
}

export function schemaFile(kind: SchemaKind): string {
  return `${schemasDir()}${kind}.schema.json`;
}

let ajv: Ajv | undefined;
const validators = new Map<SchemaKind, ValidateFunction>();

/**
 * The one Ajv set-up for rollcall's schemas. `source`: keep each validator's
 * code, for ajv's standalone code (standalone-validators.ts is made with it).
 */
export function newAjv(opts: { source?: boolean } = {}): Ajv {
  // strictRequired off: `then: { required: [when] }` and `oneOf: [{ required: [value] }, ...]` name keys defined by the parent.
  const a = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, ...(opts.source ? { code: { source: true, esm: true } } : {}) });
  // Editor-only keywords (VS Code / yaml-language-server) that our messages reuse.
  a.addKeyword('patternErrorMessage');
  a.addKeyword('errorMessage');
  // ajv-formats is CommonJS; under NodeNext its default export is the module object.
  const addFormats = (formatsPlugin as unknown as { default: typeof formatsPlugin.default }).default;
  addFormats(a, ['date', 'date-time', 'uri']);
  return a;
}

function instance(): Ajv {
  return (ajv ??= newAjv());
}

/**
 * The validators built ahead (standalone-validators.ts) for the schemas every
 * audit checks, by `kind` or `kind#pointer`: compiling them costs ~100 ms a
 * process (and a worker). Used only while the schema file holds the very text
 * they were built from; otherwise compiled as any other.
 */
function prebuilt(kind: SchemaKind, pointer = ''): ValidateFunction | undefined {
  const name = pointer === '' ? kind : `${kind}#${pointer}`;
  // Standalone functions have no `schema`/`schemaEnv` (nothing here reads them): the rest of ValidateFunction, `errors` included.
  const v = (PREBUILT as unknown as Record<string, ValidateFunction | undefined>)[name];
  if (v === undefined || !builtFromThisText(kind)) return undefined;
  return v;
}

const current = new Map<SchemaKind, boolean>();

function builtFromThisText(kind: SchemaKind): boolean {
  let same = current.get(kind);
  if (same === undefined) {
    same = createHash('sha256').update(readFileSync(schemaFile(kind))).digest('hex') === (PREBUILT_FROM as Record<string, string | undefined>)[kind];
    current.set(kind, same);
  }
  return same;
}

const documents = new Map<SchemaKind, object>();

/** A schema as its file holds it, read once. */
export function schemaDocument(kind: SchemaKind): object {
  let schema = documents.get(kind);
  if (!schema) {
    schema = JSON.parse(readFileSync(schemaFile(kind), 'utf8')) as object;
    documents.set(kind, schema);
  }
  return schema;
}

export function validator(kind: SchemaKind): ValidateFunction {
  return prebuilt(kind) ?? compiled(kind);
}

/** A schema compiled by this process's Ajv instance (which then resolves its fragments too). */
function compiled(kind: SchemaKind): ValidateFunction {
  let v = validators.get(kind);
  if (!v) {
    // A journal's step lines hold plan steps, described once, in the plan schema.
    if (kind === 'journal') compiled('plan');
    v = instance().compile(schemaDocument(kind));
    validators.set(kind, v);
  }
  return v;
}

/** A validator for one of a schema's `$defs` (a journal line of one type), resolved in its own document. */
export function definitionValidator(kind: SchemaKind, name: string): ValidateFunction {
  compiled(kind);
  const id = (schemaDocument(kind) as { $id: string }).$id;
  const v = instance().getSchema(`${id}#/$defs/${name}`);
  if (!v) throw new Error(`${kind}.schema.json has no $defs/${name}`);
  return v;
}

/** A validator for a part of a schema, by JSON pointer (`/properties/resources/items`: one resource of an inventory), resolved in its own document. */
export function subschemaValidator(kind: SchemaKind, pointer: string): ValidateFunction {
  const built = prebuilt(kind, pointer);
  if (built) return built;
  compiled(kind);
  const id = (schemaDocument(kind) as { $id: string }).$id;
  const v = instance().getSchema(`${id}#${pointer}`);
  if (!v) throw new Error(`${kind}.schema.json has nothing at ${pointer}`);
  return v;
}

/** Schema problems of a parsed file, each with its line, column and JSON pointer; in document order. */
export function schemaProblems(kind: SchemaKind, file: DataFile): InputProblem[] {
  const validate = validator(kind);
  if (validate(file.data)) return [];
  const described = describeErrors(validate.errors ?? []);
  const positions = file.locateAll(described.map((d) => ({ pointer: d.pointer, key: d.key })));
  const problems = described.map((d, i) => ({ file: file.file, ...positions[i], path: d.pointer, message: d.message }));
  const sorted = sortProblems(problems);
  if (sorted.length <= MAX_PROBLEMS) return sorted;
  const more = sorted.length - MAX_PROBLEMS;
  return [...sorted.slice(0, MAX_PROBLEMS), { file: file.file, message: `... and ${more} more problems` }];
}

/** Per file: a machine-written file gone wrong can fail thousands of times, the same way. */
export const MAX_PROBLEMS = 100;

/** Document order, for the problems of one file; those without a position last. */
export function sortProblems(problems: InputProblem[]): InputProblem[] {
  return [...problems].sort(
    (a, b) =>
      (a.line ?? Infinity) - (b.line ?? Infinity) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      (a.path ?? '').localeCompare(b.path ?? ''),
  );
}
