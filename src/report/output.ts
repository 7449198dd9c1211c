import { closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { InputError } from '../errors.js';

/** Pieces are gathered up to this many characters per write. */
const BATCH = 1 << 16;

function* batched(chunks: Iterable<string>): Generator<string> {
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= BATCH) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer !== '') yield buffer;
}

/**
 * Writes an output made of pieces (a report of any size) whole or not at all:
 * to a temporary file beside `file`, renamed over it once complete. Nothing
 * holds the whole text at once.
 */
export function writeChunksAtomic(file: string, chunks: Iterable<string>, mode = 0o644): void {
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw InputError.at({ file }, 'is a directory: name a file to write');
  const dir = path.dirname(path.resolve(file));
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w', mode);
    for (const piece of batched(chunks)) writeSync(fd, piece);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Writes an output made of pieces to a stream (stdout), waiting whenever the reader falls behind. */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  for (const piece of batched(chunks)) {
    if (!stream.write(piece)) await once(stream, 'drain');
  }
}
