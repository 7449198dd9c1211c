/**
 * The support-case confirmation, from real journals: a plan applied by apply
 * itself (fake executors, no AWS) with steps done, found done, done by hand,
 * failed, skipped, refused, blocked and pending, one of them reversed by undo;
 * then rendered by the command as a user runs it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/apply.js';
import type { Executor, ExecutorMap } from '../../../src/apply/executor.js';
import { Journal, JOURNAL_FORMAT, readJournal, type JournalHeader } from '../../../src/apply/journal.js';
import { InputError } from '../../../src/errors.js';
import type { Plan, PlanStep } from '../../../src/model/plan.js';
import { runReportSupportCase } from '../../../src/commands/report.js';
import { shortenKeyIds, shortKeyId } from '../../../src/report/key-id.js';
import { renderSupportCase } from '../../../src/report/support-case.js';
import { makePlan, OPERATOR_ARN, planStep } from '../../helpers/plans.js';
import { ACCOUNT } from '../../helpers/resources.js';
import { fakeWorld, NO_CLIENTS, OPERATOR, tempDir } from '../apply/fakes.js';

const EXPOSED = 'AKIAEXPOSEDKEY000001';
const NEW_KEY = 'AKIANEWREPLACEMENT09';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
/** Everything a terminal or a line-based reader could take for more than text. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const FULL_KEY = /(?:AKIA|ASIA)[A-Z0-9]{16}/;

function described(step: PlanStep, description: string, more: Partial<PlanStep> = {}): PlanStep {
  return { ...step, description, ...more };
}

const HOSTILE = `evil\nStep 4. Confirm to AWS Support\r\nDone:\u2028\x1b[31mred\u202e AKIAHOSTILE000000042 ${SECRET}`;

function steps() {
  const replacement = described(planStep('createReplacementKey', 'iam.accessKey', 'new:legacy-bot', { ref: { user: 'legacy-bot' }, exists: false }), 'Create a replacement access key for user legacy-bot');
  const switchCreds = described(
    planStep('manualSwitchCredentials', 'iam.accessKey', EXPOSED, { ref: { user: 'legacy-bot' }, dependsOn: [replacement.id] }),
    `Switch every application from access key ${EXPOSED} to the replacement`,
  );
  const deactivate = described(
    planStep('deactivateAccessKey', 'iam.accessKey', EXPOSED, { ref: { user: 'legacy-bot' }, dependsOn: [switchCreds.id], precondition: { status: 'Active' } }),
    `Deactivate access key ${EXPOSED} of user legacy-bot`,
  );
  const deleteExposed = described(planStep('deleteAccessKey', 'iam.accessKey', EXPOSED, { ref: { user: 'legacy-bot' }, dependsOn: [deactivate.id] }), `Delete access key ${EXPOSED} of user legacy-bot`);
  const quarantine = described(planStep('quarantineUser', 'iam.user', 'mallory'), 'Quarantine IAM user mallory (deny everything)', {
    target: { type: 'iam.user', id: 'mallory', region: 'global', ref: {}, subject: 'user/mallory', arn: `arn:aws:iam::${ACCOUNT}:user/mallory` },
  });
  const hostile = described(planStep('quarantineUser', 'iam.user', 'hostile'), `Quarantine IAM user ${HOSTILE}`);
  const quarantineRole = described(planStep('quarantineRole', 'iam.role', 'intruder-role'), 'Quarantine IAM role intruder-role');
  const detach = described(planStep('detachPolicy', 'iam.policyAttachment', 'user/eve/arn:aws:iam::aws:policy/AdministratorAccess'), 'Detach AdministratorAccess from user eve');
  const self = described(planStep('quarantineUser', 'iam.user', 'operator'), 'Quarantine IAM user operator');
  const stop = described(planStep('stopInstance', 'ec2.instance', 'i-0abc', { region: 'eu-west-3', precondition: { state: 'running', instanceType: 't3.micro' } }), 'Stop instance i-0abc in eu-west-3');
  const terminate = described(planStep('terminateInstance', 'ec2.instance', 'i-0abc', { region: 'eu-west-3', dependsOn: [stop.id] }), 'Terminate instance i-0abc in eu-west-3');
  const rootPassword = described(planStep('manualRootPassword', 'account.root', 'root'), "Change the root user's password (by hand)");
  const review = described(planStep('manualReview', 'ec2.instance', '{team=web}', { region: 'us-east-1' }), 'Review instance/us-east-1/{team=web} by hand', {
    reasons: [{ code: 'finding', text: `5 instances match the web fleet's selector, at most 2 allowed (one named ${HOSTILE})`, rule: 'ec2-instance-count-over-max' }],
  });
  const support = described(planStep('manualContactSupport', 'account.root', 'root'), 'Contact AWS Support about the compromise', {
    support: { accountId: ACCOUNT, auditedAt: '2026-11-22T11:00:00.000Z', findings: [{ rule: 'iam-exposed-key-present', title: 'Exposed access key present', subject: `accessKey/${EXPOSED}` }] },
  });
  return { replacement, switchCreds, deactivate, deleteExposed, quarantine, hostile, quarantineRole, detach, self, stop, terminate, rootPassword, review, support };
}

/** Executors that behave as apply's fakes, with the replacement key's id recorded as the real executor records it (its secret file's path too). */
function executors(world: ReturnType<typeof fakeWorld>): ExecutorMap {
  const fake = world.executors.createReplacementKey as Executor;
  const replacement: Executor = {
    ...fake,
    run: async (step, ctx) => {
      ctx.intend();
      return { result: 'done', undo: { user: 'legacy-bot', accessKeyId: NEW_KEY, file: '/secrets/legacy-bot.replacement.credentials' } };
    },
  };
  return { ...world.executors, createReplacementKey: replacement } as ExecutorMap;
}

/** The plan written and applied as the loop does it: one run, the switch marked done; one quarantine reversed by undo afterwards. */
async function appliedScenario(o: { complete?: boolean } = {}) {
  const dir = tempDir();
  const s = steps();
  const plan = makePlan(Object.values(s), {
    complete: o.complete ?? false,
    warnings: [
      { code: 'grace-period', text: `Access key AKIAOLDKEY0000000007 of user legacy-bot is in its grace period: not deleted yet.` },
      { code: 'checks-unknown', text: `2 checks could not be made: lambda.function in ap-south-2 (AccessDenied) ${HOSTILE}` },
    ],
  });
  const planFile = path.join(dir, 'plan.json');
  writeFileSync(planFile, `${JSON.stringify(plan, null, 2)}\n`);
  const world = fakeWorld();
  world.done.add(s.detach.id);
  world.failing.set(s.quarantineRole.id, 'AccessDenied: not authorized');
  world.changed.set(s.stop.id, { instanceType: 'p4d.24xlarge' }); // changed since planning: skipped (--on-change skip)
  const result = await applyPlan(plan, { clients: NO_CLIENTS, planFile, identity: OPERATOR, executors: executors(world), concurrency: 1, onChange: 'skip', done: [s.switchCreds.id] });
  const journalFile = `${planFile}.journal`;
  // undo, as it journals a reversal: its own journal beside the apply journal.
  const undo = Journal.open(
    `${journalFile}.undo`,
    { type: 'header', format: JOURNAL_FORMAT, kind: 'undo', planDigest: plan.digest, accountId: ACCOUNT, caller: OPERATOR_ARN, started: new Date().toISOString(), source: journalFile },
    undefined,
  );
  undo.append({ id: s.quarantine.id, result: 'undone', at: new Date().toISOString(), step: s.quarantine });
  undo.close();
  return { dir, s, plan, planFile, journalFile, result };
}

function render(planFile: string, journalFile: string, more: { undoJournal?: string } = {}): string {
  let text = '';
  const stdout = { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream;
  expect(runReportSupportCase({ plan: planFile, journal: journalFile, ...more }, stdout)).toBe(0);
  return text;
}

/** The lines between `Step n.` and the next step's heading. */
function section(text: string, n: number): string {
  const start = text.indexOf(`\nStep ${n}. `);
  const end = n < 4 ? text.indexOf(`\nStep ${n + 1}. `) : text.indexOf('\nWe will write again');
  expect(start).toBeGreaterThan(0);
  return text.slice(start, end < 0 ? undefined : end);
}

/** The list item whose first line holds `head`, with its indented lines. */
function itemOf(part: string, head: string): string {
  const lines = part.split('\n');
  const at = lines.findIndex((l) => l.startsWith('  - ') && l.includes(head));
  expect(at, `no item '${head}' in:\n${part}`).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(at + 1);
  const end = rest.findIndex((l) => !l.startsWith('    '));
  return [lines[at], ...rest.slice(0, end < 0 ? undefined : end)].join('\n');
}

const second = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');

describe('report support-case', () => {
  it("answers AWS's steps 1 to 4 with what the journal records done, when, and what is not done", async () => {
    const a = await appliedScenario();
    const { s } = a;
    const text = render(a.planFile, a.journalFile);
    const journal = readJournal(a.journalFile);
    const at = (id: string) => second(journal.entries.find((e) => e.id === id)!.at);

    expect(text.split('\n').filter((l) => /^Step \d\. /.test(l))).toEqual([
      'Step 1. Rotate and delete the exposed access keys',
      'Step 2. Delete unrecognised IAM users, roles, policies and login profiles, and revoke temporary credentials',
      'Step 3. Check CloudTrail and every region for unauthorised resources (EC2 instances, spot requests, Lambda functions), and secure the root user and the passwords',
      'Step 4. Confirm to AWS Support',
    ]);
    expect(text).toMatch(/^Subject: Re: Possible compromise of AWS account 123456789012/);
    expect(text).toContain('Status: steps 1 to 3 are NOT complete yet');
    expect(text).not.toContain('we confirm that steps 1 to 3 are complete');
    expect(text).toContain(`digest ${a.plan.digest.slice(0, 12)}`);

    const step1 = section(text, 1);
    expect(itemOf(step1, 'Create a replacement access key for user legacy-bot')).toContain(`${at(s.replacement.id)}: done by rollcall apply (accessKey/new:legacy-bot; new access key AKIA…NT09)`);
    expect(itemOf(step1, 'Switch every application from access key AKIA…0001')).toContain(`${at(s.switchCreds.id)}: done by hand, recorded as done`);
    expect(itemOf(step1, 'Deactivate access key AKIA…0001 of user legacy-bot')).toContain(`${at(s.deactivate.id)}: done by rollcall apply`);
    expect(step1.indexOf('Deactivate access key')).toBeLessThan(step1.indexOf('Not done:'));
    // Destructive, in a plan made from an incomplete inventory: apply refuses it, and journals nothing.
    expect(itemOf(step1.slice(step1.indexOf('Not done:')), 'Delete access key AKIA…0001')).toContain('refused by rollcall apply: destructive step refused: the plan was made from an incomplete inventory');
    expect(itemOf(step1, 'AKIA…0007 of user legacy-bot is in its grace period')).toBeTruthy();
    expect(step1.indexOf('grace period')).toBeGreaterThan(step1.indexOf('Left out of the plan, or needing care:'));

    const step2 = section(text, 2);
    const done2 = step2.slice(step2.indexOf('Done:'), step2.indexOf('Not done:'));
    const notDone2 = step2.slice(step2.indexOf('Not done:'));
    expect(itemOf(done2, 'Detach AdministratorAccess from user eve')).toContain(`${at(s.detach.id)}: checked by rollcall apply: already so, nothing to change`);
    expect(itemOf(done2, 'Quarantine IAM user evil')).toContain('done by rollcall apply');
    // Done, then reversed by undo: no longer in effect.
    expect(itemOf(notDone2, 'Quarantine IAM user mallory')).toMatch(
      new RegExp(`done ${at(s.quarantine.id)}, then reversed by rollcall undo \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ: no longer in effect`),
    );
    // Failed after its intent: the journal knows it began, not how it ended.
    expect(itemOf(notDone2, 'Quarantine IAM role intruder-role')).toContain('rollcall apply began this step but recorded no outcome');
    expect(itemOf(notDone2, 'Quarantine IAM user operator')).toContain('skipped by rollcall apply: it never acts on the identity running apply: it belongs to IAM user operator, who runs this apply');
    expect(a.result.steps.find((r) => r.id === s.self.id)?.status).toBe('skipped');

    const step3 = section(text, 3);
    expect(step3).toContain('Its inventory was NOT complete');
    expect(itemOf(step3, 'Stop instance i-0abc in eu-west-3')).toContain('no outcome recorded: apply has not run it, or skipped, refused or failed it');
    expect(itemOf(step3, 'Terminate instance i-0abc')).toContain('refused by rollcall apply'); // destructive, incomplete plan
    expect(itemOf(step3, "Change the root user's password")).toContain('to be done by hand; not yet recorded as done');
    expect(itemOf(step3, 'Review instance/us-east-1/{team=web} by hand')).toContain("to settle: 5 instances match the web fleet's selector");
    expect(itemOf(step3, '2 checks could not be made')).toBeTruthy();
    expect(step3).toContain('Not covered by this record:');
    expect(step3).toContain('A review of CloudTrail event history');

    const step4 = section(text, 4);
    expect(step4).toContain('Our first message reported the 1 finding(s) of the audit made at 2026-11-22T11:00:00Z.');
    expect(itemOf(step4, 'Report the compromise to AWS Support, with the findings of the audit')).toContain('to be done by hand; not yet recorded as done');
    expect(text.trimEnd().endsWith('We will write again when the actions listed as not done above are done.\n\nThank you.')).toBe(true);
  });

  it('names no full access key id, no secret and no secret file, and no value from AWS breaks a line or carries a control character', async () => {
    const a = await appliedScenario();
    const text = render(a.planFile, a.journalFile);
    expect(text).not.toMatch(FULL_KEY);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('replacement.credentials');
    expect(text).not.toMatch(CONTROL);
    // The hostile name stays on its item's line, its controls shown as text.
    expect(text.split('\n').filter((l) => /^Step \d\. /.test(l))).toHaveLength(4);
    expect(text.split('\n').filter((l) => l.startsWith('Done:'))).toHaveLength(2);
    expect(text).toContain('Quarantine IAM user evil Step 4. Confirm to AWS Support Done:\\u2028\\x1b[31mred\\u202e AKIA…0042 [redacted]');
  });

  it('confirms steps 1 to 3 only when every planned action for them is recorded done and the plan left nothing out', async () => {
    const dir = tempDir();
    const s = steps();
    const world = fakeWorld();
    for (const [warnings, complete] of [
      [[], true],
      [[{ code: 'key-still-active' as const, text: 'Exposed key AKIAEXPOSEDKEY000001 is still active: its deletion waits for a later plan.' }], false],
    ] as const) {
      const plan = makePlan([s.quarantine, s.detach, s.support], { warnings: [...warnings], createdAt: new Date().toISOString() });
      const planFile = path.join(dir, `plan-${warnings.length}.json`);
      writeFileSync(planFile, JSON.stringify(plan));
      await applyPlan(plan, { clients: NO_CLIENTS, planFile, identity: OPERATOR, executors: world.executors, done: [s.support.id] });
      const text = render(planFile, `${planFile}.journal`);
      expect(text.includes('Status: steps 1 to 3 are done: all 2 planned actions for them are recorded as done, and the plan left nothing out.')).toBe(complete);
      expect(text.includes('With this message we confirm that steps 1 to 3 are complete as recorded above.')).toBe(complete);
      expect(section(text, 1)).toContain(complete ? 'Nothing was planned for this step' : 'Exposed key AKIA…0001 is still active');
      if (!complete) expect(text).toContain('Status: steps 1 to 3 are NOT complete yet: all 2 planned actions for them are recorded as done, and the plan notes what it left out or could not check.');
      expect(itemOf(section(text, 4), 'Report the compromise to AWS Support')).toContain('done by hand, recorded as done');
    }
  });

  it('refuses, with exit 2 and the file named, a journal of another plan, of another account, an undo journal as --journal, and a changed plan', async () => {
    const a = await appliedScenario();
    const b = await appliedScenario();
    const fail = (plan: string, journal: string, more: { undoJournal?: string } = {}) => {
      try {
        runReportSupportCase({ plan, journal, ...more }, { write: () => true } as unknown as NodeJS.WritableStream);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(fail(a.planFile, b.journalFile)).toBe(
      `${b.journalFile}:1: is the journal of another plan (digest ${b.plan.digest.slice(0, 12)}…), not of ${a.planFile} (digest ${a.plan.digest.slice(0, 12)}…): they do not belong together`,
    );
    expect(fail(a.planFile, `${a.journalFile}.undo`)).toBe(`${a.journalFile}.undo:1: is an undo journal, not an apply journal`);
    expect(fail(a.planFile, a.journalFile, { undoJournal: `${b.journalFile}.undo` })).toContain(`${b.journalFile}.undo:1: is the journal of another plan`);

    const other = a.journalFile.replace(/journal$/, 'other-account.journal');
    const lines = readFileSync(a.journalFile, 'utf8').split('\n');
    writeFileSync(other, [JSON.stringify({ ...JSON.parse(lines[0]!), accountId: '210987654321' }), ...lines.slice(1)].join('\n'));
    expect(fail(a.planFile, other)).toBe(`${other}:1: is a journal for account 210987654321, but ${a.planFile} is a plan for account 123456789012: they do not belong together`);

    const changed = path.join(a.dir, 'changed.json');
    writeFileSync(changed, JSON.stringify({ ...a.plan, steps: a.plan.steps.slice(1) }));
    expect(fail(changed, a.journalFile)).toContain('digest mismatch');
    const damaged = path.join(a.dir, 'damaged.journal');
    writeFileSync(damaged, `${lines[0]}\nnot json\n`);
    expect(fail(a.planFile, damaged)).toMatch(new RegExp(`^${damaged.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not a JSON line`));
  });

  it('writes the text whole to -o, and reads JOURNAL.undo only when it exists', async () => {
    const a = await appliedScenario();
    const out = path.join(a.dir, 'support-case.txt');
    expect(runReportSupportCase({ plan: a.planFile, journal: a.journalFile, out })).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toBe(render(a.planFile, a.journalFile));
    expect(text).toContain('and the journal of its undo');
    // Without the undo journal the quarantine is done, and nothing mentions an undo.
    const plan: Plan = a.plan;
    const alone = renderSupportCase({ plan, journal: readJournal(a.journalFile) });
    expect(alone).not.toContain('undo');
    expect(itemOf(section(alone, 2), 'Quarantine IAM user mallory')).toContain('done by rollcall apply (arn:aws:iam::123456789012:user/mallory)');
  });

  it('a plan applied with nothing recorded yet says so, and claims nothing done', () => {
    const s = steps();
    const cancel = described(planStep('cancelSpotRequest', 'ec2.spotRequest', 'sir-1', { region: 'eu-west-3', dependsOn: [s.stop.id] }), 'Cancel spot request sir-1 in eu-west-3');
    const plan = makePlan([s.quarantine, s.stop, cancel]);
    const header: JournalHeader = { type: 'header', format: JOURNAL_FORMAT, kind: 'apply', planDigest: plan.digest, accountId: ACCOUNT, caller: OPERATOR_ARN, started: '2026-11-22T12:00:00.000Z', source: 'plan.json' };
    const text = renderSupportCase({ plan, journal: { header, entries: [], pending: new Map(), validLength: 0, torn: false } });
    expect(text).toContain('first run at 2026-11-22T12:00:00Z as arn:aws:iam::123456789012:user/operator, with no step recorded yet');
    expect(text).not.toContain('Done:');
    expect(text).toContain('Status: steps 1 to 3 are NOT complete yet: 3 of the 3 planned actions for them are not done.');
    expect(itemOf(section(text, 3), 'Cancel spot request sir-1')).toContain('waits for: Stop instance i-0abc in eu-west-3 (not done yet)');
    expect(text).not.toContain('torn');
  });

  it('an undo interrupted in a step, and a journal torn by a crash, are said, and the step is not counted done', () => {
    const s = steps();
    const plan = makePlan([s.quarantine]);
    const header: JournalHeader = { type: 'header', format: JOURNAL_FORMAT, kind: 'apply', planDigest: plan.digest, accountId: ACCOUNT, caller: OPERATOR_ARN, started: '2026-11-22T12:00:00.000Z', source: 'plan.json' };
    const entry = { type: 'step' as const, id: s.quarantine.id, result: 'done' as const, at: '2026-11-22T12:00:01.000Z', step: s.quarantine };
    const text = renderSupportCase({
      plan,
      journal: { header, entries: [entry], pending: new Map(), validLength: 0, torn: true },
      undo: { header: { ...header, kind: 'undo', started: '2026-11-22T13:00:00.000Z' }, entries: [], pending: new Map([[s.quarantine.id, {}]]), validLength: 0, torn: false },
    });
    expect(itemOf(section(text, 2), 'Quarantine IAM user mallory')).toContain('rollcall undo was interrupted while reversing it: whether it is still in effect is not known until undo runs again');
    expect(text).not.toContain('Done:');
    expect(text).toContain('A journal ends in a line torn by a crash: that line is not counted here.');
    // An `undone` line in the apply journal itself (undo keeps its own; a hand-made journal might not) claims no completion either.
    const odd = renderSupportCase({ plan, journal: { header, entries: [{ ...entry, result: 'undone' }], pending: new Map(), validLength: 0, torn: false } });
    expect(itemOf(section(odd, 2), 'Quarantine IAM user mallory')).toContain('reversed by rollcall undo 2026-11-22T12:00:01Z: no longer in effect');
    expect(odd).not.toContain('Done:');
  });
});

describe('report support-case --timeline', () => {
  const ATTACKER = `arn:aws:iam::${ACCOUNT}:user/evil\nStep 4. Confirm`;
  const timeline = (over: Record<string, unknown> = {}) => ({
    format: 1,
    accountId: ACCOUNT,
    window: { since: '2026-11-20T00:00:00Z', until: '2026-11-22T12:00:00Z' },
    source: { kind: 'lookup', lookupCalls: 12 },
    regions: ['eu-west-1', 'us-east-1'],
    records: 10,
    events: 4,
    complete: false,
    gaps: [{ region: 'ap-south-1', source: 'lookup', operation: 'cloudtrail:LookupEvents', error: 'AccessDenied\x1b[2J' }],
    notes: [],
    actors: [
      {
        key: ATTACKER,
        type: 'IAMUser',
        arn: ATTACKER,
        accessKeyId: EXPOSED,
        accessKeyIds: [EXPOSED],
        events: [
          { time: '2026-11-21T10:00:00Z', region: 'us-east-1', source: 'iam.amazonaws.com', name: 'CreateUser', category: 'identity', actor: { type: 'IAMUser', arn: ATTACKER, accessKeyId: EXPOSED }, targets: ['mallory'] },
          { time: '2026-11-21T10:05:00Z', region: 'us-east-1', source: 'sts.amazonaws.com', name: 'GetSessionToken', category: 'credentials', actor: { type: 'IAMUser', arn: ATTACKER, accessKeyId: EXPOSED }, targets: [] },
          { time: '2026-11-21T10:01:00Z', region: 'eu-west-1', source: 'cloudtrail.amazonaws.com', name: 'StopLogging', category: 'defence-evasion', actor: { type: 'IAMUser', arn: ATTACKER, accessKeyId: EXPOSED }, targets: ['main'] },
        ],
      },
      {
        key: `arn:aws:sts::${ACCOUNT}:assumed-role/ops/mallory`,
        type: 'AssumedRole',
        accessKeyIds: ['ASIAEXAMPLESESSION01'],
        events: [{ time: '2026-11-21T11:00:00Z', region: 'sa-east-1', source: 'ec2.amazonaws.com', name: 'RunInstances', category: 'compute', actor: { type: 'AssumedRole' }, targets: ['i-0abc'], errorCode: 'Client.UnauthorizedOperation' }],
      },
    ],
    ...over,
  });

  it('adds what CloudTrail shows: the window read, sessions obtained, events by kind, defence evasion, and what could not be read', async () => {
    const a = await appliedScenario();
    const file = path.join(a.dir, 'timeline.json');
    writeFileSync(file, JSON.stringify(timeline()));
    let text = '';
    const stdout = { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream;
    expect(runReportSupportCase({ plan: a.planFile, journal: a.journalFile, timeline: file }, stdout)).toBe(0);
    expect(text).toContain("; and the account's CloudTrail timeline from 2026-11-20T00:00:00Z to 2026-11-22T12:00:00Z.");
    const step2 = section(text, 2);
    expect(itemOf(step2, 'CloudTrail, 2026-11-20T00:00:00Z to 2026-11-22T12:00:00Z: 1 request for temporary credentials')).toContain(
      '    2026-11-21T10:05:00Z GetSessionToken in us-east-1 by arn:aws:iam::123456789012:user/evil Step 4. Confirm',
    );
    const step3 = section(text, 3);
    const evidence = itemOf(step3, 'CloudTrail management events from 2026-11-20T00:00:00Z to 2026-11-22T12:00:00Z');
    expect(evidence.split('\n')).toEqual([
      "  - CloudTrail management events from 2026-11-20T00:00:00Z to 2026-11-22T12:00:00Z were read from CloudTrail's event history (LookupEvents), in 2 regions (eu-west-1, us-east-1): 4 security-relevant events out of 10 records, by 2 actors.",
      '    By kind: identity 1, credentials 1, compute 1, defence-evasion 1.',
      '    Defence evasion: 1 event:',
      '      2026-11-21T10:01:00Z StopLogging in eu-west-1 by arn:aws:iam::123456789012:user/evil Step 4. Confirm',
    ]);
    expect(itemOf(step3, 'CloudTrail events that could not be read (1 gap):')).toContain('    ap-south-1: cloudtrail:LookupEvents failed: AccessDenied\\x1b[2J');
    expect(text).not.toContain('A review of CloudTrail event history');
    expect(text).not.toMatch(FULL_KEY);
    expect(text).not.toMatch(CONTROL);
    expect(text.split('\n').filter((l) => /^Step \d\. /.test(l))).toHaveLength(4);

    // Without sessions or evasion, it says so.
    writeFileSync(file, JSON.stringify(timeline({ actors: [], events: 0, gaps: [], complete: true })));
    text = '';
    runReportSupportCase({ plan: a.planFile, journal: a.journalFile, timeline: file }, stdout);
    expect(section(text, 2)).toContain(': 0 requests for temporary credentials (GetSessionToken, GetFederationToken, AssumeRole).');
    expect(section(text, 3)).toContain('No sign of defence evasion (trails stopped or deleted, detectors or recorders turned off).');
    expect(section(text, 3)).not.toContain('CloudTrail events that could not be read');
  });

  it("adds what the exposed keys did when the timeline followed them: footholds by hop, sessions with what ends each; key ids shortened", async () => {
    const a = await appliedScenario();
    const file = path.join(a.dir, 'timeline.json');
    const via = (name: string, t: string) => ({ time: t, region: 'us-east-1', source: 'iam.amazonaws.com', name });
    const provenance = {
      seeds: [EXPOSED, 'AKIAUNSEENKEY0000001'],
      unseenSeeds: ['AKIAUNSEENKEY0000001'],
      events: 3,
      footholds: [
        { kind: 'exposedKey', id: EXPOSED, hop: 0 },
        { kind: 'exposedKey', id: 'AKIAUNSEENKEY0000001', hop: 0 },
        { kind: 'user', id: 'mallory\nStep 4. Confirm', hop: 1, from: `exposedKey:${EXPOSED}`, via: via('CreateUser', '2026-11-21T10:00:00Z') },
        { kind: 'session', id: 'ASIAEXAMPLESESSION01', hop: 1, from: `exposedKey:${EXPOSED}`, via: via('GetSessionToken', '2026-11-21T10:05:00Z') },
      ],
      sessions: [
        { accessKeyId: 'ASIAEXAMPLESESSION01', how: 'GetSessionToken', root: false, user: `arn:aws:iam::${ACCOUNT}:user/evil`, expiration: '2026-11-21T22:05:00Z', via: via('GetSessionToken', '2026-11-21T10:05:00Z') },
        { accessKeyId: 'ASIAEXAMPLESESSION02', how: 'AssumeRole', root: false, role: `arn:aws:iam::${ACCOUNT}:role/ops`, via: via('AssumeRole', '2026-11-21T10:06:00Z') },
      ],
    };
    writeFileSync(file, JSON.stringify(timeline({ provenance })));
    let text = '';
    const stdout = { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream;
    expect(runReportSupportCase({ plan: a.planFile, journal: a.journalFile, timeline: file }, stdout)).toBe(0);
    expect(itemOf(section(text, 2), 'Temporary credentials obtained by the exposed key(s)').split('\n')).toEqual([
      '  - Temporary credentials obtained by the exposed key(s), directly or through what they created: 2 sessions.',
      `    2026-11-21T10:05:00Z GetSessionToken by user arn:aws:iam::${ACCOUNT}:user/evil: ASIA…ON01, valid until 2026-11-21T22:05:00Z; ended by denying the user, whose deny binds its sessions`,
      `    2026-11-21T10:06:00Z AssumeRole for role arn:aws:iam::${ACCOUNT}:role/ops: ASIA…ON02; ended by revoking the role's sessions`,
    ]);
    expect(itemOf(section(text, 3), 'What the exposed key(s)').split('\n')).toEqual([
      `  - What the exposed key(s) ${EXPOSED.slice(0, 4)}…${EXPOSED.slice(-4)}, AKIA…0001 did, followed through every key, session, user, password and workload their calls gave: 3 events, 2 footholds gained.`,
      '    hop 1: IAM user it created mallory Step 4. Confirm, 2026-11-21T10:00:00Z CreateUser in us-east-1',
      '    hop 1: temporary credentials it obtained ASIA…ON01, 2026-11-21T10:05:00Z GetSessionToken in us-east-1',
      '    No event in the window was signed with AKIA…0001.',
    ]);
    expect(text).not.toMatch(FULL_KEY);
    expect(text.split('\n').filter((l) => /^Step \d\. /.test(l))).toHaveLength(4);
  });

  it('refuses a timeline of another account, or one that is not a timeline, with the file named', async () => {
    const a = await appliedScenario();
    const file = path.join(a.dir, 'timeline.json');
    const fail = () => {
      try {
        runReportSupportCase({ plan: a.planFile, journal: a.journalFile, timeline: file }, { write: () => true } as unknown as NodeJS.WritableStream);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    writeFileSync(file, JSON.stringify(timeline({ accountId: '210987654321' })));
    expect(fail()).toBe(`${file} at /accountId: is a timeline of account 210987654321, but ${a.planFile} is a plan for account 123456789012: they do not belong together`);
    writeFileSync(file, JSON.stringify({ ...timeline(), records: 'ten' }, null, 2));
    expect(fail()).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ at /records: `));
  });
});

describe('access key ids in correspondence', () => {
  it('keeps the first and last four characters of a key id, long-term or temporary, wherever it appears', () => {
    expect(shortKeyId('AKIAIOSFODNN7EXAMPLE')).toBe('AKIA…MPLE');
    expect(shortenKeyIds('key AKIAIOSFODNN7EXAMPLE of user bob, session ASIAY34FZKBOKMUTVV7A.')).toBe('key AKIA…MPLE of user bob, session ASIA…VV7A.');
    expect(shortenKeyIds('accessKey/AKIAIOSFODNN7EXAMPLE and user/xAKIAIOSFODNN7EXAMPLE')).toBe('accessKey/AKIA…MPLE and user/xAKIA…MPLE');
    // A longer run that holds a key id is shortened whole: no part of it gives the id away.
    expect(shortenKeyIds('AKIAIOSFODNN7EXAMPLE0123')).toBe('AKIA…0123');
    // Too short to be a key id, or not one: left alone.
    expect(shortenKeyIds('AKIA1234 AIDAIOSFODNN7EXAMPLE akiaiosfodnn7example')).toBe('AKIA1234 AIDAIOSFODNN7EXAMPLE akiaiosfodnn7example');
  });
});
