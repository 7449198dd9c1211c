import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { detectKind, validateFiles } from '../../../src/load/validate.js';
import { thrown, writeTree } from './files.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const example = join(root, 'baselines/example.yaml');
const inventory = join(root, 'test/fixtures/load/inventory.json');
const rulesDir = join(root, 'test/fixtures/load/rules');

describe('validateFiles', () => {
  it('tells baselines, inventories, rule files and rule dirs apart', () => {
    const ruleFile = join(rulesDir, 'more/nested/demo-old-key.yml');
    expect(validateFiles([example, inventory, ruleFile, join(rulesDir, 'demo')])).toEqual([
      { file: example, kind: 'baseline', ok: true },
      { file: inventory, kind: 'inventory', ok: true },
      { file: ruleFile, kind: 'rule', ok: true },
      { file: join(rulesDir, 'demo/demo-user-console.yaml'), kind: 'rule', ok: true },
    ]);
  });

  it('judges each file in a directory by its content', () => {
    const d = writeTree({
      'mixed/prod.yaml': 'version: 1\naccount: { id: "123456789012" }\n',
      'mixed/rules/p/r-one.yaml': 'id: r-one\ntitle: t\nseverity: low\nresource: iam.user\nrelation: always\nmessage: m\nrationale: r\nremediation: [manualReview]\n',
    });
    expect(validateFiles([join(d, 'mixed')])).toEqual([
      { file: join(d, 'mixed/prod.yaml'), kind: 'baseline', ok: true },
      { file: join(d, 'mixed/rules/p/r-one.yaml'), kind: 'rule', ok: true },
    ]);
  });

  it('reports every problem of every file in one InputError', () => {
    const d = writeTree({
      'baseline.yaml': 'version: 1\naccount: { id: "123456789012", alais: x }\n',
      'inv.json': '{"resources": [], "gaps": [], "format": 2}',
      'rules/p/r-one.yaml': 'id: r-two\nresource: iam.user\nrelation: always\n',
      'broken.yaml': 'a: [\n',
    });
    const e = thrown(() =>
      validateFiles([join(d, 'baseline.yaml'), join(d, 'inv.json'), join(d, 'broken.yaml'), join(d, 'rules'), join(d, 'nope.yaml')]),
    ) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.message.split('\n')).toEqual([
      `${d}/baseline.yaml:2:32 at /account/alais: unknown key 'alais', did you mean 'alias'? (allowed: id, alias)`,
      `${d}/inv.json:1:1: missing required key 'accountId'`,
      `${d}/inv.json:1:1: missing required key 'caller'`,
      `${d}/inv.json:1:1: missing required key 'collectedAt'`,
      `${d}/inv.json:1:1: missing required key 'regions'`,
      `${d}/inv.json:1:1: missing required key 'notes'`,
      `${d}/inv.json:1:1: missing required key 'apiCalls'`,
      `${d}/inv.json:1:41 at /format: must be 1 (got the number 2)`,
      `${d}/broken.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a ]`,
      `${d}/nope.yaml: cannot read: ENOENT: no such file or directory, open '${d}/nope.yaml'`,
      `${d}/rules/p/r-one.yaml:1:1: missing required key 'title'`,
      `${d}/rules/p/r-one.yaml:1:1: missing required key 'severity'`,
      `${d}/rules/p/r-one.yaml:1:1: missing required key 'message'`,
      `${d}/rules/p/r-one.yaml:1:1: missing required key 'rationale'`,
      `${d}/rules/p/r-one.yaml:1:1: missing required key 'remediation'`,
      `${d}/rules/p/r-one.yaml:1:5 at /id: rule id 'r-two' must equal the file name 'r-one'`,
    ]);
  });

  it('finds duplicate rule ids between a named file and a named dir, but not a file against itself', () => {
    const a = writeTree({ 'p/dup.yaml': RULE('dup') });
    const b = writeTree({ 'q/dup.yaml': RULE('dup') });
    expect(validateFiles([join(a, 'p'), join(a, 'p/dup.yaml')])).toEqual([
      { file: join(a, 'p/dup.yaml'), kind: 'rule', ok: true },
    ]);
    const e = thrown(() => validateFiles([join(a, 'p/dup.yaml'), b])) as InputError;
    expect(e.problems).toEqual([
      {
        file: join(b, 'q/dup.yaml'),
        line: 1,
        column: 5,
        path: '/id',
        message: `duplicate rule id 'dup': also defined in ${join(a, 'p/dup.yaml')}:1:5`,
      },
    ]);
  });

  it('detectKind', () => {
    expect(detectKind({ relation: 'always', resource: 'iam.user' })).toBe('rule');
    expect(detectKind({ resources: [], gaps: [] })).toBe('inventory');
    expect(detectKind({ version: 1 })).toBe('baseline');
    expect(detectKind(null)).toBe('baseline');
  });
});

function RULE(id: string): string {
  return `id: ${id}
title: T
severity: low
resource: iam.user
relation: always
message: M
rationale: R
remediation: [manualReview]
`;
}
