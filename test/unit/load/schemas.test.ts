import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTION_KINDS, ACTIONS } from '../../../src/actions/registry.js';
import { RESOURCE_TYPE_NAMES } from '../../../src/model/resource.js';
import { RELATIONS } from '../../../src/model/rule.js';
import { SEVERITIES } from '../../../src/model/severity.js';
import { schemaFile, validator, type SchemaKind } from '../../../src/load/schemas.js';

const KINDS: SchemaKind[] = ['baseline', 'rule', 'inventory', 'plan', 'report', 'journal', 'org-report'];
type Schema = Record<string, unknown>;
const read = (kind: SchemaKind): Schema => JSON.parse(readFileSync(schemaFile(kind), 'utf8')) as Schema;

/** Every subschema with the JSON pointer where it sits. */
function* walk(s: unknown, at = ''): Generator<[string, Schema]> {
  if (Array.isArray(s)) {
    for (const [i, v] of s.entries()) yield* walk(v, `${at}/${i}`);
  } else if (typeof s === 'object' && s !== null) {
    yield [at, s as Schema];
    for (const [k, v] of Object.entries(s)) if (k !== 'enum' && k !== 'const') yield* walk(v, `${at}/${k}`);
  }
}

describe('schemas', () => {
  it.each(KINDS)('%s: has an $id and compiles in strict mode', (kind) => {
    expect(read(kind).$id).toBe(`https://rollcall.dev/schemas/${kind}.schema.json`);
    expect(typeof validator(kind)).toBe('function');
  });

  it.each(KINDS)('%s: every object with properties forbids unknown keys', (kind) => {
    const open = [...walk(read(kind))]
      // An `if` (at the top or in a subschema) only tests a value; it does not describe a shape.
      .filter(([at]) => !at.endsWith('/if'))
      .filter(([, s]) => s.properties !== undefined && s.additionalProperties !== false)
      .map(([at]) => at);
    expect(open).toEqual([]);
  });

  it('enums equal the model constants', () => {
    const rule = read('rule') as { properties: Record<string, Schema>; $defs: Record<string, Schema> };
    expect(rule.properties.severity!.enum).toEqual([...SEVERITIES]);
    expect(rule.properties.relation!.enum).toEqual([...RELATIONS]);
    expect((rule.properties.remediation!.items as Schema).enum).toEqual([...ACTION_KINDS]);
    expect(rule.$defs.resourceType!.enum).toEqual(RESOURCE_TYPE_NAMES);
    const inventory = read('inventory') as { $defs: Record<string, Schema> };
    expect(inventory.$defs.resourceType!.enum).toEqual(RESOURCE_TYPE_NAMES);
  });

  it('plan: step actions are every action kind but rotateAccessKey (a workflow of other steps), each with a catalogue entry', () => {
    const plan = read('plan') as { $defs: Record<string, Schema> };
    expect(plan.$defs.action!.enum).toEqual(ACTION_KINDS.filter((k) => k !== 'rotateAccessKey'));
    expect(plan.$defs.action!.enum).toEqual(Object.keys(ACTIONS));
    expect(plan.$defs.resourceType!.enum).toEqual(RESOURCE_TYPE_NAMES);
  });

  it('every condition operator is described, for editor completion', () => {
    const rule = read('rule') as { $defs: { condition: { properties: Record<string, Schema> } } };
    const ops = rule.$defs.condition.properties;
    expect(Object.keys(ops)).toEqual(['eq', 'ne', 'gt', 'lt', 'in', 'matches', 'exists', 'olderThanDays', 'after', 'some', 'isDeclared', 'all', 'any', 'not']);
    for (const s of Object.values(ops)) expect(typeof s.description).toBe('string');
  });

  it('every baseline property is described, for editor completion', () => {
    const undescribed = [...walk(read('baseline'))]
      .filter(([at]) => /\/properties\/[^/]+$/.test(at))
      .filter(([, s]) => typeof s.description !== 'string' && s.$ref === undefined)
      .map(([at]) => at);
    expect(undescribed).toEqual([]);
  });
});
