/**
 * Scans the files under a path as they are now, tracked or not (a `.env`
 * nobody committed is where keys often sit). Symbolic links are not followed
 * (a hostile tree may point outside itself, or in a loop), `.git` is left to
 * the history scan, and binary files (a NUL in their first 8 KiB, git's own
 * test) are skipped. Each file is read as a stream, line by line.
 */
import { createReadStream } from 'node:fs';
import { lstat, open, opendir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { KeyFinder } from './key-matcher.js';
import type { Findings } from './findings.js';

export interface FilesScan {
  files: number;
  skippedBinary: number;
  /** Files or folders that could not be read (permissions, removed while scanning): said in a note, the scan goes on. */
  unreadable: number;
}

async function isBinary(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

async function scanFile(file: string, shown: string, findings: Findings): Promise<void> {
  const finder = new KeyFinder();
  let n = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    for (const f of finder.push(text, ++n)) findings.add(f, { file: shown });
  }
  for (const f of finder.end()) findings.add(f, { file: shown });
}

/** Every regular file under `path` (or `path` itself when it is a file), in name order. */
async function* regularFiles(path: string, onUnreadable: () => void): AsyncGenerator<string> {
  const stats = await lstat(path);
  if (stats.isFile()) {
    yield path;
    return;
  }
  if (!stats.isDirectory()) return;
  const names: { name: string; dir: boolean; file: boolean }[] = [];
  try {
    for await (const entry of await opendir(path)) names.push({ name: entry.name, dir: entry.isDirectory(), file: entry.isFile() });
  } catch {
    onUnreadable();
    return;
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of names) {
    if (e.name === '.git') continue;
    const full = join(path, e.name);
    if (e.dir) yield* regularFiles(full, onUnreadable);
    else if (e.file) yield full;
  }
}

export async function scanFiles(path: string, findings: Findings): Promise<FilesScan> {
  const result: FilesScan = { files: 0, skippedBinary: 0, unreadable: 0 };
  const root = (await lstat(path)).isDirectory() ? path : join(path, '..');
  for await (const file of regularFiles(path, () => result.unreadable++)) {
    try {
      if (await isBinary(file)) {
        result.skippedBinary++;
        continue;
      }
      await scanFile(file, relative(root, file).split(sep).join('/'), findings);
      result.files++;
    } catch {
      // What was found before the error stays found.
      result.unreadable++;
    }
  }
  return result;
}
