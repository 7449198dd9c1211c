/**
 * Reads and judges a JSON Lines inventory with worker threads: the one way a
 * million resources are audited in seconds, since parsing JSON is most of the
 * work and a thread parses on one core. The main thread reads the file (and
 * gunzips it), reads the header itself (the evaluation's setup depends on
 * it: the account, the gaps), then cuts the rest at line ends into chunks and
 * hands each, as bytes, to the least busy worker (inventory-worker.ts). Each
 * worker checks its lines as the single-threaded reader does and judges each
 * resource as it reads it, then forgets it; the main thread collects the
 * violations, the problems (placed at their line and `/resources/N` path in
 * the whole file) and the resources of the types judged whole, and absorbs
 * the workers' tallies into its own Evaluation, which the caller finishes.
 * Memory is the workers' chunks in flight and the violations, not the
 * inventory. A problem anywhere refuses the whole inventory, with every
 * problem listed (at most MAX_PROBLEMS), as the single-threaded reader does.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Evaluation, type EvaluationSetup } from '../engine/evaluation.js';
import { InputError } from '../errors.js';
import type { Inventory } from '../model/inventory.js';
import type { Resource } from '../model/resource.js';
import { packagePath } from '../paths.js';
import { EMPTY_INVENTORY_LINES, InventoryLineReader, openInventoryStream, placeLineProblems, ProblemList, type ReadLinesOptions } from './inventory-lines.js';
import type { ChunkResult, FromWorker, ToWorker } from './inventory-worker-messages.js';
import type { Tally } from '../engine/evaluation.js';
import { errorText } from './yaml-file.js';

export type InventoryHeader = Omit<Inventory, 'resources'>;

/** Bytes handed to a worker at once: large enough that messages cost nothing, small enough to balance the workers. */
const CHUNK_BYTES = 2 << 20;
/** Chunks in flight per worker before the reading waits: memory stays a few chunks, not the file. */
const IN_FLIGHT_PER_WORKER = 4;

/** The worker's script: beside this module when compiled (dist/load, or dist/bin in the bundle); from the compiled tree when run from the sources (tests). */
function workerScript(): URL {
  const beside = new URL('./inventory-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = packagePath('dist', 'load', 'inventory-worker.js');
  if (existsSync(built)) return pathToFileURL(built);
  throw new Error(`the inventory worker's script is not built (${fileURLToPath(beside)}): run npm run build`);
}

export interface EvaluatedInWorkers {
  header: InventoryHeader;
  /** The whole inventory's resource pass, absorbed: the caller finishes it. */
  evaluation: Evaluation;
}

/**
 * Reads `file` (JSON Lines, gzipped or not) with `jobs` workers. `prepare`
 * turns the header into the evaluation's setup (and may refuse it, e.g. an
 * inventory of another account, before any worker starts), or says with
 * undefined that this inventory is to be read whole instead: then nothing
 * more is read, and the result is undefined.
 */
export async function evaluateInWorkers(
  file: string,
  jobs: number,
  prepare: (header: InventoryHeader) => Omit<EvaluationSetup, 'history'> | undefined,
  options: ReadLinesOptions & { /** Bytes per chunk (tests make it small, to spread a small file over every worker). */ chunkBytes?: number } = {},
): Promise<EvaluatedInWorkers | undefined> {
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const { stream, close } = openInventoryStream(file, Math.max(chunkBytes, 1 << 16));
  const problems = new ProblemList();
  const reader = new InventoryLineReader(options);
  const workers: Worker[] = [];
  const busy: number[] = [];
  const results = new Map<number, ChunkResult>();
  const tallies: Tally[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const waitForWorker = () => new Promise<void>((resolve) => (wake = resolve));

  let header: InventoryHeader | undefined;
  let headerLine = 0;
  let evaluation: Evaluation | undefined;
  let seq = 0;
  let inFlight = 0;

  const start = (setup: Omit<EvaluationSetup, 'history'>) => {
    const init: ToWorker = { kind: 'init', setup: { ...setup, now: setup.now.toISOString() }, options: { ...(options.duplicates ? { duplicates: true } : {}) } };
    for (let i = 0; i < jobs; i++) {
      const worker = new Worker(workerScript());
      const id = i;
      busy.push(0);
      worker.on('message', (m: FromWorker) => {
        if (m.kind === 'chunk') {
          results.set(m.result.seq, m.result);
          busy[id]!--;
          inFlight--;
          // Violations are absorbed as they come: the worker forgets them once sent.
          evaluation!.absorb({ resources: 0, found: {}, matched: {}, violations: m.result.violations });
          m.result.violations = [];
        } else tallies.push(m.tally);
        notify();
      });
      worker.on('error', (e) => {
        failure ??= new Error(`an inventory worker failed: ${errorText(e)}`);
        notify();
      });
      worker.on('exit', (code) => {
        if (code !== 0) failure ??= new Error(`an inventory worker stopped (exit code ${code})`);
        notify();
      });
      worker.postMessage(init);
      workers.push(worker);
    }
  };

  const send = async (bytes: Uint8Array<ArrayBuffer>) => {
    while (inFlight >= jobs * IN_FLIGHT_PER_WORKER && !failure) await waitForWorker();
    if (failure) throw failure;
    let id = 0;
    for (let i = 1; i < workers.length; i++) if (busy[i]! < busy[id]!) id = i;
    busy[id]!++;
    inFlight++;
    const message: ToWorker = { kind: 'chunk', seq: seq++, bytes };
    workers[id]!.postMessage(message, [bytes.buffer]);
  };

  /** Set when `prepare` declines the inventory. */
  let declined = false;

  /** Reads the header from the start of the file: the first line that is not blank. Returns the bytes after it, or undefined while it is incomplete. */
  const takeHeader = (bytes: Buffer, ended: boolean): Buffer | undefined => {
    let at = 0;
    for (;;) {
      const nl = bytes.indexOf(10, at);
      if (nl === -1 && !ended) return undefined;
      const stop = nl === -1 ? bytes.length : nl;
      headerLine++;
      let text = bytes.toString('utf8', at, stop > at && bytes[stop - 1] === 13 ? stop - 1 : stop);
      if (headerLine === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
      at = nl === -1 ? bytes.length : nl + 1;
      if (text.trim() === '') {
        if (nl === -1) return bytes.subarray(at);
        continue;
      }
      const read = reader.header(text);
      if (read.problems) {
        problems.add(placeLineProblems(file, headerLine, '', read.problems));
        problems.check(file);
      }
      header = read.value as InventoryHeader;
      const setup = prepare(header);
      if (!setup) {
        declined = true;
        return Buffer.alloc(0);
      }
      evaluation = new Evaluation(setup);
      start(setup);
      return bytes.subarray(at);
    }
  };

  try {
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async (ended: boolean) => {
      let bytes: Buffer = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      if (header === undefined) {
        const rest = takeHeader(bytes, ended);
        if (rest === undefined) {
          pending = [bytes];
          pendingBytes = bytes.length;
          return;
        }
        bytes = rest;
      }
      // Chunks of at least chunkBytes each, ending at a line's end; the last line's start waits for its end.
      let at = 0;
      while (at < bytes.length) {
        const nl = bytes.indexOf(10, Math.min(at + chunkBytes - 1, bytes.length - 1));
        const cut = nl === -1 ? (ended ? bytes.length : at) : nl + 1;
        if (cut === at) break;
        // A copy of its own, so that it can be transferred whole (a stream's buffer may share its memory).
        const chunk = new Uint8Array(cut - at);
        chunk.set(bytes.subarray(at, cut));
        await send(chunk);
        at = cut;
      }
      if (at < bytes.length) {
        pending = [bytes.subarray(at)];
        pendingBytes = bytes.length - at;
      }
    };
    try {
      for await (const data of stream as AsyncIterable<Buffer>) {
        pending.push(data);
        pendingBytes += data.length;
        if (pendingBytes >= chunkBytes) await flush(false);
        if (declined) return undefined;
      }
    } catch (e) {
      if (e instanceof InputError || e === failure) throw e;
      throw InputError.at({ file }, `cannot read: ${errorText(e)}`);
    }
    await flush(true);
    if (declined) return undefined;
    if (header === undefined) {
      problems.add([{ file, message: EMPTY_INVENTORY_LINES }]);
      problems.check(file);
    }
    for (const w of workers) w.postMessage({ kind: 'end' } satisfies ToWorker);
    while (tallies.length < workers.length && !failure) await waitForWorker();
    if (failure) throw failure;

    // Every chunk is in: place its problems in the whole file, judge the held resources in the file's order.
    let line = headerLine;
    let index = 0;
    const held: Resource[] = [];
    for (let s = 0; s < seq; s++) {
      const r = results.get(s)!;
      for (const p of r.problems) problems.add(placeLineProblems(file, line + p.line, `/resources/${index + p.index}`, p.problems));
      problems.more += r.moreProblems;
      held.push(...r.held);
      line += r.lines;
      index += r.resources;
    }
    problems.check(file);
    for (const t of tallies) evaluation!.absorb(t);
    for (const r of held) evaluation!.add(r);
    return { header: header!, evaluation: evaluation! };
  } finally {
    close();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
