import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError, type InputProblem } from '../../../src/errors.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import { thrown, writeTree } from './files.js';

const fixtures = fileURLToPath(new URL('../../fixtures/load/rules', import.meta.url));

function rule(id: string, extra = ''): string {
  return `id: ${id}
title: A title
severity: high
resource: iam.user
relation: always
message: A message
rationale: A reason
remediation: [manualReview]
${extra}`;
}

function problemsOf(dirs: string[]): InputProblem[] {
  const e = thrown(() => loadRules(dirs));
  expect(e).toBeInstanceOf(InputError);
  return (e as InputError).problems;
}

describe('loadRules: valid files', () => {
  it('loads every *.yaml and *.yml recursively, with source and pack', () => {
    const rules = loadRules([fixtures]);
    expect(rules.map((r) => [r.id, r.pack, r.source])).toEqual([
      ['demo-user-console', 'demo', join(fixtures, 'demo', 'demo-user-console.yaml')],
      ['demo-old-key', 'nested', join(fixtures, 'more', 'nested', 'demo-old-key.yml')],
    ]);
    expect(rules[0]).toEqual({
      id: 'demo-user-console',
      title: 'User has a console password the baseline does not allow',
      severity: 'high',
      resource: 'iam.user',
      relation: 'changed',
      when: {
        all: [
          { eq: { path: 'props.passwordEnabled', value: true } },
          { ne: { path: 'props.passwordEnabled', ref: 'declared.console' } },
          { not: { matches: { path: 'id', regex: '^break-glass-\\d+$' } } },
        ],
      },
      message: 'User {{id}} can sign in to the console.',
      rationale: 'A console password is a credential the baseline did not ask for.',
      remediation: ['deleteLoginProfile', 'manualReview'],
      references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html'],
      needs: ['iam.loginProfile'],
      source: join(fixtures, 'demo', 'demo-user-console.yaml'),
      pack: 'demo',
    });
    expect(rules[1]?.when).toEqual({
      any: [
        { olderThanDays: { path: 'props.createDate', daysRef: 'declared.maxAgeDays' } },
        { olderThanDays: { path: 'props.createDate', days: 365 } },
        { some: { path: 'baseline.regions.allowed', where: { in: { path: 'item', values: ['old', 'legacy'] } } } },
        { after: { path: 'props.createDate', ref: 'baseline.incident.since' } },
        { exists: 'props.lastUsedDate' },
      ],
    });
  });

  it('builtinRulesDir is the project rules/ folder', () => {
    expect(builtinRulesDir()).toBe(fileURLToPath(new URL('../../../rules', import.meta.url)));
    expect(existsSync(builtinRulesDir())).toBe(true);
  });
});

describe('loadRules: bad input', () => {
  it('a duplicate rule id across two dirs names both files', () => {
    const a = writeTree({ 'mine/same-id.yaml': rule('same-id') });
    const b = writeTree({ 'theirs/same-id.yml': `\n${rule('same-id')}` });
    expect(problemsOf([a, b])).toEqual([
      {
        file: `${b}/theirs/same-id.yml`,
        line: 2,
        column: 5,
        path: '/id',
        message: `duplicate rule id 'same-id': also defined in ${a}/mine/same-id.yaml:1:5`,
      },
    ]);
  });

  it('a rule id that is not its file name', () => {
    const d = writeTree({ 'p/expected-name.yaml': rule('other-name') });
    expect(problemsOf([d])).toEqual([
      {
        file: `${d}/p/expected-name.yaml`,
        line: 1,
        column: 5,
        path: '/id',
        message: "rule id 'other-name' must equal the file name 'expected-name'",
      },
    ]);
  });

  it('an invalid regex, at the regex line', () => {
    const d = writeTree({
      'p/bad-regex.yaml': rule(
        'bad-regex',
        `when:
  any:
    - exists: props.name
    - matches:
        path: id
        regex: "^(admin"
`,
      ),
    });
    expect(problemsOf([d])).toEqual([
      {
        file: `${d}/p/bad-regex.yaml`,
        line: 14,
        column: 16,
        path: '/when/any/1/matches/regex',
        message: "invalid regular expression '^(admin': Unterminated group",
      },
    ]);
  });

  it('an unknown operator inside a nested all/not', () => {
    const d = writeTree({
      'p/nested-op.yaml': rule(
        'nested-op',
        `when:
  all:
    - eq: { path: props.name, value: 1 }
    - not:
        all:
          - exists: props.path
          - contains: { path: props.userId, value: x }
`,
      ),
    });
    expect(problemsOf([d])).toEqual([
      {
        file: `${d}/p/nested-op.yaml`,
        line: 15,
        column: 13,
        path: '/when/all/1/not/all/1/contains',
        message:
          "unknown operator 'contains' (known: eq, ne, gt, lt, in, matches, exists, olderThanDays, after, some, isDeclared, all, any, not)",
      },
    ]);
  });

  it('operand shapes: value or ref, days or daysRef, one operator per condition', () => {
    const d = writeTree({
      'p/operands.yaml': rule(
        'operands',
        `when:
  all:
    - eq: { path: id }
    - ne: { path: id, value: 1, ref: region }
    - olderThanDays: { path: id }
    - { gt: { path: id, value: 1 }, lt: { path: id, value: 2 } }
    - {}
    - in: { path: id, valuez: [1] }
`,
      ),
    });
    const f = `${d}/p/operands.yaml`;
    expect(problemsOf([d])).toEqual([
      { file: f, line: 11, column: 11, path: '/when/all/0/eq', message: "missing required key: one of 'value' or 'ref'" },
      { file: f, line: 12, column: 11, path: '/when/all/1/ne', message: "use only one of 'value' or 'ref', not both" },
      {
        file: f,
        line: 13,
        column: 22,
        path: '/when/all/2/olderThanDays',
        message: "missing required key: at least one of 'days' or 'daysRef'",
      },
      {
        file: f,
        line: 14,
        column: 7,
        path: '/when/all/3',
        message: 'a condition has exactly one operator, found 2: gt, lt (combine them with all or any)',
      },
      {
        file: f,
        line: 15,
        column: 7,
        path: '/when/all/4',
        message:
          'a condition needs exactly one operator (known: eq, ne, gt, lt, in, matches, exists, olderThanDays, after, some, isDeclared, all, any, not)',
      },
      { file: f, line: 16, column: 11, path: '/when/all/5/in', message: "missing required key: one of 'values' or 'ref'" },
      {
        file: f,
        line: 16,
        column: 23,
        path: '/when/all/5/in/valuez',
        message: "unknown key 'valuez', did you mean 'values'? (allowed: path, values, ref)",
      },
    ]);
  });

  it('schema errors: bad enums, empty remediation, changed without when', () => {
    const d = writeTree({
      'p/schema-bad.yaml': `id: schema-bad
title: T
severity: urgent
resource: iam.usr
relation: changed
message: M
rationale: R
remediation: []
references: [not a link]
`,
    });
    const f = `${d}/p/schema-bad.yaml`;
    expect(problemsOf([d])).toEqual([
      {
        file: f,
        line: 1,
        column: 1,
        path: '',
        message: "missing required key 'when': a rule with relation 'changed' must say what changed",
      },
      {
        file: f,
        line: 3,
        column: 11,
        path: '/severity',
        message: "must be one of: critical, high, medium, low, info (got 'urgent')",
      },
      {
        file: f,
        line: 4,
        column: 11,
        path: '/resource',
        message:
          "must be one of: account.root, iam.user, iam.accessKey, iam.loginProfile, iam.role, iam.group, iam.policy, iam.policyAttachment, iam.inlinePolicy, iam.groupMembership, ec2.instance, ec2.spotRequest, ec2.spotFleetRequest, lambda.function, tagged.resource, cloudtrail.trail, account.cloudtrail, config.resource, config.resourceType (got 'iam.usr', did you mean 'iam.user'?)",
      },
      { file: f, line: 8, column: 14, path: '/remediation', message: 'must not be empty' },
      {
        file: f,
        line: 9,
        column: 14,
        path: '/references/0',
        message: "must be a URI (e.g. https://docs.aws.amazon.com/) (got 'not a link')",
      },
    ]);
  });

  it('malformed YAML in one file does not hide problems in another', () => {
    const d = writeTree({
      'p/a-broken.yaml': 'id: a-broken\ntitle: [unclosed\n',
      'p/b-wrong.yaml': rule('b-wrong', 'colour: red\n'),
    });
    expect(problemsOf([d])).toEqual([
      {
        file: `${d}/p/a-broken.yaml`,
        line: 3,
        column: 1,
        message: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
      },
      {
        file: `${d}/p/b-wrong.yaml`,
        line: 9,
        column: 1,
        path: '/colour',
        message:
          "unknown key 'colour' (allowed: id, title, severity, resource, relation, when, message, rationale, remediation, references, needs)",
      },
    ]);
  });

  it('an empty rules dir and a missing one', () => {
    const empty = writeTree({ 'notes.txt': 'no rules here' });
    mkdirSync(join(empty, 'sub'));
    const missing = join(empty, 'does-not-exist');
    expect(problemsOf([empty, missing])).toEqual([
      { file: empty, message: 'no rule files (*.yaml, *.yml) in this directory' },
      { file: missing, message: `cannot read: ENOENT: no such file or directory, scandir '${missing}'` },
    ]);
  });
});
