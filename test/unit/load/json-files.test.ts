import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { loadBaseline } from '../../../src/load/baseline.js';
import { loadInventory } from '../../../src/load/inventory.js';
import { readDataFile } from '../../../src/load/yaml-file.js';
import { thrown } from './files.js';

function fileWith(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-json-files-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function inventory(resources: unknown[]): Record<string, unknown> {
  return {
    format: 1,
    accountId: '123456789012',
    caller: { account: '123456789012', arn: 'arn:aws:iam::123456789012:root', userId: 'x' },
    collectedAt: '2026-11-05T10:00:00Z',
    regions: ['global'],
    resources,
    gaps: [],
    notes: [],
    apiCalls: {},
  };
}

const user = (i: number) => ({
  type: 'iam.user',
  id: `user-${i}`,
  region: 'global',
  accountId: '123456789012',
  tags: { team: `t${i % 7}`, 'a/b~c': 'x' },
  props: { name: `user-${i}`, groups: ['a', 'b'], note: 'has "quotes": and {braces} [brackets], commas' },
});

describe('duplicate keys', () => {
  it('a JSON inventory with a key twice in one object is refused at the second, with the first line', () => {
    const text = '{\n  "format": 1,\n  "accountId": "123456789012",\n  "format": 1\n}\n';
    const file = fileWith('inv.json', text);
    const e = thrown(() => loadInventory(file)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.problems).toEqual([
      { file, line: 4, column: 3, path: '/format', message: "duplicate key 'format' (first at line 2): a JSON reader would keep only one of them" },
    ]);
  });

  it('deep inside: the pointer names the object holding it', () => {
    const body = JSON.stringify(inventory([user(0), user(1)]), null, 2).replace('"name": "user-1",', '"name": "user-1", "name": "evil",');
    const file = fileWith('inv.json', body);
    const e = thrown(() => loadInventory(file)) as InputError;
    expect(e.problems.map((p) => [p.path, p.message.slice(0, 22)])).toEqual([['/resources/1/props/name', "duplicate key 'name' ("]]);
    expect(e.problems[0]!.line).toBe(body.split('\n').findIndex((l) => l.includes('"evil"')) + 1);
  });

  it('the same key in two objects is no duplicate; a key spelt like a string value is no key', () => {
    const file = fileWith('inv.json', JSON.stringify(inventory([user(0), user(1)]), null, 2));
    expect(loadInventory(file).resources).toHaveLength(2);
  });

  it('YAML refuses a duplicate key too (the yaml library), with its line', () => {
    const file = fileWith('b.yaml', 'version: 1\naccount: { id: "123456789012" }\nversion: 1\n');
    const e = thrown(() => loadBaseline(file)) as InputError;
    expect(e.problems).toEqual([{ file, line: 3, column: 1, path: '/version', message: "duplicate key 'version': Map keys must be unique" }]);
    const deep = fileWith('d.yaml', 'version: 1\niam:\n  users:\n    - name: a\n      console: true\n      console: false\n');
    expect((thrown(() => loadBaseline(deep)) as InputError).problems).toEqual([
      { file: deep, line: 6, column: 7, path: '/iam/users/0/console', message: "duplicate key 'console': Map keys must be unique" },
    ]);
  });
});

describe('locations in a JSON file', () => {
  it('a bad value at the end of a large generated inventory is located by line, column and path', () => {
    const resources = Array.from({ length: 3000 }, (_, i) => user(i));
    (resources[2999] as { region: unknown }).region = 7;
    const text = JSON.stringify(inventory(resources), null, 2);
    const file = fileWith('inv.json', text);
    const e = thrown(() => loadInventory(file)) as InputError;
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('"region": 7')) + 1;
    expect(e.problems).toEqual([
      { file, line, column: lines[line - 1]!.indexOf('7') + 1, path: '/resources/2999/region', message: 'must be a string (got the number 7; quote the value to keep it as written)' },
    ]);
  });

  it('keys with / and ~, keys and values, minified, and the nearest ancestor of what is not there', () => {
    const text = JSON.stringify(inventory([user(0), user(1)]));
    const data = readDataFile(fileWith('inv.json', text));
    const at = (needle: string) => ({ line: 1, column: text.indexOf(needle) + 1 });
    expect(data.locateAll([
      { pointer: '/resources/1/tags/a~1b~0c' },
      { pointer: '/resources/1/tags/a~1b~0c', key: true },
      { pointer: '/resources/1/props/groups/1' },
      { pointer: '/resources/1/props/missing/deeper' },
      { pointer: '' },
    ])).toEqual([
      { line: 1, column: text.indexOf('"x"', text.indexOf('user-1')) + 1 },
      { line: 1, column: text.indexOf('"a/b~c"', text.indexOf('user-1')) + 1 },
      { line: 1, column: text.indexOf('"b"', text.indexOf('"name":"user-1"')) + 1 },
      { line: 1, column: text.indexOf('{"name":"user-1"') + 1 },
      at('{'),
    ]);
  });
});
