/**
 * The journal, written ahead: before a step's first change to the account, an
 * `intent` line with the undo data read beforehand is flushed to disk (fsync);
 * after it, a `step` line with the outcome, before anything that depends on
 * the step starts. A run killed at any instant therefore leaves either no
 * intent (nothing was changed), an intent without an outcome (settled on
 * resume by observing the target), or both. The first line is a header that
 * ties the journal to one plan (its digest) and account; each later run of the
 * same plan adds a `run` line. Undo keeps its own journal the same way.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { PlanStep } from '../model/plan.js';
import type { Plain } from '../model/resource.js';
import { ApplyRefused } from '../errors.js';

export const JOURNAL_FORMAT = 1;

export interface JournalHeader {
  type: 'header';
  format: typeof JOURNAL_FORMAT;
  kind: 'apply' | 'undo';
  planDigest: string;
  accountId: string;
  /** The caller ARN that ran apply. */
  caller: string;
  started: string;
  /** apply: the plan file; undo: the journal it reverses. */
  source: string;
}

export interface JournalRun {
  type: 'run';
  started: string;
}

/**
 * A step completed: `done` (changed something), `already` (nothing to change),
 * `manual` (a person did it: --done), `undone` (undo reversed it). The step is
 * recorded whole, so undo needs only the journal.
 */
export interface JournalEntry {
  type: 'step';
  id: string;
  result: 'done' | 'already' | 'manual' | 'undone';
  at: string;
  step: PlanStep;
  /** What undo needs, as the executor recorded it. Never a secret. */
  undo?: Record<string, Plain>;
}

/**
 * A step is about to change the account: written (and flushed) before the
 * change, with what undo will need as read before it. An intent with no
 * `step` line after it is a step a run was killed in.
 */
export interface JournalIntent {
  type: 'intent';
  id: string;
  at: string;
  undo?: Record<string, Plain>;
}

type JournalLine = JournalHeader | JournalRun | JournalEntry | JournalIntent;

export interface JournalContent {
  header: JournalHeader;
  entries: JournalEntry[];
  /** Intents with no outcome after them, by step id: steps a run was killed in, with the undo data read before the change. */
  pending: Map<string, Record<string, Plain>>;
  /** Byte length of the complete lines: a line torn by a crash is not counted, and is cut before appending. */
  validLength: number;
  /** A last line torn by a crash (written in part, with no newline): ignored, and said. */
  torn: boolean;
}

const LINE_TYPES: ReadonlySet<string> = new Set(['header', 'run', 'step', 'intent']);

/**
 * Reads a journal. A last line torn by a crash (no newline after it) is
 * ignored: it was being written when the run died, so what it recorded had
 * not been acted on as complete. Any other damage is refused with its line.
 */
export function readJournal(file: string): JournalContent {
  const text = readFileSync(file, 'utf8');
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = complete.split('\n');
  lines.pop(); // after the last newline
  const parsed = lines.map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    const type = (value as { type?: unknown } | undefined)?.type;
    if (typeof value !== 'object' || value === null || typeof type !== 'string' || !LINE_TYPES.has(type)) {
      throw new ApplyRefused(`${file}:${i + 1}: not a journal line (the file is damaged; move it away to start over)`);
    }
    return value as JournalLine;
  });
  const header = parsed[0];
  if (!header || header.type !== 'header' || header.format !== JOURNAL_FORMAT) throw new ApplyRefused(`${file}: not a rollcall journal (no header line)`);
  const entries: JournalEntry[] = [];
  const pending = new Map<string, Record<string, Plain>>();
  for (const line of parsed) {
    if (line.type === 'intent') pending.set(line.id, line.undo ?? {});
    if (line.type === 'step') {
      entries.push(line);
      pending.delete(line.id);
    }
  }
  return { header, entries, pending, validLength: Buffer.byteLength(complete), torn: complete.length < text.length };
}

/** Ids of the steps a journal records as completed (for undo journals: undone). */
export function completedIds(content: JournalContent | undefined): Set<string> {
  return new Set((content?.entries ?? []).map((e) => e.id));
}

/** An open journal: every append is flushed to disk before it returns. */
export class Journal {
  private constructor(
    readonly file: string,
    private fd: number | undefined,
  ) {}

  /**
   * Opens `file` for appending: a new journal starts with `header`; an existing
   * one (already read and checked by the caller) gets a `run` line.
   */
  static open(file: string, header: JournalHeader, existing: JournalContent | undefined): Journal {
    if (existing) truncateSync(file, existing.validLength);
    const fd = openSync(file, existing ? 'a' : 'wx', 0o600);
    const journal = new Journal(file, fd);
    journal.write(existing ? { type: 'run', started: header.started } : header);
    if (!existing) syncDir(file);
    return journal;
  }

  append(entry: Omit<JournalEntry, 'type'>): void {
    this.write({ type: 'step', ...entry });
  }

  /** Before a step changes anything: its intent, with the undo data read beforehand. */
  intend(intent: Omit<JournalIntent, 'type'>): void {
    this.write({ type: 'intent', ...intent });
  }

  private write(line: JournalLine): void {
    if (this.fd === undefined) throw new Error(`journal ${this.file} is closed`);
    writeSync(this.fd, JSON.stringify(line) + '\n');
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A new file's name is durable only once its folder is flushed too. */
function syncDir(file: string): void {
  try {
    const fd = openSync(path.dirname(path.resolve(file)), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform can fsync a folder; the journal's own lines are flushed regardless.
  }
}

/** The journal of `file` if there is one, checked to belong to this plan (or journal, for undo). */
export function existingJournal(file: string, expect: { kind: JournalHeader['kind']; planDigest: string; accountId: string }): JournalContent | undefined {
  if (!existsSync(file)) return undefined;
  const content = readJournal(file);
  const h = content.header;
  if (h.kind !== expect.kind) throw new ApplyRefused(`${file} is an ${h.kind} journal, not an ${expect.kind} journal`);
  if (h.planDigest !== expect.planDigest || h.accountId !== expect.accountId) {
    throw new ApplyRefused(
      `${file} is the journal of another plan (digest ${h.planDigest.slice(0, 12)}…, account ${h.accountId}), not of this one (digest ${expect.planDigest.slice(0, 12)}…): ` +
        'refusing to resume it: move it away, or choose another journal file',
    );
  }
  return content;
}
