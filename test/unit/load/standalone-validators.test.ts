import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { describe, expect, it } from 'vitest';
import { newAjv, schemaDocument, schemaFile, subschemaValidator, validator, type SchemaKind } from '../../../src/load/schemas.js';
import { PREBUILT } from '../../../src/load/standalone-validators.js';

/** What is built ahead: each export's name, its schema and the pointer in it ('' for the whole). */
const BUILT: { name: string; kind: SchemaKind; pointer: string; key: string }[] = [
  { name: 'rule', kind: 'rule', pointer: '', key: 'rule' },
  { name: 'baseline', kind: 'baseline', pointer: '', key: 'baseline' },
  { name: 'inventory', kind: 'inventory', pointer: '', key: 'inventory' },
  { name: 'inventoryResource', kind: 'inventory', pointer: '/properties/resources/items', key: 'inventory#/properties/resources/items' },
];

/** src/load/standalone-validators.ts as the schemas and Ajv set-up of this checkout make it. */
function generate(): string {
  const ajv = newAjv({ source: true });
  const kinds = [...new Set(BUILT.map((b) => b.kind))];
  for (const kind of kinds) ajv.addSchema(schemaDocument(kind));
  const id = (kind: SchemaKind): string => (schemaDocument(kind) as { $id: string }).$id;
  const refs = Object.fromEntries(BUILT.map((b) => [b.name, `${id(b.kind)}${b.pointer === '' ? '' : `#${b.pointer}`}`]));
  // ajv's ES module output still require()s its runtime helpers (ajv/dist/runtime/*, ajv-formats' formats).
  const code = standaloneCode.default(ajv, refs).replace(/^"use strict";/, '').replace(/\brequire\(/g, 'runtimeRequire(');
  const hashes = kinds.map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(createHash('sha256').update(readFileSync(schemaFile(k))).digest('hex'))},`);
  return [
    '// @ts-nocheck',
    '// Generated: do not edit. Ajv\'s standalone code for the schemas every audit checks (load/schemas.ts uses it while',
    '// each schema file holds the text hashed below). After changing a schema or the Ajv set-up, regenerate with',
    '//   npx vitest run test/unit/load/standalone-validators.test.ts -u',
    "import { createRequire } from 'node:module';",
    'const runtimeRequire = createRequire(import.meta.url);',
    code,
    'export const PREBUILT = {',
    ...BUILT.map((b) => `  ${JSON.stringify(b.key)}: ${b.name},`),
    '};',
    'export const PREBUILT_FROM = {',
    ...hashes,
    '};',
    '',
  ].join('\n');
}

describe('validators built ahead', () => {
  it('standalone-validators.ts is what the schemas and the Ajv set-up of this checkout make', async () => {
    await expect(generate()).toMatchFileSnapshot('../../../src/load/standalone-validators.ts');
  });

  it('are the ones used, and judge like the compiled ones, errors and all', () => {
    const compiled = newAjv();
    for (const b of BUILT) {
      const v = b.pointer === '' ? validator(b.kind) : subschemaValidator(b.kind, b.pointer);
      expect(v).toBe((PREBUILT as Record<string, unknown>)[b.key]);
    }
    for (const kind of new Set(BUILT.map((b) => b.kind))) compiled.addSchema(schemaDocument(kind));
    const id = (kind: SchemaKind): string => (schemaDocument(kind) as { $id: string }).$id;
    const samples: [SchemaKind, string, unknown][] = [
      ['rule', '', { id: 'x', title: 1, severity: 'huge', resource: 'iam.user', relation: 'changed', message: '', rationale: 'r', remediation: [], extra: true }],
      ['rule', '', { id: 'ok-rule', title: 't', severity: 'high', resource: ['iam.user'], relation: 'always', when: { eq: { path: 'props.x', value: 1 } }, message: 'm', rationale: 'r', remediation: ['manualReview'] }],
      ['baseline', '', { version: 1, account: { id: '12' }, iam: { users: [{ name: 'a', accessKeys: [{ id: 'AKIA', maxAgeDays: 'soon' }] }] }, exceptions: [{ rule: 'x' }] }],
      ['inventory', '', { resources: [{ type: 'iam.user', id: 1 }], gaps: 'none' }],
      ['inventory', '/properties/resources/items', { type: 'nope', region: 3, props: [] }],
    ];
    let refused = 0;
    for (const [kind, pointer, data] of samples) {
      const built = pointer === '' ? validator(kind) : subschemaValidator(kind, pointer);
      const reference = compiled.getSchema(`${id(kind)}${pointer === '' ? '' : `#${pointer}`}`)!;
      expect(built(data)).toBe(reference(data));
      expect(built.errors ?? null).toEqual(reference.errors ?? null);
      if (reference.errors) refused++;
    }
    expect(refused).toBe(4);
  });
});
