/**
 * The JSON Schemas' resource-type lists, made from the registry
 * (src/model/resource-types/): the schema files are these functions' output,
 * which test/unit/model/resource-types.test.ts checks and, with
 * ROLLCALL_WRITE_SCHEMAS=1, writes.
 */
import type { ResourceDescriptor } from '../../src/model/resource-types/descriptor.js';
import { RESOURCE_TYPE_NAMES, RESOURCE_TYPES, SELECTABLE_TYPES } from '../../src/model/resource-types/index.js';

/** A schema's text with every enum that names a resource type replaced by the registry's names, its layout kept. */
export function withRegistryEnums(text: string): string {
  return text.replace(/("enum":\s*\[)([^\]]*)(\])/g, (whole, open: string, items: string, close: string) => {
    const values = JSON.parse(`[${items}]`) as unknown[];
    if (!values.some((v) => typeof v === 'string' && Object.hasOwn(RESOURCE_TYPES, v))) return whole;
    const names = RESOURCE_TYPE_NAMES.map((t) => JSON.stringify(t));
    const indent = /\n([ \t]*)"/.exec(items)?.[1];
    if (indent === undefined) return `${open}${names.join(', ')}${close}`;
    const end = /\n([ \t]*)$/.exec(items)?.[1] ?? '';
    return `${open}${names.map((n) => `\n${indent}${n}`).join(',')}\n${end}${close}`;
  });
}

/** The baseline schema's text with `resources` holding a list of selectors for each selectable type, as its descriptor describes it. */
export function withRegistrySelectors(text: string): string {
  const schema = JSON.parse(text) as { properties: { resources: { properties: Record<string, unknown> } } };
  schema.properties.resources.properties = Object.fromEntries(
    SELECTABLE_TYPES.map((t) => [t, { description: RESOURCE_TYPES[t].selectorsDoc, type: 'array', items: { $ref: `#/$defs/${(RESOURCE_TYPES[t] as ResourceDescriptor).selectorRef ?? 'selector'}` } }]),
  );
  return `${JSON.stringify(schema, null, 2)}\n`;
}
