/**
 * Applies a plan: guards first (the approved digest, account, caller, age,
 * self-protection, completeness, --max-destructive), under the journal's
 * lock, then every step in dependency order under bounded concurrency. Each
 * step re-reads its target and checks its precondition; before it changes
 * anything its intent (with the undo data read beforehand) is on disk, and
 * its outcome is journaled (flushed) before its dependents start. A step a
 * killed run left with an intent and no outcome is settled by running it
 * again: its executor observes what the killed run did. Manual steps are
 * never executed: they stay pending until `--done` records them.
 */
import path from 'node:path';
import pLimit from 'p-limit';
import type { AwsClients } from '../aws/clients.js';
import { errorCode, errorMessage } from '../answers/error-info.js';
import { ApplyRefused } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { ACTIONS } from '../actions/registry.js';
import type { StepAction } from '../model/action.js';
import type { Plan, PlanStep } from '../model/plan.js';
import { redact } from '../redact.js';
import type { ExecContext, ExecutorMap, StepOutcome } from './executor.js';
import { executorFor, isManual, loadExecutors } from './executors.js';
import {
  checkAge,
  checkCaller,
  checkMaxDestructive,
  checkPrecondition,
  destructiveRefusal,
  identify,
  isDestructive,
  selfTargetReason,
  type RunIdentity,
} from './guards.js';
import { completedIds, existingJournal, Journal, type JournalContent, type JournalHeader, JOURNAL_FORMAT } from './journal.js';
import { acquireLock, type Lock } from './lock.js';
import { checkDependencies } from './order.js';
import { guardWrites } from './write-ahead.js';
import type { Plain } from '../model/resource.js';

export type OnChange = 'refuse' | 'skip';

/** How many of a plan's steps apply runs at once, by default. */
export const APPLY_CONCURRENCY = 4;

/** What apply and undo both take. */
export interface RunOptions {
  clients: AwsClients;
  /** Default: every executor (tests hand in fakes or wrappers). */
  executors?: ExecutorMap;
  /** Who runs; default: asked of STS and the credential provider. */
  identity?: RunIdentity;
  now?: Date;
  /** Where a replacement key's secret goes. */
  secretsDir?: string;
  /** Asked with the summary before anything changes; false stops the run. Absent: no question. */
  confirm?: (summary: string) => Promise<boolean>;
  /** Result lines (stdout). */
  out?: (line: string) => void;
  /** What executors report as they work (stderr). */
  log?: (line: string) => void;
}

export interface ApplyOptions extends RunOptions {
  /** The plan's file: the journal and the secrets folder (`rollcall-secrets`) default to its neighbours. */
  planFile: string;
  /** Default: `<planFile>.journal`. */
  journalFile?: string;
  /** A plan older than this many hours is refused. Default 24. */
  maxAgeHours?: number;
  /** Refuse the whole run if more destructive steps than this would run. */
  maxDestructive?: number;
  /** A target that changed since planning: refuse (stop the run) or skip the step. Default refuse. */
  onChange?: OnChange;
  /** Manual steps a person has done: recorded in the journal, so their dependents run. */
  done?: string[];
  /** Observe and check every step, change nothing, write no journal. */
  dryRun?: boolean;
  /** Steps running at once. Default APPLY_CONCURRENCY (4). */
  concurrency?: number;
  /** The digest (or a prefix of at least 12 hex digits) the reviewer approved: a plan with another digest is refused. */
  approve?: string;
}

export type StepStatus =
  /** Completed in this run: changed something, or found nothing to change. */
  | 'done'
  | 'already'
  /** Completed in an earlier run, per the journal: not repeated. */
  | 'resumed'
  /** A manual step a person did (--done). */
  | 'manual-done'
  /** Dry run: would run. */
  | 'would-run'
  /** A manual step nobody has marked done yet. */
  | 'pending'
  /** Depends on a pending manual step. */
  | 'waiting'
  /** Not run: it would act on the identity running apply, or its target changed (--on-change skip). */
  | 'skipped'
  /** Not run: a guard or a changed target (--on-change refuse) forbade it. */
  | 'refused'
  | 'failed'
  /** Not run: a step it depends on was skipped, refused or failed. */
  | 'blocked'
  /** Not run: the run stopped at a refusal before it started. */
  | 'not-run';

export interface StepReport {
  id: string;
  action: StepAction;
  status: StepStatus;
  detail: string;
}

export interface ApplyResult {
  journalFile: string;
  steps: StepReport[];
  exitCode: ExitCode;
  /** The confirmation was declined: nothing ran. */
  aborted: boolean;
}

const COMPLETE: ReadonlySet<StepStatus> = new Set(['done', 'already', 'resumed', 'manual-done']);
const NOT_DONE: ReadonlySet<StepStatus> = new Set(['skipped', 'refused', 'failed', 'blocked', 'not-run']);

/** 0: every step complete; 1: something was skipped, refused, failed or blocked; 4: only manual steps (and what waits for them) remain. */
export function applyExitCode(statuses: StepStatus[]): ExitCode {
  if (statuses.some((s) => NOT_DONE.has(s))) return EXIT.violations;
  if (statuses.some((s) => s === 'pending' || s === 'waiting')) return EXIT.incomplete;
  return EXIT.clean;
}

export const defaultJournalFile = (planFile: string): string => `${planFile}.journal`;
export const defaultSecretsDir = (planFile: string): string => path.join(path.dirname(path.resolve(planFile)), 'rollcall-secrets');

function checkDone(plan: Plan, done: string[]): void {
  for (const id of done) {
    const step = plan.steps.find((s) => s.id === id);
    if (!step) throw new ApplyRefused(`--done ${id}: the plan has no such step`);
    if (!isManual(step.action)) throw new ApplyRefused(`--done ${id}: not a manual step (apply runs it itself)`);
  }
}

/** A failed step's error in one line: its code when it has one, and its message, secrets masked. */
export function failureText(err: unknown): string {
  const code = errorCode(err);
  return `${code === 'Error' ? '' : `${code}: `}${errorMessage(err)}`;
}

/** The shortest digest prefix `--approve` takes: 48 bits, as `plan` and `show` print it. */
export const APPROVE_MIN_DIGITS = 12;

/** What was reviewed is what runs: the plan's digest must start with the approved one. */
export function checkApproval(plan: Pick<Plan, 'digest'>, approve: string | undefined): void {
  if (approve === undefined) return;
  const wanted = approve.trim().toLowerCase();
  if (!new RegExp(`^[0-9a-f]{${APPROVE_MIN_DIGITS},64}$`).test(wanted)) {
    throw new ApplyRefused(`--approve takes the plan's digest, at least ${APPROVE_MIN_DIGITS} hex digits as \`rollcall plan\` and \`rollcall show\` print it (got '${approve}')`);
  }
  if (!plan.digest.startsWith(wanted)) {
    throw new ApplyRefused(`the plan's digest is ${plan.digest.slice(0, APPROVE_MIN_DIGITS)}…, not the approved ${wanted.slice(0, APPROVE_MIN_DIGITS)}…: this is not the plan that was reviewed`);
  }
}

/** A journal's pending intents settle a resumed step: the killed run's undo data, read before its change, wins. */
export function settleOutcome(action: StepAction, outcome: StepOutcome, pending: Record<string, Plain> | undefined): StepOutcome {
  if (pending === undefined) return outcome;
  const undo = { ...(outcome.undo ?? {}), ...pending };
  const hasUndo = Object.keys(undo).length > 0;
  // The killed run acted (or died just before): `already` now means it did. A reversible
  // step's intent without undo data was bookkeeping only (a tag), so nothing to reverse.
  if (outcome.result === 'done' || hasUndo || !ACTIONS[action].reversible) return { result: 'done', ...(hasUndo ? { undo } : {}) };
  return outcome;
}

export function formatReport(r: StepReport): string {
  return `${r.status.padEnd(11)} ${r.id}${r.detail ? `: ${r.detail}` : ''}`;
}

export async function applyPlan(plan: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  const now = opts.now ?? new Date();
  const out = opts.out ?? (() => {});
  const log = opts.log ?? (() => {});
  const executors = opts.executors ?? (await loadExecutors());
  const journalFile = opts.journalFile ?? defaultJournalFile(opts.planFile);
  const done = new Set(opts.done ?? []);
  const dryRun = opts.dryRun ?? false;

  // Guards that need no AWS call first: bad input fails fast.
  checkApproval(plan, opts.approve);
  checkDependencies(plan);
  checkAge(plan, now, opts.maxAgeHours);
  checkDone(plan, [...done]);
  // One apply or undo of a journal at a time: the lock is taken before the journal is read.
  const lock = dryRun ? undefined : acquireLock(journalFile, `rollcall apply ${opts.planFile}`, now);
  try {
    if (lock?.tookOver) log(`warning: took over the lock of a run that died (${lock.tookOver.command}, pid ${lock.tookOver.pid}, since ${lock.tookOver.started})`);
    return await locked(plan, opts, { now, out, log, executors, journalFile, done, dryRun });
  } finally {
    lock?.release();
  }
}

interface Locked {
  now: Date;
  out: (line: string) => void;
  log: (line: string) => void;
  executors: ExecutorMap;
  journalFile: string;
  done: Set<string>;
  dryRun: boolean;
}

async function locked(plan: Plan, opts: ApplyOptions, { now, out, log, executors, journalFile, done, dryRun }: Locked): Promise<ApplyResult> {
  const existing = existingJournal(journalFile, { kind: 'apply', planDigest: plan.digest, accountId: plan.accountId });
  warnTorn(existing, journalFile, log);
  const who = opts.identity ?? (await identify(opts.clients));
  checkCaller({ what: 'plan', accountId: plan.accountId, callerArn: plan.caller.arn }, who);
  const pending = existing?.pending ?? new Map<string, Record<string, Plain>>();

  // What each step will be before anything runs; the rest are run (or found changed) below.
  const finished = completedIds(existing);
  const preset = new Map<string, Omit<StepReport, 'id' | 'action'>>();
  for (const step of plan.steps) {
    const self = selfTargetReason(step, who);
    const refusal = destructiveRefusal(plan, step);
    if (finished.has(step.id)) preset.set(step.id, { status: 'resumed', detail: `completed in an earlier run (${journalFile})` });
    else if (isManual(step.action)) {
      preset.set(step.id, done.has(step.id) ? { status: 'manual-done', detail: 'marked done (--done)' } : { status: 'pending', detail: `manual: ${step.description}` });
    } else if (self) preset.set(step.id, { status: 'skipped', detail: `never acts on the identity running apply: ${self}` });
    else if (refusal) preset.set(step.id, { status: 'refused', detail: refusal });
  }
  // Steps behind a pending manual step cannot run yet: they neither count against --max-destructive nor show as to run.
  const waiting = waitingForManual(plan, preset);
  const toRun = plan.steps.filter((s) => !preset.has(s.id) && !waiting.has(s.id));
  checkMaxDestructive(toRun.filter(isDestructive).length, opts.maxDestructive);

  const summary = summarize(plan, who, opts.planFile, journalFile, toRun, waiting, preset, dryRun, pending);
  for (const line of summary) out(line);
  const changes = toRun.length + [...preset.values()].filter((p) => p.status === 'manual-done').length;
  if (!dryRun && changes > 0 && opts.confirm && !(await opts.confirm(summary.join('\n')))) {
    out('Apply cancelled: nothing was changed.');
    return { journalFile, steps: [], exitCode: EXIT.violations, aborted: true };
  }

  const header: JournalHeader = {
    type: 'header',
    format: JOURNAL_FORMAT,
    kind: 'apply',
    planDigest: plan.digest,
    accountId: plan.accountId,
    caller: who.arn,
    started: now.toISOString(),
    source: opts.planFile,
  };
  const journal = dryRun ? undefined : Journal.open(journalFile, header, existing);
  try {
    for (const step of plan.steps) {
      if (preset.get(step.id)?.status === 'manual-done') {
        journal?.append({ id: step.id, result: 'manual', at: new Date().toISOString(), step });
      }
    }
    const reports = await execute(plan, preset, {
      executors,
      journal,
      dryRun,
      onChange: opts.onChange ?? 'refuse',
      concurrency: opts.concurrency ?? APPLY_CONCURRENCY,
      pending,
      ctx: (step) => {
        let intended = false;
        const settling = pending.get(step.id);
        return {
          clients: guardWrites(opts.clients, () => intended, step.id),
          accountId: plan.accountId,
          now,
          secretsDir: opts.secretsDir ?? defaultSecretsDir(opts.planFile),
          log: (message) => log(`${step.id}: ${redact(message)}`),
          intend: (undo) => {
            journal?.intend({ id: step.id, at: new Date().toISOString(), ...(undo ? { undo } : {}) });
            intended = true;
          },
          ...(settling ? { pending: settling } : {}),
        };
      },
      emit: (r) => out(formatReport(r)),
    });
    for (const line of closing(plan, reports, opts.planFile, dryRun)) out(line);
    return { journalFile, steps: reports, exitCode: applyExitCode(reports.map((r) => r.status)), aborted: false };
  } finally {
    journal?.close();
  }
}

/** A last line torn by a crash is ignored: said on stderr, so nobody wonders. */
export function warnTorn(content: JournalContent | undefined, file: string, log: (line: string) => void): void {
  if (content?.torn) log(`warning: ${file}: its last line was torn by a crash while being written; it is ignored (what it recorded is settled by observing)`);
}

interface Execution {
  executors: ExecutorMap;
  /** Intents a killed run left without an outcome, by step id. */
  pending: Map<string, Record<string, Plain>>;
  journal: Journal | undefined;
  dryRun: boolean;
  onChange: OnChange;
  concurrency: number;
  ctx: (step: PlanStep) => ExecContext;
  emit: (report: StepReport) => void;
}

/**
 * Runs the steps as their dependencies complete, `concurrency` at a time. A
 * step runs only when every step it depends on is complete; its own journal
 * line is flushed before it counts as complete. Returns reports in plan order.
 */
async function execute(plan: Plan, preset: Map<string, Omit<StepReport, 'id' | 'action'>>, x: Execution): Promise<StepReport[]> {
  const limit = pLimit(x.concurrency);
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const settled = new Map<string, Promise<StepReport>>();
  let stopped: string | undefined;

  const report = (step: PlanStep, status: StepStatus, detail: string): StepReport => ({ id: step.id, action: step.action, status, detail });

  const runOne = async (step: PlanStep): Promise<StepReport> => {
    if (stopped) return report(step, 'not-run', `the run stopped: ${stopped}`);
    const executor = executorFor(x.executors, step.action);
    if (!executor) return report(step, 'failed', `no executor for ${step.action}`);
    const ctx = x.ctx(step);
    try {
      const seen = await executor.observe(step, ctx);
      const check = checkPrecondition(step, seen, plan);
      if (check.kind === 'changed') {
        const detail = `the target changed since planning (${check.changes.join('; ')})`;
        if (x.onChange === 'skip') return report(step, 'skipped', detail);
        stopped ??= `step ${step.id} was refused`;
        return report(step, 'refused', `${detail}; stopping (--on-change refuse)`);
      }
      if (x.dryRun) {
        if (check.kind === 'gone') return report(step, 'already', 'the target is gone: nothing to do');
        return report(step, 'would-run', check.kind === 'end-state' ? `${step.description} (it looks done already)` : step.description);
      }
      // A step a killed run was inside runs again even when its target is gone: it finishes what it began (a tag after a delete).
      const pending = x.pending.get(step.id);
      const ran: StepOutcome = check.kind === 'gone' && pending === undefined ? { result: 'already' } : await executor.run(step, ctx);
      const outcome = settleOutcome(step.action, ran, pending);
      x.journal?.append({ id: step.id, result: outcome.result, at: new Date().toISOString(), step, ...(outcome.undo ? { undo: outcome.undo } : {}) });
      return report(step, outcome.result, outcome.result === 'done' ? step.description : 'nothing to change: the target is gone or already as the step leaves it');
    } catch (err) {
      return report(step, 'failed', failureText(err));
    }
  };

  const decide = async (step: PlanStep, deps: StepReport[]): Promise<StepReport> => {
    // What the guards decided holds whatever the dependencies did: a self-protection skip always says why.
    const pre = preset.get(step.id);
    if (pre) return { id: step.id, action: step.action, ...pre };
    const ok = (d: StepReport) => COMPLETE.has(d.status) || (x.dryRun && d.status === 'would-run');
    const unmet = deps.filter((d) => !ok(d));
    if (unmet.length > 0) {
      const names = unmet.map((d) => d.id).join(', ');
      if (unmet.every((d) => d.status === 'pending' || d.status === 'waiting')) return report(step, 'waiting', `waits for ${names}: a manual step must be done first`);
      return report(step, 'blocked', `not run: ${names} did not complete`);
    }
    return limit(() => runOne(step));
  };

  const settle = (step: PlanStep): Promise<StepReport> => {
    let p = settled.get(step.id);
    if (!p) {
      p = Promise.all(step.dependsOn.map((d) => settle(byId.get(d)!))).then(async (deps) => {
        const r = await decide(step, deps);
        x.emit(r);
        return r;
      });
      settled.set(step.id, p);
    }
    return p;
  };

  return Promise.all(plan.steps.map(settle));
}

/** The steps that depend, directly or not, on a manual step nobody has marked done. */
function waitingForManual(plan: Plan, preset: Map<string, Omit<StepReport, 'id' | 'action'>>): Set<string> {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const memo = new Map<string, boolean>();
  const waits = (id: string): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const status = preset.get(id)?.status;
    const result = status === 'pending' || (status === undefined && (byId.get(id)?.dependsOn ?? []).some(waits));
    memo.set(id, result);
    return result;
  };
  return new Set(plan.steps.filter((s) => preset.get(s.id)?.status !== 'pending' && waits(s.id)).map((s) => s.id));
}

function summarize(
  plan: Plan,
  who: RunIdentity,
  planFile: string,
  journalFile: string,
  toRun: PlanStep[],
  waiting: Set<string>,
  preset: Map<string, Omit<StepReport, 'id' | 'action'>>,
  dryRun: boolean,
  pending: Map<string, Record<string, Plain>>,
): string[] {
  const count = (status: StepStatus) => [...preset.values()].filter((p) => p.status === status).length;
  const destructive = toRun.filter(isDestructive).length;
  const lines = [
    `${dryRun ? 'Dry run (nothing will be changed) of' : 'Applying'} plan ${planFile} (digest ${plan.digest.slice(0, 12)}) for account ${plan.accountId} as ${who.arn}`,
    `  ${plan.steps.length} steps: ${toRun.length} to run (${destructive} destructive), ${count('resumed')} completed earlier (${journalFile}), ` +
      `${count('pending')} manual pending (${waiting.size} more wait for them), ${count('manual-done')} manual marked done, ${count('skipped')} skipped, ${count('refused')} refused`,
  ];
  const interrupted = toRun.filter((s) => pending.has(s.id));
  if (interrupted.length > 0) lines.push(`  ${interrupted.length} step(s) were interrupted by a crash: observed and settled first (${interrupted.map((s) => s.id).join(', ')})`);
  if (!dryRun) lines.push(`  to approve exactly this plan without a terminal: --approve ${plan.digest.slice(0, APPROVE_MIN_DIGITS)}`);
  for (const step of toRun) lines.push(`  run        ${step.id}${isDestructive(step) ? ' (destructive)' : ''}: ${step.description}`);
  for (const id of waiting) lines.push(`  waits      ${id}: after a manual step`);
  for (const [id, p] of preset) if (p.status === 'skipped' || p.status === 'refused') lines.push(`  ${p.status.padEnd(10)} ${id}: ${p.detail}`);
  return lines;
}

function closing(plan: Plan, reports: StepReport[], planFile: string, dryRun: boolean): string[] {
  const tally = new Map<StepStatus, number>();
  for (const r of reports) tally.set(r.status, (tally.get(r.status) ?? 0) + 1);
  const lines = [`${dryRun ? 'Dry run' : 'Apply'} finished: ${[...tally].map(([s, n]) => `${n} ${s}`).join(', ')}`];
  const pending = reports.filter((r) => r.status === 'pending');
  if (pending.length > 0) {
    lines.push('Manual steps: do each by hand, then record it with `--done`:');
    for (const r of pending) {
      const step = plan.steps.find((s) => s.id === r.id);
      lines.push(`  ${r.id}: ${step?.description ?? ''}`);
      for (const l of (step?.instructions ?? '').split('\n').filter((l) => l.trim() !== '')) lines.push(`      ${l}`);
      lines.push(`      then: rollcall apply ${planFile} --done '${r.id}'`);
    }
  }
  return lines;
}
