import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { evaluate } from '../../../src/engine/evaluate.js';
import { InputError, type InputProblem } from '../../../src/errors.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import { validateFiles } from '../../../src/load/validate.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { thrown } from './files.js';

/** A rule folder with one rule file, removed when the test ends. */
function ruleDir(id: string, body: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-rule-checks-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'p'));
  const file = join(dir, 'p', `${id}.yaml`);
  writeFileSync(file, `id: ${id}\ntitle: A title\nseverity: high\n${body}rationale: A reason\nremediation: [manualReview]\n`);
  return { dir, file };
}

function problems(dir: string): InputProblem[] {
  const e = thrown(() => loadRules([dir]));
  expect(e).toBeInstanceOf(InputError);
  return (e as InputError).problems;
}

const keyRule = (when: string, message = 'Key {{id}}.') =>
  `resource: iam.accessKey\nrelation: always\nwhen:\n${when}\nmessage: "${message}"\n`;

describe('rule message templates are compiled at load', () => {
  it('a syntax error is reported at the message line', () => {
    const { dir, file } = ruleDir('bad-syntax', keyRule('  exists: props.status', 'Key {{#if props.status}}{{id}}'));
    const [p, ...rest] = problems(dir);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ file, line: 8, path: '/message' });
    expect(p!.message).toMatch(/^the message template does not compile: Parse error on line 1/);
  });

  it('a block closed by another name is reported', () => {
    const { dir, file } = ruleDir('bad-close', keyRule('  exists: props.status', 'Key {{#if props.status}}{{id}}{{/each}}'));
    expect(problems(dir)).toEqual([
      { file, line: 8, column: 10, path: '/message', message: "the message template does not compile: if doesn't match each - 1:7" },
    ]);
  });

  it('an unknown helper is reported with the closest known one', () => {
    const { dir, file } = ruleDir('bad-helper', keyRule('  exists: props.status', 'Key {{jion props.user}} {{upper id}}'));
    const found = problems(dir);
    expect(found.map((p) => [p.file, p.line, p.path])).toEqual([
      [file, 8, '/message'],
      [file, 8, '/message'],
    ]);
    expect(found[0]!.message).toMatch(/^in the message: unknown helper 'jion', did you mean 'join'\? \(helpers: .*join, eq, or\)$/);
    expect(found[1]!.message).toMatch(/^in the message: unknown helper 'upper'/);
  });

  it('a helper given the wrong number of arguments, a partial and a decorator are reported', () => {
    const { dir } = ruleDir('bad-calls', keyRule('  exists: props.status', '{{#if id region}}x{{/if}} {{#each}}{{/each}} {{> part}} {{lookup id}}'));
    expect(problems(dir).map((p) => p.message)).toEqual([
      'in the message: if takes 1 argument, got 2',
      'in the message: each takes 1 argument, got 0',
      'in the message: partials ({{> name}}) are not available in rule messages',
      'in the message: lookup takes 2 arguments, got 1',
    ]);
  });

  it('each real helper, a section, each with its own context and @root pass', () => {
    const { dir } = ruleDir(
      'good-template',
      keyRule(
        '  exists: props.status',
        '{{join props.user}} {{#if (or (eq props.status \\"Active\\") (eq id \\"x\\"))}}a{{else}}b{{/if}} {{#each baseline.regions.allowed as |r|}}{{r}} {{this}} {{@index}} {{@root.props.user}}{{/each}} {{#with declared}}{{anything}}{{/with}} {{tags.any-key}}',
      ),
    );
    expect(loadRules([dir])).toHaveLength(1);
  });

  it('what validate accepts, audit renders: the template that crashed evaluation is refused at load', () => {
    const { dir } = ruleDir('bad-helper-runtime', keyRule('  exists: id', 'Key {{upper id}}'));
    expect(problems(dir)).toHaveLength(1);
  });
});

describe('paths in conditions and messages are checked against the rule types', () => {
  it('a misspelt property, with a did-you-mean and the list of known ones', () => {
    const { dir, file } = ruleDir('bad-prop', keyRule('  eq: { path: props.statsu, value: Active }'));
    expect(problems(dir)).toEqual([
      {
        file,
        line: 7,
        column: 15,
        path: '/when/eq/path',
        message:
          "unknown property 'props.statsu' for iam.accessKey, did you mean 'props.status'? (known: createDate, lastActivity, lastUsedDate, lastUsedRegion, lastUsedService, status, user)",
      },
    ]);
  });

  it('a misspelt root, in a condition and in the message', () => {
    const { dir, file } = ruleDir('bad-root', keyRule('  exists: propz.status', 'Key {{propz.user}}'));
    expect(problems(dir).map((p) => [p.line, p.path, p.message.replace(/ \(paths start with .*\)$/, '')])).toEqual([
      [7, '/when/exists', "unknown path 'propz.status': 'propz' is not a root, did you mean 'props'?"],
      [8, '/message', "in the message: unknown path 'propz.user': 'propz' is not a root, did you mean 'props'?"],
    ]);
    expect(file).toContain('bad-root');
  });

  it('declared.* against the baseline entry of the type, baseline.* against the baseline schema', () => {
    const { dir } = ruleDir(
      'bad-declared',
      keyRule(
        `  all:
    - olderThanDays: { path: props.createDate, daysRef: declared.maxAgeDay, days: 90 }
    - in: { path: id, ref: baseline.incident.exposedKey }
    - exists: baseline.regions.allowed.first`,
      ),
    );
    expect(problems(dir).map((p) => [p.path, p.message])).toEqual([
      [
        '/when/all/0/olderThanDays/daysRef',
        "unknown declared field 'declared.maxAgeDay' for iam.accessKey, did you mean 'declared.maxAgeDays'? (known: accepted, count, displacing, id, maxAgeDays, name, user)",
      ],
      [
        '/when/all/1/in/ref',
        "unknown baseline field 'baseline.incident.exposedKey': baseline.incident has no 'exposedKey', did you mean 'baseline.incident.exposedKeys'? (known: exposedKeys, since, until, awsQuarantined, graceDays)",
      ],
      ['/when/all/2/exists', "'baseline.regions.allowed.first': baseline.regions.allowed is a list: only an index (baseline.regions.allowed.0) reads into it"],
    ]);
  });

  it('item only inside some, matched only with relation declared, nothing under a single value', () => {
    const { dir } = ruleDir(
      'bad-scope',
      keyRule(
        `  all:
    - eq: { path: item, value: x }
    - gt: { path: matched, value: 1 }
    - exists: props.status.code
    - some: { path: props.user, where: { eq: { path: item.anything, value: x } } }`,
      ),
    );
    expect(problems(dir).map((p) => [p.path, p.message])).toEqual([
      ['/when/all/0/eq/path', "'item': item exists only inside some's where"],
      ['/when/all/1/gt/path', "'matched': matched exists only with relation declared"],
      ['/when/all/2/exists', "'props.status.code': props.status is a single value, nothing is under it"],
    ]);
  });

  it('what a relation never sets: declared with unexpected, props and tags with missing or declared', () => {
    const unexpected = ruleDir('reads-declared', keyRule('  exists: id', '{{declared.user}}').replace('relation: always', 'relation: unexpected'));
    expect(problems(unexpected.dir).map((p) => p.message)).toEqual([
      "in the message: 'declared.user': declared is never set with relation unexpected (no baseline entry matches such a resource)",
    ]);
    const missing = ruleDir('reads-props', keyRule('  exists: props.status', '{{tags.team}} {{declared.user}} {{id}}').replace('relation: always', 'relation: missing'));
    expect(problems(missing.dir).map((p) => p.message)).toEqual([
      "'props.status': props is never set with relation missing (it judges baseline entries, not resources: read declared.* and matched)",
      "in the message: 'tags.team': tags is never set with relation missing (it judges baseline entries, not resources: read declared.* and matched)",
    ]);
  });

  it('tags.* is free-form; a path known to one of several types passes; tagged resources have their own props', () => {
    const { dir } = ruleDir(
      'good-paths',
      `resource: [ec2.instance, lambda.function, tagged.resource]\nrelation: always\nwhen:\n  all:\n    - exists: tags.Any-Key_1\n    - exists: props.runtime\n    - exists: props.service\n    - exists: props.roles.0\n    - exists: declared.tags.team\nmessage: "{{tags.Name}} {{props.instanceType}}"\n`,
    );
    expect(loadRules([dir])).toHaveLength(1);
  });

  it('history.* for the types a timeline is joined to, judging resources: created, events and sessions, lists read with some', () => {
    const good = ruleDir('reads-history', keyRule('  any:\n    - some: { path: history.events, where: { eq: { path: item.attacker, value: true } } }\n    - exists: history.created.time\n    - exists: history.sessions.0', 'Key {{id}} {{history.created.name}}.'));
    expect(loadRules([good.dir])).toHaveLength(1);
    const bad = ruleDir('reads-history-wrong', `resource: tagged.resource\nrelation: always\nwhen:\n  any:\n    - exists: history.events\nmessage: "x {{id}}"\n`);
    expect(problems(bad.dir).map((p) => p.message)).toEqual([expect.stringMatching(/^'history.events': no timeline is joined to tagged.resource/)]);
    const typo = ruleDir('reads-history-typo', keyRule('  exists: history.event', 'Key {{id}}.'));
    expect(problems(typo.dir).map((p) => p.message)).toEqual(["unknown history field 'history.event', did you mean 'events'? (known: created, events, sessions)"]);
    const entries = ruleDir('reads-history-entries', keyRule('  exists: history.events', 'Key {{id}}.').replace('relation: always', 'relation: missing'));
    expect(problems(entries.dir).map((p) => p.message)).toEqual(["'history.events': history is never set with relation missing (it judges baseline entries, not resources)"]);
    const past = ruleDir('reads-history-past', keyRule('  exists: history.events.name', 'Key {{id}}.'));
    expect(problems(past.dir).map((p) => p.message)).toEqual(["'history.events.name': history.events is a list: only an index (history.events.0) reads into it"]);
  });

  it('every built-in rule passes', () => {
    expect(loadRules([builtinRulesDir()]).length).toBeGreaterThan(25);
  });
});

describe('what validates evaluates', () => {
  it('the log helper is refused: it would write into a report on stdout', () => {
    const { dir } = ruleDir('logs', keyRule('  exists: id', 'Key {{log id}}'));
    expect(problems(dir).map((p) => p.message)).toEqual(['in the message: log writes to the console (into a report on stdout), not into the message']);
  });

  it('validate refuses a rule of ones own that reuses a built-in id, as audit would', () => {
    const { dir, file } = ruleDir('iam-user-undeclared', keyRule('  exists: id'));
    const e = thrown(() => validateFiles([dir])) as InputError;
    expect(e.problems).toEqual([
      {
        file,
        line: 1,
        column: 5,
        path: '/id',
        message: `duplicate rule id 'iam-user-undeclared': also defined in ${builtinRulesDir()}/compromise/iam-user-undeclared.yaml (a built-in rule)`,
      },
    ]);
    expect(validateFiles([builtinRulesDir()]).length).toBeGreaterThan(25);
  });

  it('every template of a loaded rule renders on a resource without the properties it reads', () => {
    const { dir } = ruleDir(
      'renders',
      keyRule(
        '  exists: id',
        '{{#each props.user}}{{this}}{{/each}}{{#with declared}}{{name}}{{/with}}{{lookup tags \\"team\\"}}{{join baseline.regions.allowed \\", \\"}}',
      ),
    );
    const rules = loadRules([dir]);
    const inventory: Inventory = {
      format: 1,
      accountId: '123456789012',
      caller: { account: '123456789012', arn: 'arn:aws:iam::123456789012:root', userId: 'x' },
      collectedAt: '2026-11-05T10:00:00Z',
      regions: ['global'],
      resources: [{ type: 'iam.accessKey', id: 'AKIAEXAMPLEEXAMPLE01', region: 'global', accountId: '123456789012', tags: {}, props: {} }],
      gaps: [],
      notes: [],
      apiCalls: {},
    };
    const { violations } = evaluate({ inventory, baseline: { version: 1, account: { id: '123456789012' } }, rules, now: new Date('2026-11-29T00:00:00Z') });
    expect(violations.map((v) => v.ruleId)).toEqual(['renders']);
  });
});
