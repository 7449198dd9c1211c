import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { InputError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { packagePath } from '../paths.js';

const SUFFIX = '.schema.json';

/** The schemas rollcall ships, by name (`baseline` for schemas/baseline.schema.json). */
export function schemaNames(): string[] {
  return readdirSync(packagePath('schemas'))
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

/**
 * Prints a schema of the installed rollcall: its JSON (to save beside a
 * copied baseline or rule), or with `--path` its file URL, which an editor's
 * `$schema` can name wherever the file is (`# yaml-language-server: $schema=...`).
 */
export function runSchema(name: string, o: { path?: boolean }, stdout: NodeJS.WritableStream = process.stdout): ExitCode {
  const names = schemaNames();
  if (!names.includes(name)) throw InputError.at({ file: 'schema' }, `unknown schema '${name}' (known: ${names.join(', ')})`);
  const file = packagePath('schemas', `${name}${SUFFIX}`);
  stdout.write(o.path ? `${pathToFileURL(file).href}\n` : readFileSync(file, 'utf8'));
  return EXIT.clean;
}
