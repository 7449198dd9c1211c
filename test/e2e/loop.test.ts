/**
 * The whole remediation loop, as a responder runs it with the built CLI on the
 * seeded compromise: audit, plan, apply, the manual credential switch, the
 * baseline updated with the replacement key, plan and apply again, audit.
 * What is left at the end is what a person must do by hand, and the exposed
 * key's deletion, which waits for the grace period after its deactivation.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { IAMClient, ListAccessKeysCommand, ListUserTagsCommand, TagUserCommand } from '@aws-sdk/client-iam';
import { ACTIONS } from '../../src/actions/registry.js';
import type { Plan } from '../../src/model/plan.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { seedDemo } from '../helpers/demo.js';
import { resetEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp.js';

const ROLE = 'OrganizationAccountAccessRole';
const DAY_MS = 86_400_000;
const STATUS = /^(done|already|resumed|manual-done|would-run|pending|waiting|skipped|refused|failed|blocked|not-run) +(.+?)(?:: .*)?$/;

/** Each step's status, from apply's result lines (the summary lines are indented, the instructions more so). */
function statuses(r: CliResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const m = STATUS.exec(line);
    if (m) out[m[2]!] = m[1]!;
  }
  return out;
}

/** What each step of a plan should have become: manual steps by their own rule, API steps by `api`. */
function expected(plan: Plan, api: (id: string) => string, manual: (id: string) => string = () => 'pending'): Record<string, string> {
  return Object.fromEntries(plan.steps.map((s) => [s.id, ACTIONS[s.action].manual ? manual(s.id) : api(s.id)]));
}

interface Report {
  summary: { fail: Record<string, number> };
  violations: { ruleId: string; severity: string; subject: string; suppressed?: boolean; remediation: string[] }[];
}

describe('the whole loop on the seeded compromise (built CLI, emulator)', () => {
  beforeEach(async () => {
    await resetEmulator();
  });

  it('audit -> plan -> apply -> switch done -> baseline declares the replacement -> plan -> apply -> audit -> grace period over -> plan -> apply: only manual work is left', { timeout: 300_000 }, async () => {
    const seeded = await seedDemo('compromise');
    const { legacyBot } = seeded.keys;
    const dir = tempDir('rollcall-loop-');
    const file = (name: string) => path.join(dir, name);
    const audit = async (baseline: string, out: string) => {
      const r = await runCli(['audit', '-q', '-b', baseline, '-f', 'json', '-o', file(out)]);
      return { code: r.code, report: JSON.parse(readFileSync(file(out), 'utf8')) as Report };
    };
    const plan = async (baseline: string, out: string, ...more: string[]) => {
      const r = await runCli(['plan', '-q', '-b', baseline, '--destructive', '-o', file(out), ...more]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return JSON.parse(readFileSync(file(out), 'utf8')) as Plan;
    };
    const digestOf = (planFile: string) => (JSON.parse(readFileSync(file(planFile), 'utf8')) as Plan).digest.slice(0, 12);
    const apply = (planFile: string, ...more: string[]) => runCli(['apply', file(planFile), '--yes', '--approve', digestOf(planFile), '--secrets-dir', file('secrets'), ...more]);

    // 1. The audit finds the compromise.
    const first = await audit('baselines/example.yaml', 'audit-1.json');
    expect(first.code).toBe(1);
    expect(first.report.summary.fail).toEqual({ critical: 9, high: 20, medium: 2, low: 0, info: 0 });

    // 2. The plan, destructive steps included; 3. apply: everything but the manual steps, and the exposed key's
    // deactivation, which waits for the person to switch its applications to the replacement key.
    const plan1 = await plan('baselines/example.yaml', 'plan-1.json');
    const switchId = `manualSwitchCredentials accessKey/${legacyBot}`;
    const deactivateExposed = `deactivateAccessKey accessKey/${legacyBot}`;
    expect(plan1.steps.find((s) => s.id === deactivateExposed)!.dependsOn).toEqual([switchId]);
    const applied = await apply('plan-1.json');
    expect(statuses(applied)).toEqual(expected(plan1, (id) => (id === deactivateExposed ? 'waiting' : 'done')));
    expect(applied.code).toBe(4);

    // 4. The person switched the application: recorded with --done, the deactivation runs, and tags the key's user
    // with the time of the deactivation, from which the grace period counts.
    const before = Date.now();
    const switched = await apply('plan-1.json', '--done', switchId);
    const after = Date.now();
    expect(statuses(switched)).toEqual(expected(plan1, (id) => (id === deactivateExposed ? 'done' : 'resumed'), (id) => (id === switchId ? 'manual-done' : 'pending')));
    expect(switched.code).toBe(4);

    // 5. ... and declared the replacement key in the baseline, in place of the exposed one (still listed under incident).
    const journal = readFileSync(file('plan-1.json.journal'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    const replacement = journal.find((e) => e.type === 'step' && e.step?.action === 'createReplacementKey')!.undo.accessKeyId as string;
    expect(replacement).toMatch(/^AKIA[A-Z0-9]{16}$/);
    const example = readFileSync('baselines/example.yaml', 'utf8');
    const declared = example.replace(`- { id: ${legacyBot} }`, `- { id: ${replacement} }`);
    expect(declared).not.toBe(example);
    expect(declared.split(legacyBot)).toHaveLength(2); // left only under incident.exposedKeys
    writeFileSync(file('baseline.yaml'), declared);

    // 6. A plan dated past the grace period is a preview: it would delete the key (inactive, never used, deactivated
    // more than 7 days before), but apply refuses a plan from the future, and nothing changes.
    const previewedAt = Date.now();
    const future = new Date(previewedAt + 8 * DAY_MS).toISOString();
    const preview = await runCli(['plan', '-b', file('baseline.yaml'), '--destructive', '-o', file('future.json'), '--now', future]);
    expect(preview.code).toBe(0);
    expect(preview.stderr).toContain('is ahead of the clock: this plan is a preview, and apply refuses a plan from the future; to act, plan again without --now.');
    const previewed = (JSON.parse(readFileSync(file('future.json'), 'utf8')) as Plan).steps.find((s) => s.id === `deleteAccessKey accessKey/${legacyBot}`)!;
    const deactivatedAt = previewed.precondition.props.deactivatedAt as string;
    expect(previewed.precondition).toEqual({ exists: true, props: { user: 'legacy-bot', status: 'Inactive', lastUsedDate: null, deactivatedAt } });
    expect(Date.parse(deactivatedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(deactivatedAt)).toBeLessThanOrEqual(after);
    const refused = await apply('future.json');
    const refusedAt = Date.now();
    expect(refused.code).toBe(2);
    const ahead = /^rollcall: refused: plan is from the future: made at .*, (\d+\.\d) hours after now \(.*\): it was planned with --now ahead of the clock/.exec(refused.stderr);
    expect(ahead, refused.stderr).not.toBeNull();
    // 192 hours, less the time between the preview and the refusal, which a loaded machine stretches.
    const hours = (ms: number) => (Date.parse(future) - ms) / 3_600_000;
    expect(Number(ahead![1])).toBeGreaterThanOrEqual(Math.floor(hours(refusedAt) * 10) / 10);
    expect(Number(ahead![1])).toBeLessThanOrEqual(Math.ceil(hours(previewedAt) * 10) / 10);
    expect(refused.stdout).toBe('');

    // 7. Planned now: the exposed key is inactive, but it was deactivated moments ago, so it is in its 7-day grace
    // period and its deletion is not planned; the plan's warning says until when. The role trusts what the baseline
    // declares again (plan 1 restored its trust policy), so only its containment is left to review. The rest is
    // manual work.
    const plan2 = await plan(file('baseline.yaml'), 'plan-2.json');
    expect(plan2.steps.map((s) => s.id)).toEqual([
      'manualRootPassword root/root',
      'manualRootMfa root/root',
      `manualReview inlinePolicy/role/${ROLE}/rollcall-quarantine`,
      `manualReview inlinePolicy/role/${ROLE}/rollcall-revoke-sessions`,
      'manualReview instance/us-east-1/{team=web}',
      'manualContactSupport root/root',
    ]);
    const until = new Date(Date.parse(deactivatedAt) + 7 * DAY_MS).toISOString();
    expect(readFileSync(file('plan-2.md'), 'utf8')).toContain(
      `Exposed access key ${legacyBot} of user legacy-bot was deactivated ${deactivatedAt}: it is not deleted during its 7-day grace period until ${until}; plan again after that.`,
    );
    const applied2 = await apply('plan-2.json');
    expect(statuses(applied2)).toEqual(expected(plan2, () => 'already'));
    expect(applied2.code).toBe(4);

    // 8. The final audit: only findings whose remaining fix is manual, and the exposed key, inactive, in its grace period.
    const last = await audit(file('baseline.yaml'), 'audit-2.json');
    expect(last.code).toBe(1); // root MFA (critical) is still off: only the root user can turn it on
    expect(last.report.violations.map((v) => `${v.severity} ${v.ruleId} ${v.subject} [${v.remediation.join(' ')}]${v.suppressed ? ' (suppressed)' : ''}`)).toEqual([
      'critical root-mfa-disabled root/root [manualRootPassword manualRootMfa]',
      // Three intruder instances carry the web fleet's tags: which of the five to keep is a person's call.
      'high ec2-instance-count-over-max instance/us-east-1/{team=web} [manualReview]',
      // The exposed key, inactive and no longer declared (the replacement took its place): both findings go with its
      // deletion, planned once the grace period is over (after `until`) if the key shows no use since its deactivation.
      `high iam-access-key-undeclared accessKey/${legacyBot} [deactivateAccessKey deleteAccessKey]`,
      `high iam-exposed-key-present accessKey/${legacyBot} [deleteAccessKey]`,
      'medium iam-user-console-without-mfa user/alice [manualReview] (suppressed)', // the baseline's own exception
      // rollcall's own containment of the role whose trust it restored, reported as such (info), to be lifted by a person.
      `info iam-deny-policy-undeclared inlinePolicy/role/${ROLE}/rollcall-quarantine [manualReview]`,
      `info iam-deny-policy-undeclared inlinePolicy/role/${ROLE}/rollcall-revoke-sessions [manualReview]`,
    ]);
    expect(last.report.summary.fail).toEqual({ critical: 1, high: 3, medium: 0, low: 0, info: 2 });

    // 9. Applied again with fresh journals, every plan of the loop changes nothing: each API step is `already`.
    const again1 = await apply('plan-1.json', '--journal', file('again-1.journal'), '--done', switchId);
    expect(statuses(again1)).toEqual(expected(plan1, () => 'already', (id) => (id === switchId ? 'manual-done' : 'pending')));
    const again2 = await apply('plan-2.json', '--journal', file('again-2.journal'));
    expect(statuses(again2)).toEqual(expected(plan2, () => 'already'));
    expect([again1.code, again2.code]).toEqual([4, 4]);
    const unchanged = await audit(file('baseline.yaml'), 'audit-3.json');
    expect(unchanged.report.violations).toEqual(last.report.violations);

    // 10. Eight days later (the emulator's clock cannot move, so the deactivation tag is dated back instead): the key
    // showed no use since its deactivation, so the plan deletes it, and with it its two findings and its tag.
    const iam = new IAMClient({ region: 'us-east-1' });
    const tagKey = `rollcall:deactivated:${legacyBot}`;
    await iam.send(new TagUserCommand({ UserName: 'legacy-bot', Tags: [{ Key: tagKey, Value: new Date(Date.now() - 8 * DAY_MS).toISOString() }] }));
    const plan3 = await plan(file('baseline.yaml'), 'plan-3.json');
    const deleteExposed = `deleteAccessKey accessKey/${legacyBot}`;
    // The role trusts what the baseline declares: nothing is planned for it but the review of its containment.
    expect(plan3.steps.filter((s) => !ACTIONS[s.action].manual).map((s) => s.id)).toEqual([deleteExposed]);
    const applied3 = await apply('plan-3.json');
    expect(statuses(applied3)).toEqual(expected(plan3, (id) => (id === deleteExposed ? 'done' : 'already')));
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: 'legacy-bot' }));
    expect(keys.AccessKeyMetadata?.map((k) => k.AccessKeyId)).not.toContain(legacyBot);
    expect((await iam.send(new ListUserTagsCommand({ UserName: 'legacy-bot' }))).Tags?.map((t) => t.Key)).not.toContain(tagKey);
    iam.destroy();
    const final = await audit(file('baseline.yaml'), 'audit-4.json');
    expect(final.report.violations.map((v) => `${v.ruleId} ${v.subject}`)).toEqual(
      last.report.violations.filter((v) => !v.subject.endsWith(legacyBot)).map((v) => `${v.ruleId} ${v.subject}`),
    );
    expect(final.report.summary.fail).toEqual({ critical: 1, high: 1, medium: 0, low: 0, info: 2 });

    for (const s of seeded.secrets) {
      for (const text of [applied, switched, applied2, again1, again2, applied3].flatMap((r) => [r.stdout, r.stderr])) expect(text).not.toContain(s);
    }
  });
});
