import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { parsePointer, readDataFile, toPointer } from '../../../src/load/yaml-file.js';
import { thrown, writeTree } from './files.js';

const TEXT = `top:
  list:
    - a: 1
      empty:
    - &shared { b: 2 }
  "x/y~z": 3
  alias: *shared
`;

describe('readDataFile / locate', () => {
  const file = readDataFile(`${writeTree({ 'f.yaml': TEXT })}/f.yaml`);

  it('parses to plain data', () => {
    expect(file.data).toEqual({ top: { list: [{ a: 1, empty: null }, { b: 2 }], 'x/y~z': 3, alias: { b: 2 } } });
  });

  it('locates values, keys, and falls back sensibly', () => {
    expect(file.locate('')).toEqual({ line: 1, column: 1 });
    expect(file.locate('/top/list/0/a')).toEqual({ line: 3, column: 10 });
    expect(file.locate('/top/list/0/a', { key: true })).toEqual({ line: 3, column: 7 });
    // An empty value points at its key, not at the next line.
    expect(file.locate('/top/list/0/empty')).toEqual({ line: 4, column: 7 });
    expect(file.locate('/top/list/1/b')).toEqual({ line: 5, column: 20 });
    expect(file.locate('/top/x~1y~0z')).toEqual({ line: 6, column: 12 });
    // Through an alias, to where the anchored node is written.
    expect(file.locate('/top/alias/b')).toEqual({ line: 5, column: 20 });
    // A path that does not exist: its nearest existing ancestor.
    expect(file.locate('/top/list/7/zzz')).toEqual({ line: 3, column: 5 });
  });

  it('pointers round-trip with escapes', () => {
    expect(parsePointer('/a/x~1y~0z/0')).toEqual(['a', 'x/y~z', '0']);
    expect(toPointer(['a', 'x/y~z', 0])).toBe('/a/x~1y~0z/0');
    expect(parsePointer('')).toEqual([]);
  });

  it('a directory is not readable as a file', () => {
    const dir = writeTree({});
    const e = thrown(() => readDataFile(dir)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.problems).toEqual([{ file: dir, message: 'cannot read: EISDIR: illegal operation on a directory, read' }]);
  });

  it('every syntax error is reported, each with its position', () => {
    const f = `${writeTree({ 'bad.yaml': 'a: 1\nb:\n  - x: 1\n    y: [1, 2\nc: d: e\n' })}/bad.yaml`;
    const e = thrown(() => readDataFile(f)) as InputError;
    expect(e.problems).toEqual([
      { file: f, line: 5, column: 1, message: 'Flow sequence in block collection must be sufficiently indented and end with a ]' },
      { file: f, line: 5, column: 4, message: 'Nested mappings are not allowed in compact mappings' },
    ]);
  });

  it('an undefined alias is an input error, not a crash', () => {
    const f = `${writeTree({ 'alias.yaml': 'a: *nowhere\n' })}/alias.yaml`;
    const e = thrown(() => readDataFile(f)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.problems).toEqual([{ file: f, line: 1, column: 4, message: "unknown alias '*nowhere'" }]);
  });
});
