/**
 * The support-case confirmation for the seeded loop, with the built CLI: the
 * seeded compromise planned and applied, the manual credential switch marked
 * done, then `rollcall report support-case`: AWS's steps 1 to 4, what the
 * journal records done (with its times), the manual steps still pending as
 * not done, and neither a full access key id nor a secret anywhere.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/apply/journal.js';
import { ACTIONS } from '../../src/actions/registry.js';
import type { Plan } from '../../src/model/plan.js';
import { runCli } from '../helpers/cli.js';
import { seedDemo } from '../helpers/demo.js';
import { resetEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp.js';

const FULL_KEY = /(?:AKIA|ASIA)[A-Z0-9]{16}/;
const short = (id: string) => `${id.slice(0, 4)}…${id.slice(-4)}`;
const second = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

/** The text of AWS step n: from its heading to the next one (or the closing). */
function section(text: string, n: number): string {
  const start = text.indexOf(`\nStep ${n}. `);
  const next = n < 4 ? text.indexOf(`\nStep ${n + 1}. `) : text.indexOf('\nWe will write again');
  expect(start, text).toBeGreaterThan(0);
  return text.slice(start, next < 0 ? undefined : next);
}

describe('report support-case on the seeded loop (built CLI, emulator)', () => {
  beforeEach(async () => {
    await resetEmulator();
  });

  it('plan -> apply -> switch done -> report support-case: steps 1 to 4 with what was done and when, the manual steps as not done, no full key id, no secret', { timeout: 300_000 }, async () => {
    const seeded = await seedDemo('compromise');
    const { legacyBot } = seeded.keys;
    const dir = tempDir('rollcall-support-case-');
    const file = (name: string) => path.join(dir, name);

    const planned = await runCli(['plan', '-q', '-b', 'baselines/example.yaml', '--destructive', '-o', file('plan.json')]);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(file('plan.json'), 'utf8')) as Plan;
    const apply = (...more: string[]) => runCli(['apply', file('plan.json'), '--yes', '--approve', plan.digest.slice(0, 12), '--secrets-dir', file('secrets'), ...more]);
    const switchId = `manualSwitchCredentials accessKey/${legacyBot}`;
    const applied = await apply();
    expect(applied.code, applied.stderr).toBe(4);
    const switched = await apply('--done', switchId);
    expect(switched.code, switched.stderr).toBe(4); // manual steps left

    const report = await runCli(['report', 'support-case', '--plan', file('plan.json'), '--journal', file('plan.json.journal'), '-o', file('support-case.txt')]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toBe('');
    const text = readFileSync(file('support-case.txt'), 'utf8');
    // Without -o, the same text on stdout.
    const printed = await runCli(['report', 'support-case', '--plan', file('plan.json'), '--journal', file('plan.json.journal')]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(text);

    expect(text.split('\n').filter((l) => /^Step \d\. /.test(l)).map((l) => l.slice(0, 7))).toEqual(['Step 1.', 'Step 2.', 'Step 3.', 'Step 4.']);
    expect(text).toContain('Status: steps 1 to 3 are NOT complete yet');

    // Every step the journal records is listed as done, under its AWS step, with the time the journal gives.
    const entries = readFileSync(file('plan.json.journal'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JournalEntry | { type: string })
      .filter((l): l is JournalEntry => l.type === 'step');
    expect(entries.length).toBeGreaterThan(10);
    const done = text.slice(0, text.indexOf('\nStep 4. '));
    for (const e of entries) {
      const description = e.step.description.replace(/(?:AKIA|ASIA)[A-Z0-9]{16}/g, short);
      const how = e.result === 'manual' ? 'done by hand, recorded as done' : e.result === 'done' ? 'done by rollcall apply' : 'checked by rollcall apply: already so';
      expect(done, e.id).toContain(`  - ${description}\n    ${second(e.at)}: ${how}`);
    }
    // Step 1: the replacement (its new key shortened), the switch done by hand, the exposed key deactivated.
    const replacement = entries.find((e) => e.step.action === 'createReplacementKey')!.undo!.accessKeyId as string;
    const step1 = section(text, 1);
    expect(step1).toContain(`; new access key ${short(replacement)})`);
    expect(step1.slice(step1.indexOf('Done:'))).toContain(`Deactivate access key ${short(legacyBot)}`);
    // Step 2: the intruder's users and keys are quarantined or deleted.
    expect(section(text, 2)).toMatch(/Done:\n {2}- /);

    // Every manual step not marked done is listed as not done, under its AWS step.
    const pending = plan.steps.filter((s) => ACTIONS[s.action].manual && s.id !== switchId);
    expect(pending.map((s) => s.action)).toEqual(expect.arrayContaining(['manualRootPassword', 'manualRootMfa', 'manualContactSupport']));
    for (const s of pending) {
      const n = s.action === 'manualContactSupport' ? 4 : s.action === 'manualRootAccessKeys' ? 1 : s.action === 'manualReview' ? undefined : 3;
      const where = n === undefined ? text : section(text, n);
      const notDone = where.slice(where.indexOf('Not done:'));
      const description = s.action === 'manualContactSupport' ? 'Report the compromise to AWS Support, with the findings of the audit' : s.description.replace(/(?:AKIA|ASIA)[A-Z0-9]{16}/g, short);
      expect(notDone, s.id).toContain(`  - ${description}\n    to be done by hand; not yet recorded as done`);
    }
    expect(section(text, 4)).toContain(`Our first message reported the ${plan.steps.find((s) => s.support)!.support!.findings.length} finding(s) of the audit made at`);

    // AWS asks for no key id in full, and no secret reaches the text.
    expect(text).not.toMatch(FULL_KEY);
    for (const secret of seeded.secrets) expect(text).not.toContain(secret);
    const secretFile = readFileSync(path.join(file('secrets'), 'legacy-bot.replacement.credentials'), 'utf8');
    const newSecret = /aws_secret_access_key = (\S+)/.exec(secretFile)![1]!;
    expect(text).not.toContain(newSecret);
    expect(text).not.toContain('secrets');
  });

  it('refuses a journal that is not of the plan (exit 2, the file named), and writes nothing', { timeout: 120_000 }, async () => {
    const dir = tempDir('rollcall-support-case-');
    const file = (name: string) => path.join(dir, name);
    await seedDemo('clean');
    const planned = await runCli(['plan', '-q', '-b', 'baselines/example.yaml', '-o', file('plan.json')]);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(file('plan.json'), 'utf8')) as Plan;
    const header = { type: 'header', format: 1, kind: 'apply', planDigest: 'a'.repeat(64), accountId: plan.accountId, caller: plan.caller.arn, started: new Date().toISOString(), source: file('other.json') };
    writeFileSync(file('other.journal'), `${JSON.stringify(header)}\n`);
    const r = await runCli(['report', 'support-case', '--plan', file('plan.json'), '--journal', file('other.journal'), '-o', file('out.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `rollcall: invalid input\n${file('other.journal')}:1: is the journal of another plan (digest aaaaaaaaaaaa…), not of ${file('plan.json')} (digest ${plan.digest.slice(0, 12)}…): they do not belong together\n`,
    );
    expect(r.stdout).toBe('');
    expect(() => readFileSync(file('out.txt'))).toThrow();
  });
});
