import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { accountBaseline, checkBaselineFolder, readBaselineFolder } from '../../../src/org/baselines.js';
import { tempDir } from '../../helpers/temp.js';
import { applyExceptions } from '../../../src/engine/exceptions.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import { validator } from '../../../src/load/schemas.js';
import { buildReport } from '../../../src/report/audit-report.js';
import { renderJson } from '../../../src/report/json.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { inventory, NOW, user } from '../../helpers/resources.js';
import { RULES } from '../plan/fixtures.js';
import type { Violation } from '../../../src/model/violation.js';

const A = '111111111111';
const B = '222222222222';

function folder(files: Record<string, string>): string {
  const dir = path.join(tempDir('rollcall-org-baselines-'), 'baselines');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function problems(f: () => unknown): { file: string; line?: number; path?: string; message: string }[] {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.problems.map((p) => ({ ...p, file: path.basename(p.file) }));
    throw e;
  }
  throw new Error('no InputError');
}

const DEFAULTS = `version: 1
regions: { allowed: [us-east-1, eu-west-1] }
root: { mfa: required, accessKeys: forbidden }
iam:
  roles:
    - name: OrganizationAccountAccessRole
      trustedPrincipals: ["arn:aws:iam::999999999999:root"]
    - name: rollcall-audit
  users:
    - name: break-glass
      console: true
exceptions:
  - { rule: iam-user-without-mfa, subject: "user/break-glass", reason: "ORG-1", expires: 2027-01-31, accounts: ["111111111111"] }
`;

describe('an organization\'s baselines folder', () => {
  it('merges the account\'s file over _defaults.yaml: maps by key, scalars replaced, named IAM entries replaced by name, scalar lists without repeats, other lists concatenated', () => {
    const dir = folder({
      '_defaults.yaml': DEFAULTS,
      [`${A}.yaml`]: `version: 1
account: { id: "${A}", alias: payments }
regions: { allowed: [eu-west-1, ap-south-1] }
root: { mfa: optional }
iam:
  roles:
    - name: OrganizationAccountAccessRole
      trustedPrincipals: ["arn:aws:iam::888888888888:root"]
    - name: payments-app
exceptions:
  - { rule: iam-user-undeclared, subject: "user/tmp", reason: "PAY-2", expires: 2027-01-31 }
`,
    });
    const f = readBaselineFolder(dir);
    const defaults = checkBaselineFolder(f);
    const { baseline } = accountBaseline(f, A, defaults);
    expect(baseline.account).toEqual({ id: A, alias: 'payments' });
    expect(baseline.regions!.allowed).toEqual(['us-east-1', 'eu-west-1', 'ap-south-1']);
    expect(baseline.root).toEqual({ mfa: 'optional', accessKeys: 'forbidden' });
    expect(baseline.iam!.roles).toEqual([
      { name: 'OrganizationAccountAccessRole', trustedPrincipals: ['arn:aws:iam::888888888888:root'] },
      { name: 'rollcall-audit' },
      { name: 'payments-app' },
    ]);
    expect(baseline.iam!.users).toEqual([{ name: 'break-glass', console: true }]);
    expect(baseline.exceptions!.map((e) => e.reason)).toEqual(['ORG-1', 'PAY-2']);
    // The lines point into the account's own file, at the merged entries it declares (read when asked: SARIF asks, org reports do not).
    const { lines } = accountBaseline(f, A, defaults);
    expect(lines.file).toBe(path.join(dir, `${A}.yaml`));
    expect(lines.lines.get('/iam/roles/2')).toBe(9);
    expect(lines.lines.get('/iam/roles/0')).toBe(7);
    expect(lines.lines.get('/iam/roles/1')).toBeUndefined();
  });

  it('without defaults, each account\'s file is its baseline', () => {
    const dir = folder({ [`${A}.yaml`]: `version: 1\naccount: { id: "${A}" }\n`, 'README.md': 'not a baseline' });
    const f = readBaselineFolder(dir);
    expect([...f.accounts.keys()]).toEqual([A]);
    expect(accountBaseline(f, A, checkBaselineFolder(f)).baseline).toEqual({ version: 1, account: { id: A } });
  });

  it('a problem is reported in the file and at the path its value came from, every file\'s at once', () => {
    const dir = folder({
      '_defaults.yaml': `version: 1\nroot: { mfa: sometimes }\n`,
      [`${A}.yaml`]: `version: 1\naccount: { id: "${A}" }\nregions: { allowed: [us-esat-1] }\n`,
      [`${B}.yaml`]: `version: 1\naccount: { id: "${B}" }\n`,
    });
    const found = problems(() => checkBaselineFolder(readBaselineFolder(dir)));
    // The defaults' problem once, though both accounts merge it; then the account's own.
    expect(found.map((p) => [p.file, p.line, p.path])).toEqual([
      ['_defaults.yaml', 2, '/root/mfa'],
      [`${A}.yaml`, 3, '/regions/allowed/0'],
    ]);
  });

  it('a file naming another account is an error, with its file and path', () => {
    const dir = folder({ [`${A}.yaml`]: `version: 1\naccount:\n  id: "${B}"\n` });
    expect(problems(() => checkBaselineFolder(readBaselineFolder(dir)))).toEqual([
      expect.objectContaining({ file: `${A}.yaml`, line: 3, path: '/account/id', message: expect.stringContaining(`baseline of account ${A} (its name), but names account ${B}`) }),
    ]);
  });

  it('the defaults cannot name an account; a stray or second file is an error; rules are checked', () => {
    expect(problems(() => checkBaselineFolder(readBaselineFolder(folder({ '_defaults.yaml': `account: { id: "${A}" }\n` })))))
      .toEqual([expect.objectContaining({ file: '_defaults.yaml', line: 1, path: '/account' })]);
    expect(problems(() => readBaselineFolder(folder({ 'prod.yaml': 'version: 1\n', [`${A}.yaml`]: '', [`${A}.yml`]: '' }))).map((p) => p.file)).toEqual([`${A}.yml`, 'prod.yaml']);
    const dir = folder({ '_defaults.yaml': `exceptions:\n  - { rule: no-such-rule, subject: "user/x", reason: "r", expires: 2027-01-31, accounts: ["${A}"] }\n`, [`${A}.yaml`]: `version: 1\naccount: { id: "${A}" }\n` });
    expect(problems(() => checkBaselineFolder(readBaselineFolder(dir), { ids: new Set(['iam-user-undeclared']), from: 'the built-in rules' })))
      .toEqual([expect.objectContaining({ file: '_defaults.yaml', line: 2, path: '/exceptions/0/rule' })]);
    expect(problems(() => readBaselineFolder(path.join(tempDir(), 'none')))[0]!.message).toContain('cannot read the baselines folder');
  });

  it('every value of the defaults the account file overrides is reported (file, line, path, and the default it replaces); --strict-defaults makes each an input error', () => {
    const dir = folder({
      '_defaults.yaml': `version: 1
regions: { allowed: [us-east-1] }
root: { mfa: required, accessKeys: forbidden }
iam:
  users:
    - name: breakglass
      console: false
`,
      [`${A}.yaml`]: `version: 1
account: { id: "${A}" }
regions: { allowed: [us-east-1, ap-south-1] }
root: { mfa: optional, accessKeys: forbidden }
iam:
  users:
    - name: breakglass
      console: true
    - name: alice
`,
      [`${B}.yaml`]: `version: 1\naccount: { id: "${B}" }\nroot: { mfa: required }\n`,
    });
    const f = readBaselineFolder(dir);
    const defaults = checkBaselineFolder(f);
    const { overrides } = accountBaseline(f, A, defaults);
    expect(overrides.map((o) => [path.basename(o.file), o.line, o.path, path.basename(o.defaultsFile), o.defaultsPath])).toEqual([
      [`${A}.yaml`, 3, '/regions/allowed/1', '_defaults.yaml', '/regions/allowed'],
      [`${A}.yaml`, 4, '/root/mfa', '_defaults.yaml', '/root/mfa'],
      [`${A}.yaml`, 7, '/iam/users/0', '_defaults.yaml', '/iam/users/0'],
    ]);
    expect(overrides[1]!.message).toContain('"required"');
    expect(overrides[1]!.message).toContain('"optional"');
    expect(overrides[2]!.message).toContain("'breakglass'");
    // The same value as the default is no override.
    expect(accountBaseline(f, B, defaults).overrides).toEqual([]);
    expect(problems(() => checkBaselineFolder(f, undefined, { strictDefaults: true })).map((p) => [p.file, p.line, p.path])).toEqual([
      [`${A}.yaml`, 3, '/regions/allowed/1'],
      [`${A}.yaml`, 4, '/root/mfa'],
      [`${A}.yaml`, 7, '/iam/users/0'],
    ]);
  });

  it("a name the account's file repeats is its duplicate, not a replacement of its own earlier item", () => {
    const dir = folder({
      '_defaults.yaml': `version: 1\niam:\n  users:\n    - name: breakglass\n`,
      [`${A}.yaml`]: `version: 1\naccount: { id: "${A}" }\niam:\n  users:\n    - name: bob\n    - name: bob\n      console: true\n`,
    });
    const found = problems(() => checkBaselineFolder(readBaselineFolder(dir)));
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.file === `${A}.yaml`)).toBe(true);
    expect(found.map((p) => p.message).join('\n')).toMatch(/bob/);
  });

  it("an exception of the defaults names the accounts it applies to (accounts: [ids]); each account gets only its own, and each records the file it came from", () => {
    const dir = folder({
      '_defaults.yaml': `version: 1
exceptions:
  - { rule: iam-user-undeclared, subject: "user/ci-*", reason: "ORG-1", expires: 2027-01-31, accounts: ["${A}"] }
`,
      [`${A}.yaml`]: `version: 1\naccount: { id: "${A}" }\nexceptions:\n  - { rule: iam-user-undeclared, subject: "user/tmp", reason: "PAY-2", expires: 2027-01-31 }\n`,
      [`${B}.yaml`]: `version: 1\naccount: { id: "${B}" }\n`,
    });
    const f = readBaselineFolder(dir);
    const defaults = checkBaselineFolder(f);
    const a = accountBaseline(f, A, defaults).baseline.exceptions!;
    expect(a.map((e) => [e.reason, path.basename(e.source!)])).toEqual([['ORG-1', '_defaults.yaml'], ['PAY-2', `${A}.yaml`]]);
    expect(a[0]).not.toHaveProperty('accounts');
    expect(accountBaseline(f, B, defaults).baseline.exceptions ?? []).toEqual([]);
    // The engine records where the exception that suppressed a violation came from.
    const { violations } = applyExceptions([{ ruleId: 'iam-user-undeclared', subject: 'user/ci-deploy' } as Violation], a, new Date('2026-11-29T00:00:00Z'));
    expect(violations[0]!.suppressed).toEqual({ reason: 'ORG-1', expires: '2027-01-31', source: path.join(dir, '_defaults.yaml') });
    // In the account's report: the JSON (valid against its schema) and the Markdown name that file.
    const inv = { ...inventory([user('ci-deploy')], []), accountId: A, regions: ['global'] };
    const evaluated = evaluate({ inventory: inv, baseline: accountBaseline(f, A, defaults).baseline, rules: RULES, now: NOW });
    const report = buildReport({ version: '9.9.9', now: NOW, inventory: inv, baselineFile: 'b.yaml', ruleCount: RULES.length, violations: evaluated.violations, warnings: [] });
    const ci = report.violations.find((v) => v.subject === 'user/ci-deploy' && v.ruleId === 'iam-user-undeclared')!;
    expect(ci.suppressed).toMatchObject({ reason: 'ORG-1', source: path.join(dir, '_defaults.yaml') });
    expect(validator('report')(JSON.parse(renderJson(report)))).toBe(true);
    expect(renderMarkdown(report)).toContain(`(exception in \`${path.join(dir, '_defaults.yaml')}\`)`);
  });

  it('an exception of the defaults without accounts, or with a bad one, is an error with its file, line and path', () => {
    const dir = folder({
      '_defaults.yaml': `version: 1
exceptions:
  - { rule: iam-user-undeclared, subject: "user/ci-*", reason: "ORG-1", expires: 2027-01-31 }
  - rule: iam-user-undeclared
    subject: "user/x"
    reason: "ORG-2"
    expires: 2027-01-31
    accounts: ["12", "${A}"]
  - { rule: iam-user-undeclared, subject: "user/y", reason: "ORG-3", expires: 2027-01-31, accounts: [] }
`,
      [`${A}.yaml`]: `version: 1\naccount: { id: "${A}" }\n`,
    });
    expect(problems(() => checkBaselineFolder(readBaselineFolder(dir))).map((p) => [p.file, p.line, p.path])).toEqual([
      ['_defaults.yaml', 3, '/exceptions/0'],
      ['_defaults.yaml', 8, '/exceptions/1/accounts/0'],
      ['_defaults.yaml', 9, '/exceptions/2/accounts'],
    ]);
  });
});
