import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { loadPlan } from '../../../src/load/plan.js';
import { validateFiles } from '../../../src/load/validate.js';
import { digestOf } from '../../../src/model/digest.js';
import type { Plan } from '../../../src/model/plan.js';
import { SUPPORT_TEXT_HEADING, supportText } from '../../../src/plan/instructions.js';
import { renderPlan } from '../../../src/report/plan-markdown.js';
import { compromise, planFor } from '../plan/fixtures.js';
import { thrown, writeTree } from './files.js';

const made = (): Plan => planFor(compromise(), { destructive: true }).plan;
/** The same plan as rollcall wrote it in format 1: plain warnings, the text to send inside the support step's instructions. */
const formatOne = (plan: Plan): Plan => {
  const steps = plan.steps.map(({ reasons: _r, support, ...s }) =>
    support ? { ...s, instructions: [s.instructions, '', SUPPORT_TEXT_HEADING, ...supportText(support)].join('\n') } : s,
  );
  return resigned({ ...plan, format: 1, steps, warnings: plan.warnings!.map((w) => w.text) } as unknown as Plan);
};
const text = (plan: unknown) => `${JSON.stringify(plan, null, 2)}\n`;
const file = (content: string, name = 'plan.json') => `${writeTree({ [name]: content })}/${name}`;
/** Re-signs a plan after a change, as someone who knows the digest scheme could: the other checks must still hold. */
const resigned = (plan: Plan): Plan => {
  const { digest: _old, ...body } = plan;
  return { ...body, digest: digestOf(body) };
};
const lineOf = (content: string, needle: string) => content.split('\n').findIndex((l) => l.includes(needle)) + 1;
const problems = (path: string) => {
  const e = thrown(() => loadPlan(path));
  expect(e).toBeInstanceOf(InputError);
  return (e as InputError).problems;
};

describe('loadPlan', () => {
  it('loads a plan as makePlan made it', () => {
    const plan = made();
    expect(loadPlan(file(text(plan)))).toEqual(plan);
  });

  it('schema problems are located by line, column and path', () => {
    const plan = made();
    const content = text(plan)
      .replace('"action": "quarantineUser"', '"action": "quarantinUser"')
      .replace('"complete": true', '"complete": "yes"')
      .replace('"subject": "user/backup-admin"', '"subject": "user/backup-admin", "owner": "me"');
    const path = file(content);
    const i = plan.steps.findIndex((s) => s.action === 'quarantineUser');
    const got = problems(path);
    expect(got).toEqual([
      expect.objectContaining({ file: path, line: lineOf(content, '"complete"'), path: '/complete', message: 'must be a boolean (true or false) (got a string "yes")' }),
      expect.objectContaining({ file: path, line: lineOf(content, '"quarantinUser"'), path: `/steps/${i}/action`, message: expect.stringContaining("(got 'quarantinUser', did you mean 'quarantineUser'?)") }),
      expect.objectContaining({ file: path, line: lineOf(content, '"owner"'), path: `/steps/${i}/target/owner`, message: "unknown key 'owner' (allowed: type, id, region, arn, ref, subject)" }),
    ]);
  });

  it('a step changed after planning: refused, digest mismatch', () => {
    const plan = made();
    const content = text(plan).replace('"id": "AKIABACKUP0000000001"', '"id": "AKIAVICTIM0000000001"');
    const path = file(content);
    expect(problems(path)).toEqual([{ file: path, line: lineOf(content, '"digest":'), column: 13, path: '/digest', message: 'the plan was changed after it was made (digest mismatch)' }]);
    const e = thrown(() => loadPlan(path)) as InputError;
    expect(e.message).toBe(`${path}:${lineOf(content, '"digest":')}:13 at /digest: the plan was changed after it was made (digest mismatch)`);
  });

  it('a step removed or reordered breaks the digest too', () => {
    const plan = made();
    const mismatch = 'the plan was changed after it was made (digest mismatch)';
    expect(problems(file(text({ ...plan, steps: plan.steps.slice(1) }))).map((p) => p.message)).toContain(mismatch);
    expect(problems(file(text({ ...plan, steps: [...plan.steps].reverse() }))).map((p) => p.message)).toEqual([mismatch]);
  });

  it('an unknown dependency is refused where it is named', () => {
    const plan = made();
    plan.steps[3]!.dependsOn = ['deleteUser user/nobody'];
    const content = text(resigned(plan));
    const path = file(content);
    expect(problems(path)).toEqual([
      { file: path, line: lineOf(content, '"deleteUser user/nobody"'), column: 9, path: '/steps/3/dependsOn/0', message: "unknown step 'deleteUser user/nobody': no step of this plan has that id" },
    ]);
  });

  it('a dependency cycle is refused, with the cycle spelled out', () => {
    const plan = made();
    const a = plan.steps[0]!;
    const b = plan.steps[1]!; // b already depends on a
    expect(b.dependsOn).toContain(a.id);
    a.dependsOn = [b.id];
    const path = file(text(resigned(plan)));
    expect(problems(path).map((p) => [p.path, p.message])).toEqual([['/steps/0/dependsOn', `dependency cycle: ${a.id} -> ${b.id} -> ${a.id}`]]);
  });

  it('a step that depends on itself is a cycle', () => {
    const plan = made();
    plan.steps[2]!.dependsOn = [plan.steps[2]!.id];
    expect(problems(file(text(resigned(plan)))).map((p) => p.message)).toEqual([`dependency cycle: ${plan.steps[2]!.id} -> ${plan.steps[2]!.id}`]);
  });

  it('steps must agree with the action catalogue, ids must be unique, manual steps need instructions', () => {
    const plan = made();
    plan.steps[2]!.reversible = false;
    plan.steps[3]!.target.type = 'ec2.instance';
    plan.steps[4]!.id = plan.steps[3]!.id;
    const manual = plan.steps.findIndex((s) => s.action === 'manualRootMfa');
    delete plan.steps[manual]!.instructions;
    const got = problems(file(text(resigned(plan)))).map((p) => [p.path, p.message]);
    expect(got).toEqual([
      ['/steps/2/reversible', 'must be true for deactivateAccessKey'],
      ['/steps/3/target/type', 'a deactivateAccessKey step cannot act on ec2.instance (it acts on iam.accessKey)'],
      ['/steps/4/id', `duplicate step id '${plan.steps[3]!.id}' (first used by step 4)`],
      [`/steps/${manual}`, 'a manual step (manualRootMfa) needs instructions'],
    ]);
  });

  it('a plan of another format version is refused with that one problem', () => {
    const plan = { ...made(), format: 3, somethingNew: true };
    const path = file(text(plan));
    expect(problems(path)).toEqual([{ file: path, line: 2, column: 13, path: '/format', message: 'plan format 3 is not supported: this rollcall reads formats 1 and 2; make the plan again with it' }]);
  });

  it('a format 1 plan (plain warnings, the support text inside its instructions) still loads, its warnings upgraded after the digest check', () => {
    const now = made();
    const older = formatOne(now);
    const loaded = loadPlan(file(text(older)));
    expect(loaded.format).toBe(1);
    expect(loaded.digest).toBe(older.digest);
    expect(loaded.warnings).toEqual(now.warnings!.map((w) => ({ code: 'unclassified', text: w.text })));
    // Its Markdown is what the same plan in format 2 renders, but for the digest.
    const strip = (md: string) => md.replace(/`[0-9a-f]{64}`/g, 'DIGEST');
    expect(strip(renderPlan(loaded))).toBe(strip(renderPlan(now)));
  });

  it('each format holds its own shapes: plain warnings only in format 1, codes and reasons in format 2', () => {
    const older = formatOne(made());
    const tampered = resigned({ ...older, warnings: [{ code: 'preview', text: 'x' }] } as unknown as Plan);
    expect(problems(file(text(tampered))).map((p) => [p.path, p.message])).toEqual([['/warnings/0', 'must be a string in a format 1 plan']]);
    const plan = made();
    const i = plan.steps.findIndex((s) => s.action === 'manualReview');
    const j = plan.steps.findIndex((s) => s.action === 'manualContactSupport');
    const { reasons: _r, ...noReasons } = plan.steps[i]!;
    const { support: _s, ...noSupport } = plan.steps[j]!;
    const steps = plan.steps.map((s, k) => (k === i ? noReasons : k === j ? noSupport : s));
    const stringy = resigned({ ...plan, steps, warnings: ['plain'] } as unknown as Plan);
    expect(problems(file(text(stringy))).map((p) => [p.path, p.message])).toEqual([
      [`/steps/${i}`, 'a manualReview step needs its reasons'],
      [`/steps/${j}`, 'a manualContactSupport step needs its support case'],
      ['/warnings/0', 'must be an object with a code and a text in a format 2 plan'],
    ]);
  });

  it('not JSON, or not a plan: clear errors', () => {
    expect(problems(file('{ "format": 1, ')).length).toBeGreaterThan(0);
    expect(problems(file('[]'))[0]?.message).toBe('must be an object (got an array)');
    const missing = problems(file('{}')).map((p) => p.message);
    expect(missing).toContain("missing required key 'digest'");
  });

  it('rollcall validate recognises a plan and checks it the same way', () => {
    const plan = made();
    const path = file(text(plan));
    expect(validateFiles([path])).toEqual([{ file: path, kind: 'plan', ok: true }]);
    const tampered = file(text({ ...plan, destructive: false }));
    const e = thrown(() => validateFiles([tampered])) as InputError;
    expect(e.problems.map((p) => p.message)).toEqual(['the plan was changed after it was made (digest mismatch)']);
  });
});
