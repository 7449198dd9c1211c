import { buildOrgReport } from '../../../src/report/org-report.js';
import { timelineJson } from '../../../src/timeline/render.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Journal, JOURNAL_FORMAT } from '../../../src/apply/journal.js';
import { InputError } from '../../../src/errors.js';
import { detectKind, validateFiles, ValidationFailed } from '../../../src/load/validate.js';
import { renderJson } from '../../../src/report/json.js';
import { NOW } from '../../helpers/resources.js';
import { compromise, planFor } from '../plan/fixtures.js';
import { richReport } from '../report/fixtures.js';
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
    expect(detectKind({ steps: [], digest: 'x' })).toBe('plan');
    expect(detectKind({ violations: [], summary: {}, gaps: [] })).toBe('report');
    expect(detectKind({ type: 'header', planDigest: 'x' })).toBe('journal');
    expect(detectKind({ kind: 'org', accounts: [], summary: {} })).toBe('org-report');
    expect(detectKind({ format: 1, window: {}, actors: [] })).toBe('timeline');
    expect(detectKind({ version: '2.1.0', runs: [] })).toBeUndefined();
    expect(detectKind({ name: 'x' })).toBeUndefined();
    expect(detectKind(null)).toBeUndefined();
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

describe('validate tells every kind of file apart by its content', () => {
  const journalOf = (dir: string): string => {
    const { plan } = planFor(compromise());
    const file = join(dir, 'plan.json.journal');
    const header = { type: 'header', format: JOURNAL_FORMAT, kind: 'apply', planDigest: plan.digest, accountId: plan.accountId, caller: plan.caller.arn, started: NOW.toISOString(), source: 'plan.json' } as const;
    const journal = Journal.open(file, header, undefined);
    const step = plan.steps[0]!;
    journal.intend({ id: step.id, at: NOW.toISOString(), undo: { status: 'Active' } });
    journal.append({ id: step.id, result: 'done', at: NOW.toISOString(), step, undo: { status: 'Active' } });
    journal.close();
    return file;
  };

  it('a JSON report and a journal: each validated against its own schema, not mistaken for a baseline', () => {
    const d = writeTree({ 'report.json': renderJson(richReport()) });
    const journal = journalOf(d);
    expect(validateFiles([join(d, 'report.json'), journal])).toEqual([
      { file: join(d, 'report.json'), kind: 'report', ok: true },
      { file: journal, kind: 'journal', ok: true },
    ]);
  });

  it('a broken report or journal: its problems, with the kind it was read as', () => {
    const d = writeTree({ 'report.json': renderJson({ ...richReport(), rules: -1 }) });
    const journal = journalOf(d);
    const lines = readFileSync(journal, 'utf8').split('\n');
    writeFileSync(journal, [lines[0], lines[1]!.replace('"intent"', '"intnet"'), lines[2]!.replace('"done"', '"dnoe"'), lines[0], ''].join('\n'));
    const e = thrown(() => validateFiles([join(d, 'report.json'), journal])) as ValidationFailed;
    expect(e).toBeInstanceOf(ValidationFailed);
    expect(e.detected).toEqual([
      { file: join(d, 'report.json'), kind: 'report' },
      { file: journal, kind: 'journal' },
    ]);
    expect(e.message.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${d}/report.json:\\d+:\\d+ at /rules: must be >= 0`)),
      `${journal}:2 at /type: a journal line is an object whose type is one of header, run, step, intent`,
      `${journal}:3 at /result: must be one of: done, already, manual, undone (got 'dnoe', did you mean 'done'?)`,
      `${journal}:4 at /type: a header line may only come first`,
    ]);
  });

  it('an org report and a JSON timeline: each validated against its own schema', () => {
    const org = buildOrgReport(
      { version: '0.1.0', generatedAt: '2026-11-29T12:00:00.000Z', source: 'organization', roleName: 'rollcall-audit', baselines: 'baselines', failOn: 'low' },
      [{ id: '100000000002', status: 'gap', gap: { reason: 'role', message: 'cannot assume: AccessDenied' }, exitCode: 4 }],
      [],
    );
    const timeline = [
      ...timelineJson({ accountId: '123456789012', window: { since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z' }, source: { kind: 'lookup', lookupCalls: 6 }, regions: ['us-east-1'], records: 0, events: 0, groups: [], gaps: [], notes: [] }),
    ].join('');
    const d = writeTree({ 'org-report.json': JSON.stringify(org), 'timeline.json': timeline, 'bad-org.json': JSON.stringify({ ...org, exitCode: 'four' }), 'bad-timeline.json': timeline.replace('"lookupCalls": 6', '"lookupCalls": "six"') });
    expect(validateFiles([join(d, 'org-report.json'), join(d, 'timeline.json')])).toEqual([
      { file: join(d, 'org-report.json'), kind: 'org-report', ok: true },
      { file: join(d, 'timeline.json'), kind: 'timeline', ok: true },
    ]);
    const e = thrown(() => validateFiles([join(d, 'bad-org.json'), join(d, 'bad-timeline.json')])) as ValidationFailed;
    expect(e.detected).toEqual([
      { file: join(d, 'bad-org.json'), kind: 'org-report' },
      { file: join(d, 'bad-timeline.json'), kind: 'timeline' },
    ]);
    expect(e.message).toMatch(/bad-org\.json:\d+:\d+ at \/exitCode/);
    expect(e.message).toMatch(/bad-timeline\.json:\d+:\d+ at \/source\/lookupCalls/);
  });

  it('a file of no kind rollcall knows, a SARIF log, an empty file: refused, saying what it expected', () => {
    const d = writeTree({ 'x.yaml': 'name: x\n', 'log.sarif.json': '{"version": "2.1.0", "runs": []}', 'empty.yaml': '' });
    const e = thrown(() => validateFiles([join(d, 'x.yaml'), join(d, 'log.sarif.json'), join(d, 'empty.yaml')])) as InputError;
    expect(e.message.split('\n')).toEqual([
      `${d}/x.yaml: not a file rollcall reads or writes: expected a baseline (version, account), a rule (resource, relation), an inventory, as \`rollcall collect\` writes it (resources, gaps), a plan, as \`rollcall plan\` writes it (steps, digest), a journal, as \`rollcall apply\` and \`undo\` write it (a header line, then one line per step), a JSON audit report, as \`rollcall audit --format json\` writes it (violations, summary), an org report, as \`rollcall audit --org\` and \`report merge\` write it (kind org, accounts) or a JSON timeline, as \`rollcall timeline --format json\` writes it (window, actors)`,
      `${d}/log.sarif.json: a SARIF log: rollcall writes SARIF for code scanning but reads none back, so validate does not check it (a SARIF validator does)`,
      `${d}/empty.yaml: the file is empty: nothing to validate`,
    ]);
  });
});
