import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceLines } from '../../../src/load/source-lines.js';
import { readDataFile } from '../../../src/load/yaml-file.js';
import { lineAt } from '../../../src/model/source-lines.js';
import { tempDir } from '../../helpers/temp.js';

const YAML = `# a comment
version: 1
account: { id: "123456789012" }
iam:
  users:
    - name: a
      accessKeys:
        - { id: AKIAAAAAAAAAAAAAAAAA }
        -
          id: AKIABBBBBBBBBBBBBBBB
    - &bee
      name: b
      groups: [x, y]
    - *bee
  roles:
  "odd/key~name":
    nested: true
root:
  mfa: required
  accessKeys:
`;

describe('the lines of a loaded file', () => {
  it('a YAML file walked once gives what locating each pointer gives (an alias: its members at the alias)', () => {
    const file = path.join(tempDir('rollcall-lines-'), 'b.yaml');
    writeFileSync(file, YAML);
    const data = readDataFile(file);
    expect(data.lines).toBeDefined();
    const walked = sourceLines(data);
    const located = sourceLines({ ...data, lines: undefined });
    expect([...walked.lines.keys()].sort()).toEqual(expect.arrayContaining([...located.lines.keys()].filter((p) => !p.startsWith('/iam/users/2/')).sort()));
    for (const [pointer, line] of walked.lines) {
      if (located.lines.has(pointer)) expect([pointer, line]).toEqual([pointer, located.lines.get(pointer)]);
    }
    expect(lineAt(walked, '/iam/users')).toBe(5);
    expect(lineAt(walked, '/iam/users/0/accessKeys/1')).toBe(10);
    expect(lineAt(walked, '/iam/users/1')).toBe(12); // the mapping starts at its first key, below its anchor
    expect(lineAt(walked, '/iam/users/2')).toBe(14);
    expect(lineAt(walked, '/iam/users/2/name')).toBe(14);
    expect(lineAt(walked, '/iam/roles')).toBe(15);
    expect(lineAt(walked, '/iam/odd~1key~0name/nested')).toBe(17);
    // An alias's members are at the alias; an empty value at its key.
    expect(lineAt(walked, '/root/mfa')).toBe(19);
    expect(lineAt(walked, '/root/accessKeys')).toBe(20);
    expect(lineAt(walked, '/nothing/here')).toBe(1);
  });
});
