/**
 * One apply or undo at a time per journal: an exclusive lock file beside the
 * apply journal (`<journal>.lock`), created with O_EXCL and holding who took
 * it (pid, host, start time, command). A second run is refused, naming the
 * holder. A lock whose holder is a dead process on this host is stale: it is
 * taken over, under a second O_EXCL file so that two runs finding the same
 * stale lock cannot both take it.
 */
import { closeSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import { ApplyRefused } from '../errors.js';

export interface LockHolder {
  pid: number;
  host: string;
  started: string;
  command: string;
}

export const lockFileOf = (journalFile: string): string => `${journalFile}.lock`;

function readHolder(file: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string') return { pid: h.pid, host: h.host, started: String(h.started ?? '?'), command: String(h.command ?? '?') };
  } catch {
    // Unreadable or half-written: see `isStale`.
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A holder on this host whose process is gone. A holder on another host is never assumed dead. */
const isStale = (h: LockHolder): boolean => h.host === os.hostname() && !alive(h.pid);

/** Creates `file` with O_EXCL and writes the holder; false when it exists. */
function create(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(holder) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

const describeHolder = (h: LockHolder): string => `${h.command} (pid ${h.pid} on ${h.host}, since ${h.started})`;

export interface Lock {
  file: string;
  /** Whether a stale lock of a dead run was taken over: the caller says so. */
  tookOver?: LockHolder;
  release(): void;
}

/**
 * Takes the journal's lock or refuses (ApplyRefused, exit 2) naming its
 * holder. A lock file that cannot be read (a crash while it was being
 * written) is refused too, with the file named: only a person can tell.
 */
export function acquireLock(journalFile: string, command: string, now: Date = new Date()): Lock {
  const file = lockFileOf(journalFile);
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), started: now.toISOString(), command };
  let tookOver: LockHolder | undefined;
  if (!create(file, holder)) {
    const current = readHolder(file);
    if (!current) throw new ApplyRefused(`${file} exists but names no holder: if no apply or undo of this journal is running, delete it and run again`);
    if (!isStale(current)) throw new ApplyRefused(`another run holds ${file}: ${describeHolder(current)}; wait for it to finish (one apply or undo at a time per journal)`);
    takeOver(file, current, holder);
    tookOver = current;
  }
  let held = true;
  return {
    file,
    ...(tookOver ? { tookOver } : {}),
    release() {
      if (!held) return;
      held = false;
      const mine = readHolder(file);
      if (mine && mine.pid === holder.pid && mine.host === holder.host && mine.started === holder.started) unlinkSync(file);
    },
  };
}

/** Replaces a stale lock with ours, under `<lock>.takeover` so that only one run can. */
function takeOver(file: string, stale: LockHolder, holder: LockHolder): void {
  const guard = `${file}.takeover`;
  if (!create(guard, holder)) {
    const other = readHolder(guard);
    if (other && isStale(other)) unlinkSync(guard);
    throw new ApplyRefused(`another run is taking over the stale lock ${file} of ${describeHolder(stale)}: run again`);
  }
  try {
    const again = readHolder(file);
    const same = again && again.pid === stale.pid && again.host === stale.host && again.started === stale.started;
    if (!same) throw new ApplyRefused(`${file} changed hands while this run looked at it: run again`);
    unlinkSync(file);
    if (!create(file, holder)) throw new ApplyRefused(`${file} was taken by another run meanwhile: run again`);
  } finally {
    unlinkSync(guard);
  }
}
