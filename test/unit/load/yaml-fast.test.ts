import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { InputError } from '../../../src/errors.js';
import { loadLocatedBaseline } from '../../../src/load/baseline.js';
import { sourceLines } from '../../../src/load/source-lines.js';
import { readYamlFast } from '../../../src/load/yaml-fast.js';
import { readDataFile } from '../../../src/load/yaml-file.js';
import { thrown, writeTree } from './files.js';

/** What the `yaml` package reads (the reference), or undefined when it refuses the text. */
function reference(text: string): { data: unknown } | undefined {
  const doc = parseDocument(text, { prettyErrors: false });
  return doc.errors.length > 0 ? undefined : { data: doc.toJS({ maxAliasCount: 1000 }) };
}

/** Scalars of every kind, keys, styles and errors: the quick reader agrees with `yaml` or steps aside. */
const CORPUS = [
  'a: 1', 'a: +1', 'a: -0', 'a: 0o17', 'a: 0x1F', 'a: 0X1F', 'a: 0b11', 'a: 1_000', 'a: 012', 'a: 09', 'a: 1.0', 'a: 1e3', 'a: 1E+3',
  'a: .5', 'a: 5.', 'a: -.5e-3', 'a: +.inf', 'a: -.Inf', 'a: .NaN', 'a: .nan', 'a: 12345678901234567890', 'a: 1.7976931348623157e+309',
  'a: 0x', 'a: 1:20', 'a: 0.1e', 'a: 0.0', 'a: -0.0', 'a: +0x1', 'a: 0o8',
  'a: true', 'a: True', 'a: TRUE', 'a: tRue', 'a: yes', 'a: on', 'a: null', 'a: Null', 'a: NULL', 'a: ~', 'a:', 'a: nuLL',
  'a: 2026-01-01', 'a: 2026-01-01T00:00:00Z', 'a: "2026"', "a: '1'", 'a: " "', "a: ''", 'a: ""',
  '1: a', '1.5: a', 'true: a', 'null: a', '~: a', ': a', '? a\n: b', '"": a', '0x10: x', '1: a\n"1": b',
  '__proto__: {a: 1}', 'a: {__proto__: 1}', 'constructor: 1', 'toString: x', '<<: {a: 1}', 'a: {<<: {b: 1}}',
  'a: b: c', 'a: [1, 2', 'a: "x', '- a\nb: c', 'a:\n  - 1\n - 2', 'a: 1\na: 2', '{a: 1, a: 2}', 'a: 1\n"a": 2',
  'a: |\n  x\n  y\n', 'a: |-\n  x\n', 'a: |+\n  x\n\n', 'a: >\n  x\n  y\n\n  z\n', 'a: >2\n   x\n', 'a: |\n\tx\n', 'a: >-\n  t\n\n', 'a: |2-\n    i\n',
  'a: "x\\ty\\u00e9\\x41\\U0001F600\\N\\_\\L\\P\\0\\a\\e\\/"', "a: 'it''s'", 'a: "multi\n  line"', 'a: plain\n  multi\n  line', 'a: "esc\\\n  aped"', 'a: "\\x"',
  'a: # c\n  b', 'a: b # c', 'a: b#c', 'a: 1 #c\n#d\nb: 2', 'a: [a, b, {c: d}]', 'a: {a, b: }', 'a: [a: b]', 'a: [? a : b]', '[a, b]: c', '{a: b}: c',
  '\ufeffa: 1', 'a: 1\r\nb: 2\r\n', 'a:\tb', '\ta: 1', 'a: -', 'a: - b', '- - a\n  - b\n- c', 'a: ? b', 'a: @x', 'a: x:', 'a: x:y', 'a: -x', 'a: [x,,]',
  'a: !!str 1', 'a: !!int "1"', 'a: !custom x', 'a: &x 1\nb: *x', 'a: &x 1', '%YAML 1.1\n---\na: yes', '---\na: 1\n...\n', '---\na: 1\n---\nb: 2',
  '', '# only a comment', '---', 'a', '"a"', '1', '[1, 2]', '- 1\n- 2', 'a: b\u2028c', 'a: "\u0007"',
  `k${'x'.repeat(1100)}: v`, `a: ${'x'.repeat(1100)}`, `a: |\n  ${'x'.repeat(1100)}\n`,
  'a:\n  b:\n    c: d\n  e: f\n', 'a:\n- 1\n- 2\n', 'a:\n  - b: 1\n    c: 2\n  - d\n', '- a: 1\n  b: 2\n- c: 3\n',
];

describe('readYamlFast', () => {
  it('reads what the yaml package reads, or steps aside (never other data, never data yaml refuses)', () => {
    let quick = 0;
    for (const text of CORPUS) {
      const fast = readYamlFast(text);
      if (fast === undefined) continue;
      quick++;
      expect([text, fast.data]).toStrictEqual([text, reference(text)?.data]);
    }
    expect(quick).toBeGreaterThan(CORPUS.length / 2);
  });

  it('steps aside for what only the yaml package handles as rollcall means it', () => {
    for (const text of [
      'a: &x 1\nb: *x', // aliases: expanded under yaml's limit
      'a: !!str 1', // tags
      'a: &x 1', // anchors
      '%YAML 1.1\n---\na: yes', // a directive that changes the schema
      '---\na: 1\n---\nb: 2', // several documents
      '', // no document (yaml: null)
      'null: a', // a key that is not a string ("" for yaml)
      '1: a',
      `k${'x'.repeat(1100)}: v`, // yaml refuses an implicit key over 1024 characters
      'a: 1\na: 2', // a repeated key: yaml says where
      'a: [1, 2', // a syntax error: yaml says where
    ]) {
      expect([text, readYamlFast(text)]).toEqual([text, undefined]);
    }
  });

  it("reads every YAML file of the repository (rules, baselines, tests' files) quickly, to yaml's data", () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (/\.ya?ml$/.test(e.name)) files.push(join(dir, e.name));
      }
    };
    for (const dir of ['rules', 'baselines', 'test']) walk(join(root, dir));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const ref = reference(text);
      if (ref === undefined) continue; // a test's deliberately broken file
      expect([file, readYamlFast(text)?.data]).toStrictEqual([file, ref.data]);
    }
  });
});

/** A baseline of `n` users, as `baseline init` writes them, one flow mapping a line from line 6 on. */
function bigBaseline(n: number, user: (i: number) => string = (i) => `{ name: user-${i}, accessKeys: [{ id: AKIA${String(i).padStart(16, '0')}, maxAgeDays: 180 }] }`): string {
  const users = Array.from({ length: n }, (_, i) => `    - ${user(i)}`).join('\n');
  return `version: 1\naccount: { id: "123456789012" }\nregions: { allowed: [us-east-1] }\niam:\n  users:\n${users}\n`;
}

describe('a large YAML file read quickly is still located exactly', () => {
  it("a schema error deep in a 5,000-user baseline: its file, line, column and path", () => {
    const text = bigBaseline(5000, (i) => (i === 4321 ? '{ name: user-4321, accessKeys: [{ id: AKIA0000000000004321, maxAgeDays: soon }] }' : `{ name: user-${i} }`));
    expect(readYamlFast(text)).toBeDefined();
    const dir = writeTree({ 'b.yaml': text });
    const e = thrown(() => loadLocatedBaseline(`${dir}/b.yaml`)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    const line = text.split('\n')[5 + 4321]!;
    expect(e.problems).toEqual([
      { file: `${dir}/b.yaml`, line: 6 + 4321, column: line.indexOf('soon') + 1, path: '/iam/users/4321/accessKeys/0/maxAgeDays', message: 'must be an integer (got a string "soon")' },
    ]);
  });

  it('a duplicate user name deep in it names both lines', () => {
    const text = bigBaseline(3000, (i) => `{ name: user-${i === 2500 ? 7 : i} }`);
    const dir = writeTree({ 'b.yaml': text });
    const e = thrown(() => loadLocatedBaseline(`${dir}/b.yaml`)) as InputError;
    expect(e.problems).toEqual([
      { file: `${dir}/b.yaml`, line: 6 + 2500, column: 15, path: '/iam/users/2500/name', message: "duplicate user name 'user-7' (first declared at line 13)" },
    ]);
  });

  it("a valid baseline's lines, worked out when first read, are those of the yaml Document", () => {
    const dir = writeTree({ 'b.yaml': bigBaseline(200) });
    const { baseline, lines } = loadLocatedBaseline(`${dir}/b.yaml`);
    expect(baseline.iam?.users).toHaveLength(200);
    expect(lines.file).toBe(`${dir}/b.yaml`);
    expect(lines.lines).toEqual(sourceLines(readDataFile(`${dir}/b.yaml`)).lines);
    expect(lines.lines.get('/iam/users/199/accessKeys/0/id')).toBe(6 + 199);
    expect(lines.lines).toBe(lines.lines); // once
  });
});
