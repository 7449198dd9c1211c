import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError, type InputProblem } from '../../../src/errors.js';
import { loadBaseline } from '../../../src/load/baseline.js';
import { thrown, writeTree } from './files.js';

const example = fileURLToPath(new URL('../../../baselines/example.yaml', import.meta.url));

/** The problems loadBaseline reports for a baseline with this content. */
function problems(content: string, name = 'baseline.yaml'): { file: string; problems: InputProblem[] } {
  const file = `${writeTree({ [name]: content })}/${name}`;
  const e = thrown(() => loadBaseline(file));
  expect(e).toBeInstanceOf(InputError);
  return { file, problems: (e as InputError).problems };
}

const HEAD = `version: 1
account: { id: "123456789012" }
`;

describe('loadBaseline: valid files', () => {
  it('loads the example baseline with its values', () => {
    const b = loadBaseline(example);
    expect(b.account).toEqual({ id: '123456789012', alias: 'payments-prod' });
    expect(b.regions).toEqual({ allowed: ['us-east-1', 'eu-west-1'] });
    expect(b.root).toEqual({ mfa: 'required', accessKeys: 'forbidden' });
    expect(b.iam?.users).toEqual([
      {
        name: 'ci-deployer',
        console: false,
        accessKeys: [{ id: 'AKIARZPUZDIKCM4VNCI2', maxAgeDays: 90 }],
        policies: ['arn:aws:iam::aws:policy/PowerUserAccess'],
        groups: ['deployers'],
      },
      { name: 'alice', console: true, groups: ['admins'] },
      {
        name: 'legacy-bot',
        console: false,
        accessKeys: [{ id: 'AKIARZPUZDIKL3NQTXUE' }],
        inlinePolicies: ['legacy-s3-read'],
      },
    ]);
    expect(b.iam?.roles).toEqual([
      {
        name: 'OrganizationAccountAccessRole',
        trustedPrincipals: ['arn:aws:iam::111111111111:root'],
        policies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      },
      { name: 'app-ec2', trustedPrincipals: ['ec2.amazonaws.com'], policies: ['deployers-s3'] },
      { name: 'orders-lambda', trustedPrincipals: ['lambda.amazonaws.com'] },
    ]);
    expect(b.resources).toEqual({
      'ec2.instance': [{ region: 'us-east-1', tags: { team: 'web' }, max: 4, description: 'web fleet, autoscaled 2-4' }],
      'lambda.function': [{ region: 'eu-west-1', name: 'orders-*', description: 'orders service' }],
    });
    expect(b.iam?.groups).toEqual([
      { name: 'deployers', policies: ['deployers-s3'] },
      { name: 'admins', policies: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
    ]);
    expect(b.iam?.policies).toEqual([{ name: 'deployers-s3' }]);
    // YAML 1.2 core schema: an unquoted date stays a string.
    expect(b.exceptions).toEqual([
      { rule: 'iam-user-console-without-mfa', subject: 'user/alice', reason: 'SEC-42: hardware security key on order', expires: '2027-01-31' },
    ]);
    expect(b.incident).toEqual({ exposedKeys: ['AKIARZPUZDIKL3NQTXUE'], since: '2026-11-01T00:00:00Z', graceDays: 7 });
  });

  it('accepts a full incident section and date-time expiries', () => {
    const file = `${writeTree({
      'b.yaml': `${HEAD}incident:
  exposedKeys: [AKIAEXAMPLEEXAMPLE01, ASIAEXAMPLEEXAMPLE09]
  since: 2026-11-01T00:00:00Z
  until: 2026-11-02T12:30:00+02:00
  graceDays: 7
exceptions:
  - { rule: r, subject: "user/*", reason: why, expires: "2027-01-31T00:00:00Z" }
`,
    })}/b.yaml`;
    const b = loadBaseline(file);
    expect(b.incident).toEqual({
      exposedKeys: ['AKIAEXAMPLEEXAMPLE01', 'ASIAEXAMPLEEXAMPLE09'],
      since: '2026-11-01T00:00:00Z',
      until: '2026-11-02T12:30:00+02:00',
      graceDays: 7,
    });
    expect(b.exceptions?.[0]?.expires).toBe('2027-01-31T00:00:00Z');
  });

  it('reads a JSON baseline too', () => {
    const file = `${writeTree({ 'b.json': '{"version": 1, "account": {"id": "123456789012"}}' })}/b.json`;
    expect(loadBaseline(file)).toEqual({ version: 1, account: { id: '123456789012' } });
  });
});

describe('loadBaseline: bad input, each with file, line, column, path and message', () => {
  it('malformed YAML: the parser message on one line, no path', () => {
    const { file, problems: p } = problems(`version: 1
account:
  id: "123456789012"
  alias: [payments
regions: {}
`);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ file, line: 5, column: 1 });
    expect(p[0]!.path).toBeUndefined();
    expect(p[0]!.message).toMatch(/^Flow sequence in block collection must be sufficiently indented and end with a \]$/);
  });

  it('a duplicate key is a syntax error at the second key', () => {
    const { file, problems: p } = problems(`version: 1
account: { id: "123456789012" }
version: 1
`);
    expect(p).toEqual([{ file, line: 3, column: 1, path: '/version', message: "duplicate key 'version': Map keys must be unique" }]);
  });

  it('an unknown key deep inside iam.users[1] points at the key itself', () => {
    const { file, problems: p } = problems(`${HEAD}iam:
  users:
    - name: alice
    - name: bob
      consol: true
`);
    expect(p).toEqual([
      {
        file,
        line: 7,
        column: 7,
        path: '/iam/users/1/consol',
        message:
          "unknown key 'consol', did you mean 'console'? (allowed: name, console, accessKeys, policies, inlinePolicies, groups)",
      },
    ]);
  });

  it('an unknown top-level key, and a selector with an unknown key or no criterion', () => {
    const { file, problems: p } = problems(`${HEAD}resource: {}
resources:
  ec2.instance:
    - { region: us-east-1, tag: { team: web } }
    - { max: 3 }
`);
    expect(p).toEqual([
      {
        file,
        line: 3,
        column: 1,
        path: '/resource',
        message: "unknown key 'resource', did you mean 'resources'? (allowed: version, account, regions, root, cloudtrail, iam, resources, exceptions, incident, spend)",
      },
      {
        file,
        line: 6,
        column: 28,
        path: '/resources/ec2.instance/0/tag',
        message: "unknown key 'tag', did you mean 'tags'? (allowed: id, name, region, tags, max, description)",
      },
      {
        file,
        line: 7,
        column: 7,
        path: '/resources/ec2.instance/1',
        message: "missing required key: at least one of 'id' or 'name' or 'tags' or 'region'",
      },
    ]);
  });

  it('wrong types: an unquoted account id, a string for a boolean, a map for a list', () => {
    const { file, problems: p } = problems(`version: 1
account:
  id: 123456789012
iam:
  users:
    - name: alice
      console: "yes"
  roles: { name: x }
`);
    expect(p).toEqual([
      {
        file,
        line: 3,
        column: 7,
        path: '/account/id',
        message: 'must be a string (got the number 123456789012; quote the value to keep it as written)',
      },
      {
        file,
        line: 7,
        column: 16,
        path: '/iam/users/0/console',
        message: 'must be a boolean (true or false) (got a string "yes")',
      },
      { file, line: 8, column: 10, path: '/iam/roles', message: 'must be an array (got an object)' },
    ]);
  });

  it('missing required keys point at the object that lacks them', () => {
    const { file, problems: p } = problems(`account:
  alias: prod
exceptions:
  - rule: r
    subject: user/x
    expires: 2027-01-31
`);
    expect(p).toEqual([
      { file, line: 1, column: 1, path: '', message: "missing required key 'version'" },
      { file, line: 2, column: 3, path: '/account', message: "missing required key 'id'" },
      { file, line: 4, column: 5, path: '/exceptions/0', message: "missing required key 'reason'" },
    ]);
  });

  it('bad enum values list the allowed ones, with a suggestion for a typo', () => {
    const { file, problems: p } = problems(`${HEAD}root:
  mfa: requried
  accessKeys: never
`);
    expect(p).toEqual([
      {
        file,
        line: 4,
        column: 8,
        path: '/root/mfa',
        message: "must be one of: required, optional (got 'requried', did you mean 'required'?)",
      },
      {
        file,
        line: 5,
        column: 15,
        path: '/root/accessKeys',
        message: "must be one of: forbidden, allowed (got 'never')",
      },
    ]);
  });

  it('patterns are described, not shown as regexes', () => {
    const { file, problems: p } = problems(`version: 1
account: { id: "12345", alias: Prod }
regions: { allowed: [us-east-1, mars] }
incident: { exposedKeys: [AKIA123], since: yesterday }
`);
    expect(p).toEqual([
      {
        file,
        line: 2,
        column: 16,
        path: '/account/id',
        message: 'must be a 12-digit AWS account id (e.g. "123456789012") (got \'12345\')',
      },
      {
        file,
        line: 2,
        column: 32,
        path: '/account/alias',
        message:
          "must be an account alias: lowercase letters, digits and hyphens, not starting or ending with a hyphen (got 'Prod')",
      },
      {
        file,
        line: 3,
        column: 33,
        path: '/regions/allowed/1',
        message: "must be a region name (e.g. us-east-1) (got 'mars')",
      },
      {
        file,
        line: 4,
        column: 27,
        path: '/incident/exposedKeys/0',
        message:
          "must be an access key id: AKIA or ASIA followed by at least 12 uppercase letters or digits (got 'AKIA123')",
      },
      {
        file,
        line: 4,
        column: 44,
        path: '/incident/since',
        message: "must be a date-time (e.g. 2026-11-01T00:00:00Z) (got 'yesterday')",
      },
    ]);
  });

  it('duplicate user, role, group and policy names, each pointing at the second one', () => {
    const { file, problems: p } = problems(`${HEAD}iam:
  users:
    - name: alice
    - name: bob
    - name: alice
  roles: [{ name: r }, { name: r }]
  groups: [{ name: g }, { name: g }]
  policies: [{ name: p }, { name: p }]
`);
    expect(p).toEqual([
      { file, line: 7, column: 13, path: '/iam/users/2/name', message: "duplicate user name 'alice' (first declared at line 5)" },
      { file, line: 8, column: 32, path: '/iam/roles/1/name', message: "duplicate role name 'r' (first declared at line 8)" },
      { file, line: 9, column: 33, path: '/iam/groups/1/name', message: "duplicate group name 'g' (first declared at line 9)" },
      {
        file,
        line: 10,
        column: 35,
        path: '/iam/policies/1/name',
        message: "duplicate policy name 'p' (first declared at line 10)",
      },
    ]);
  });

  it('an access key id declared for two users', () => {
    const { file, problems: p } = problems(`${HEAD}iam:
  users:
    - name: ci
      accessKeys:
        - id: AKIAEXAMPLEEXAMPLE01
    - name: bot
      accessKeys:
        - id: AKIAEXAMPLEEXAMPLE02
        - id: AKIAEXAMPLEEXAMPLE01
`);
    expect(p).toEqual([
      {
        file,
        line: 11,
        column: 15,
        path: '/iam/users/1/accessKeys/1/id',
        message: "duplicate access key id 'AKIAEXAMPLEEXAMPLE01' (already declared for user 'ci' at line 7)",
      },
    ]);
  });

  it('keys by count: a count of 1 or 2 and a maxAgeDays load; a bad count or an unknown key is pointed at', () => {
    const file = `${writeTree({ 'ok.yaml': `${HEAD}iam:\n  users:\n    - name: ci\n      accessKeys: { count: 1, maxAgeDays: 90 }\n    - name: pair\n      accessKeys: { count: 2 }\n` })}/ok.yaml`;
    expect(loadBaseline(file).iam?.users).toEqual([
      { name: 'ci', accessKeys: { count: 1, maxAgeDays: 90 } },
      { name: 'pair', accessKeys: { count: 2 } },
    ]);
    const { file: bad, problems: p } = problems(`${HEAD}iam:
  users:
    - name: ci
      accessKeys: { count: 3 }
    - name: bot
      accessKeys: { count: 1, maxAge: 90 }
`);
    expect(p.map((x) => [x.file, x.line, x.path, x.message])).toEqual([
      [bad, 6, '/iam/users/0/accessKeys/count', 'must be <= 2 (got the number 3)'],
      [bad, 8, '/iam/users/1/accessKeys/maxAge', "unknown key 'maxAge' (allowed: count, maxAgeDays)"],
    ]);
  });

  it('exceptions with an impossible date, a malformed date and an empty reason', () => {
    const { file, problems: p } = problems(`${HEAD}exceptions:
  - { rule: r, subject: user/a, reason: SEC-1, expires: 2027-02-30 }
  - { rule: r, subject: user/b, reason: SEC-2, expires: 31/01/2027 }
  - { rule: r, subject: user/c, reason: "  ", expires: 2027-01-31T25:00:00Z }
`);
    expect(p).toEqual([
      { file, line: 4, column: 57, path: '/exceptions/0/expires', message: "'2027-02-30' is not a valid date" },
      {
        file,
        line: 5,
        column: 57,
        path: '/exceptions/1/expires',
        message: "must be a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDThh:mm:ssZ) (got '31/01/2027')",
      },
      { file, line: 6, column: 41, path: '/exceptions/2/reason', message: "must not be empty (got '  ')" },
      { file, line: 6, column: 56, path: '/exceptions/2/expires', message: "'2027-01-31T25:00:00Z' is not a valid date" },
    ]);
  });

  it('an incident window whose until is before its since', () => {
    const { file, problems: p } = problems(`${HEAD}incident:
  since: 2026-11-01T00:00:00Z
  until: 2026-10-31T23:59:59Z
`);
    expect(p).toEqual([
      {
        file,
        line: 5,
        column: 10,
        path: '/incident/until',
        message: 'until (2026-10-31T23:59:59Z) is before since (2026-11-01T00:00:00Z)',
      },
    ]);
  });

  it('an empty file', () => {
    const { file, problems: p } = problems('# nothing here\n');
    expect(p).toEqual([{ file, path: '', message: 'the file is empty: expected an object' }]);
  });

  it('a missing file: cannot read, and nothing half-read', () => {
    const dir = writeTree({});
    const e = thrown(() => loadBaseline(`${dir}/nope.yaml`)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.problems).toEqual([
      { file: `${dir}/nope.yaml`, message: `cannot read: ENOENT: no such file or directory, open '${dir}/nope.yaml'` },
    ]);
  });

  it('every problem comes at once, in document order, formatted one per line without a stack', () => {
    const { file } = problems(`version: 2
account: { id: "123456789012", alias: ok }
root: { mfa: always }
`);
    const e = thrown(() => loadBaseline(file)) as InputError;
    expect(e.message).toBe(
      [
        `${file}:1:10 at /version: must be 1 (got the number 2)`,
        `${file}:3:14 at /root/mfa: must be one of: required, optional (got 'always')`,
      ].join('\n'),
    );
  });
});
