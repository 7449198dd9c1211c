/**
 * Undo: reverses an apply journal's reversible completed steps, last first,
 * from the undo data their executors recorded, and lists every other
 * completed step with why it is not reversed. It holds the apply journal's
 * lock (no apply or other undo of it meanwhile) and keeps its own journal
 * (`<journal>.undo`), so an interrupted undo resumes without repeating itself.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApplyRefused } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { StepAction } from '../model/action.js';
import { redact } from '../redact.js';
import { failureText, warnTorn, type RunOptions } from './apply.js';
import type { ExecutorMap } from './executor.js';
import { executorFor, loadExecutors } from './executors.js';
import { checkCaller, identify, type RunIdentity } from './guards.js';
import { completedIds, existingJournal, Journal, JOURNAL_FORMAT, readJournal, type JournalEntry } from './journal.js';
import { acquireLock } from './lock.js';

export interface UndoOptions extends RunOptions {
  /** The apply journal to reverse. */
  journalFile: string;
  /** Default: `<journalFile>.undo`. */
  undoJournalFile?: string;
}

/**
 * `undone`: put back; `gone`: nothing to put back on, its target no longer
 * exists (a quarantine on a user a later step deleted); `resumed`: reversed
 * by an earlier undo run; `irreversible`: apply changed it for good (a
 * delete); `unchanged`: apply found it done already and changed nothing;
 * `manual`: a person did it (--done): undo it by hand if needed.
 */
export type UndoStatus = 'undone' | 'gone' | 'resumed' | 'failed' | 'irreversible' | 'unchanged' | 'manual';

export interface UndoReport {
  id: string;
  action: StepAction;
  status: UndoStatus;
  detail: string;
}

export interface UndoResult {
  undoJournalFile: string;
  steps: UndoReport[];
  /** 0: every reversible step undone (irreversible ones are listed); 1: an undo failed, or the confirmation was declined. */
  exitCode: ExitCode;
  aborted: boolean;
}

export const defaultUndoJournalFile = (journalFile: string): string => `${journalFile}.undo`;

export async function undoJournal(opts: UndoOptions): Promise<UndoResult> {
  const out = opts.out ?? (() => {});
  const log = opts.log ?? (() => {});
  const executors = opts.executors ?? (await loadExecutors());
  const now = opts.now ?? new Date();
  const undoFile = opts.undoJournalFile ?? defaultUndoJournalFile(opts.journalFile);
  if (!existsSync(opts.journalFile)) throw new ApplyRefused(`no journal at ${opts.journalFile}`);
  const lock = acquireLock(opts.journalFile, `rollcall undo ${opts.journalFile}`, now);
  try {
    if (lock.tookOver) log(`warning: took over the lock of a run that died (${lock.tookOver.command}, pid ${lock.tookOver.pid}, since ${lock.tookOver.started})`);
    return await undoLocked(opts, { out, log, executors, now, undoFile });
  } finally {
    lock.release();
  }
}

async function undoLocked(
  opts: UndoOptions,
  { out, log, executors, now, undoFile }: { out: (l: string) => void; log: (l: string) => void; executors: ExecutorMap; now: Date; undoFile: string },
): Promise<UndoResult> {
  const applied = readJournal(opts.journalFile);
  warnTorn(applied, opts.journalFile, log);
  const h = applied.header;
  if (h.kind !== 'apply') throw new ApplyRefused(`${opts.journalFile} is an ${h.kind} journal: undo reverses an apply journal`);
  if (applied.pending.size > 0) {
    throw new ApplyRefused(
      `${opts.journalFile}: apply was interrupted in ${[...applied.pending.keys()].join(', ')}: whether ${applied.pending.size === 1 ? 'that step' : 'those steps'} changed the account is not yet known; ` +
        `run \`rollcall apply ${h.source}\` again to settle ${applied.pending.size === 1 ? 'it' : 'them'} (it resumes), then undo`,
    );
  }
  const existing = existingJournal(undoFile, { kind: 'undo', planDigest: h.planDigest, accountId: h.accountId });
  warnTorn(existing, undoFile, log);
  const who = opts.identity ?? (await identify(opts.clients));
  checkCaller({ what: 'journal', accountId: h.accountId, callerArn: h.caller }, who);

  // Last completed first; a step journaled twice (it cannot be, but a hand-edited journal might) is reversed once.
  const seen = new Set<string>();
  const entries = [...applied.entries].reverse().filter((e) => !seen.has(e.id) && seen.add(e.id));
  const reversible = entries.filter((e) => e.result === 'done' && e.undo !== undefined && executorFor(executors, e.step.action)?.undo !== undefined);
  // Every other completed step is listed with why it is not reversed: none is skipped silently.
  const others = entries.filter((e) => !reversible.includes(e)).map((e) => ({ e, ...notReversed(e) }));
  const irreversible = others.filter((o) => o.status === 'irreversible');
  const finished = completedIds(existing);

  const summary = [
    `Undoing ${opts.journalFile} (plan digest ${h.planDigest.slice(0, 12)}) in account ${h.accountId} as ${who.arn}`,
    `  ${reversible.length} step(s) to reverse, last first (${reversible.filter((e) => finished.has(e.id)).length} reversed earlier); ` +
      `${irreversible.length} cannot be undone; ${others.length - irreversible.length} changed nothing or were done by hand`,
    ...reversible.filter((e) => !finished.has(e.id)).map((e) => `  reverse    ${e.id}: ${e.step.description}`),
    ...others.map((o) => `  ${o.status === 'irreversible' ? 'cannot' : o.status.padEnd(10)} ${o.e.id}: ${o.detail}`),
  ];
  for (const line of summary) out(line);
  if (opts.confirm && !(await opts.confirm(summary.join('\n')))) {
    out('Undo cancelled: nothing was changed.');
    return { undoJournalFile: undoFile, steps: [], exitCode: EXIT.violations, aborted: true };
  }

  const journal: Journal = Journal.open(
    undoFile,
    { type: 'header', format: JOURNAL_FORMAT, kind: 'undo', planDigest: h.planDigest, accountId: h.accountId, caller: who.arn, started: now.toISOString(), source: opts.journalFile },
    existing,
  );
  const reports: UndoReport[] = [];
  const report = (e: JournalEntry, status: UndoStatus, detail: string) => {
    const r = { id: e.id, action: e.step.action, status, detail };
    reports.push(r);
    out(`${status.padEnd(12)} ${r.id}${detail ? `: ${detail}` : ''}`);
  };
  try {
    // One at a time, in reverse: a later step may rest on an earlier one (a policy put back before a membership).
    for (const e of reversible) {
      if (finished.has(e.id)) {
        report(e, 'resumed', `reversed in an earlier undo run (${undoFile})`);
        continue;
      }
      try {
        const interrupted = existing?.pending.has(e.id) ?? false;
        const outcome = await executorFor(executors, e.step.action)!.undo!(e.step, e.undo!, {
          clients: opts.clients,
          accountId: h.accountId,
          now,
          secretsDir: opts.secretsDir ?? path.dirname(path.resolve(opts.journalFile)),
          log: (message) => log(`${e.id}: ${redact(message)}`),
          intend: () => journal.intend({ id: e.id, at: new Date().toISOString() }),
        });
        // An undo killed after its change finds the change made: it was undone then.
        const status: UndoStatus = outcome === 'gone' && interrupted ? 'undone' : outcome;
        journal.append({ id: e.id, result: 'undone', at: new Date().toISOString(), step: e.step });
        report(e, status, status === 'gone' ? `${e.step.description}: its target no longer exists, nothing to put back` : e.step.description);
      } catch (err) {
        report(e, 'failed', failureText(err));
      }
    }
    for (const o of others) report(o.e, o.status, o.detail);
  } finally {
    journal.close();
  }
  const failed = reports.filter((r) => r.status === 'failed').length;
  const n = (status: UndoStatus) => reports.filter((r) => r.status === status).length;
  out(`Undo finished: ${n('undone')} reversed, ${n('gone')} gone, ${failed} failed, ${irreversible.length} cannot be undone, ${n('unchanged')} unchanged, ${n('manual')} manual`);
  return { undoJournalFile: undoFile, steps: reports, exitCode: failed > 0 ? EXIT.violations : EXIT.clean, aborted: false };
}

/** Why a completed step is not reversed. */
function notReversed(e: JournalEntry): { status: UndoStatus; detail: string } {
  if (e.result === 'manual') return { status: 'manual', detail: `${e.step.description}: a person did it (--done); undo it by hand if needed` };
  if (e.result === 'already') return { status: 'unchanged', detail: `${e.step.description}: apply found it done already and changed nothing` };
  return { status: 'irreversible', detail: `${e.step.description}: cannot be undone` };
}
