/**
 * `rollcall report ...`: documents made from what rollcall recorded.
 * `support-case` writes the confirmation AWS Support asks for after a
 * compromise notice, from a plan and the journal of its application (and
 * its undo journal, when undo ran).
 */
import { existsSync } from 'node:fs';
import { destructiveRefusal, selfTargetReason } from '../apply/guards.js';
import { readJournal, type JournalContent } from '../apply/journal.js';
import { defaultUndoJournalFile } from '../apply/undo.js';
import { InputError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { checkJournal } from '../load/journal.js';
import { loadPlan } from '../load/plan.js';
import { loadTimeline } from '../load/timeline.js';
import type { Plan } from '../model/plan.js';
import { renderSupportCase, type NotRun } from '../report/support-case.js';
import { writeFileAtomic } from '../write-file.js';

export interface SupportCaseOptions {
  plan: string;
  journal: string;
  /** Default: JOURNAL.undo, when it exists. */
  undoJournal?: string;
  /** A CloudTrail timeline of the incident window (`rollcall timeline --format json`). */
  timeline?: string;
  out?: string;
}

/** A journal, checked line by line against its schema (problems with file and line), then read as apply and undo read it. */
function loadJournal(file: string): JournalContent {
  const problems = checkJournal(file);
  if (problems.length > 0) throw new InputError(problems);
  return readJournal(file);
}

/** The journal must record this plan's application (or, for undo, its reversal) in this account. */
function checkBelongs(file: string, j: JournalContent, kind: 'apply' | 'undo', plan: Plan, planFile: string): void {
  const h = j.header;
  if (h.kind !== kind) throw InputError.at({ file, line: 1 }, `is an ${h.kind} journal, not an ${kind} journal`);
  if (h.accountId !== plan.accountId) {
    throw InputError.at({ file, line: 1 }, `is a journal for account ${h.accountId}, but ${planFile} is a plan for account ${plan.accountId}: they do not belong together`);
  }
  if (h.planDigest !== plan.digest) {
    throw InputError.at(
      { file, line: 1 },
      `is the journal of another plan (digest ${h.planDigest.slice(0, 12)}…), not of ${planFile} (digest ${plan.digest.slice(0, 12)}…): they do not belong together`,
    );
  }
}

/** What apply's guards decide before a run, whatever the account holds: no outcome is journaled for these steps. */
function guarded(plan: Plan, journal: JournalContent): Map<string, NotRun> {
  const who = { account: journal.header.accountId, arn: journal.header.caller, userId: '' };
  const out = new Map<string, NotRun>();
  for (const step of plan.steps) {
    const refusal = destructiveRefusal(plan, step);
    const self = selfTargetReason(step, who);
    if (self) out.set(step.id, { status: 'skipped', why: `it never acts on the identity running apply: ${self}` });
    else if (refusal) out.set(step.id, { status: 'refused', why: refusal });
  }
  return out;
}

export function runReportSupportCase(o: SupportCaseOptions, stdout: NodeJS.WritableStream = process.stdout): ExitCode {
  const plan = loadPlan(o.plan);
  const journal = loadJournal(o.journal);
  checkBelongs(o.journal, journal, 'apply', plan, o.plan);
  const undoFile = o.undoJournal ?? (existsSync(defaultUndoJournalFile(o.journal)) ? defaultUndoJournalFile(o.journal) : undefined);
  const undo = undoFile === undefined ? undefined : loadJournal(undoFile);
  if (undo && undoFile) checkBelongs(undoFile, undo, 'undo', plan, o.plan);
  for (const e of journal.entries) {
    if (!plan.steps.some((s) => s.id === e.id)) throw InputError.at({ file: o.journal }, `records step '${e.id}', which ${o.plan} does not have`);
  }
  const timeline = o.timeline === undefined ? undefined : loadTimeline(o.timeline);
  if (timeline && timeline.accountId !== plan.accountId) {
    throw InputError.at({ file: o.timeline!, path: '/accountId' }, `is a timeline of account ${timeline.accountId}, but ${o.plan} is a plan for account ${plan.accountId}: they do not belong together`);
  }
  const text = renderSupportCase({ plan, journal, ...(undo ? { undo } : {}), ...(timeline ? { timeline } : {}), notRun: guarded(plan, journal) });
  if (o.out) writeFileAtomic(o.out, text);
  else stdout.write(text);
  return EXIT.clean;
}
