/**
 * Undo: reverses an apply journal's reversible completed steps, last first,
 * from the undo data their executors recorded. It keeps its own journal
 * (`<journal>.undo`), so an interrupted undo resumes without repeating itself.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApplyRefused } from '../errors.js';
import type { StepAction } from '../model/action.js';
import { redact } from '../redact.js';
import { failureText, type RunOptions } from './apply.js';
import type { ExecutorMap } from './executor.js';
import { EXECUTORS, executorFor } from './executors.js';
import { checkCaller, identify, type RunIdentity } from './guards.js';
import { completedIds, existingJournal, Journal, JOURNAL_FORMAT, readJournal, type JournalEntry } from './journal.js';

export interface UndoOptions extends RunOptions {
  /** The apply journal to reverse. */
  journalFile: string;
  /** Default: `<journalFile>.undo`. */
  undoJournalFile?: string;
}

export type UndoStatus = 'undone' | 'resumed' | 'failed' | 'irreversible';

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
  exitCode: number;
  aborted: boolean;
}

export const defaultUndoJournalFile = (journalFile: string): string => `${journalFile}.undo`;

export async function undoJournal(opts: UndoOptions): Promise<UndoResult> {
  const out = opts.out ?? (() => {});
  const log = opts.log ?? (() => {});
  const executors = opts.executors ?? EXECUTORS;
  const now = opts.now ?? new Date();
  const undoFile = opts.undoJournalFile ?? defaultUndoJournalFile(opts.journalFile);
  if (!existsSync(opts.journalFile)) throw new ApplyRefused(`no journal at ${opts.journalFile}`);
  const applied = readJournal(opts.journalFile);
  const h = applied.header;
  if (h.kind !== 'apply') throw new ApplyRefused(`${opts.journalFile} is an ${h.kind} journal: undo reverses an apply journal`);
  const existing = existingJournal(undoFile, { kind: 'undo', planDigest: h.planDigest, accountId: h.accountId });
  const who = opts.identity ?? (await identify(opts.clients));
  checkCaller({ what: 'journal', accountId: h.accountId, callerArn: h.caller }, who);

  // Last completed first; a step journaled twice (it cannot be, but a hand-edited journal might) is reversed once.
  const seen = new Set<string>();
  const entries = [...applied.entries].reverse().filter((e) => !seen.has(e.id) && seen.add(e.id));
  const reversible = entries.filter((e) => e.undo !== undefined && executorFor(executors, e.step.action)?.undo !== undefined);
  const irreversible = entries.filter((e) => e.result === 'done' && !reversible.includes(e));
  const finished = completedIds(existing);

  const summary = [
    `Undoing ${opts.journalFile} (plan digest ${h.planDigest.slice(0, 12)}) in account ${h.accountId} as ${who.arn}`,
    `  ${reversible.length} step(s) to reverse, last first (${reversible.filter((e) => finished.has(e.id)).length} reversed earlier); ${irreversible.length} cannot be undone`,
    ...reversible.filter((e) => !finished.has(e.id)).map((e) => `  reverse    ${e.id}: ${e.step.description}`),
    ...irreversible.map((e) => `  cannot     ${e.id}: ${e.step.description} (irreversible)`),
  ];
  for (const line of summary) out(line);
  if (opts.confirm && !(await opts.confirm(summary.join('\n')))) {
    out('Undo cancelled: nothing was changed.');
    return { undoJournalFile: undoFile, steps: [], exitCode: 1, aborted: true };
  }

  const journal = Journal.open(
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
        await executorFor(executors, e.step.action)!.undo!(e.step, e.undo!, {
          clients: opts.clients,
          accountId: h.accountId,
          now,
          secretsDir: opts.secretsDir ?? path.dirname(path.resolve(opts.journalFile)),
          log: (message) => log(`${e.id}: ${redact(message)}`),
        });
        journal.append({ id: e.id, result: 'undone', at: new Date().toISOString(), step: e.step });
        report(e, 'undone', e.step.description);
      } catch (err) {
        report(e, 'failed', failureText(err));
      }
    }
    for (const e of irreversible) report(e, 'irreversible', `${e.step.description}: cannot be undone`);
  } finally {
    journal.close();
  }
  const failed = reports.filter((r) => r.status === 'failed').length;
  out(`Undo finished: ${reports.filter((r) => r.status === 'undone').length} reversed, ${failed} failed, ${irreversible.length} cannot be undone`);
  return { undoJournalFile: undoFile, steps: reports, exitCode: failed > 0 ? 1 : 0, aborted: false };
}
