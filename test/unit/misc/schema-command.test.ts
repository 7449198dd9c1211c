import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSchema, schemaNames } from '../../../src/commands/schema.js';
import { InputError } from '../../../src/errors.js';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('rollcall schema', () => {
  it('names every schema the package ships', () => {
    expect(schemaNames()).toEqual(expect.arrayContaining(['baseline', 'inventory', 'plan', 'rule']));
  });

  it('prints a schema as it ships, or its file URL with --path', () => {
    const json = capture();
    expect(runSchema('baseline', {}, json.stream)).toBe(0);
    expect((JSON.parse(json.text()) as { title: string }).title).toBe('rollcall baseline');
    const url = capture();
    runSchema('rule', { path: true }, url.stream);
    expect(url.text()).toMatch(/^file:\/\/.+\/schemas\/rule\.schema\.json\n$/);
    const file = fileURLToPath(url.text().trim());
    expect(existsSync(file)).toBe(true);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { title: string }).title).toMatch(/rule/);
  });

  it('an unknown name is bad input that lists the known ones', () => {
    const out = capture();
    expect(() => runSchema('baseline.schema.json', {}, out.stream)).toThrow(InputError);
    expect(() => runSchema('nope', {}, out.stream)).toThrow(/unknown schema 'nope' \(known: .*baseline.*plan.*rule/);
    expect(out.text()).toBe('');
  });
});
