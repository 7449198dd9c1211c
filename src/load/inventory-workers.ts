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
import { closeSync, existsSync, openSync, read } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Evaluation, type EvaluationSetup } from '../engine/evaluation.js';
import { InputError } from '../errors.js';
import type { Inventory } from '../model/inventory.js';
import type { Resource } from '../model/resource.js';
import { packagePath } from '../paths.js';
import { EMPTY_INVENTORY_LINES, InventoryLineReader, inventoryEncoding, openInventoryStream, placeLineProblems, ProblemList, type ReadLinesOptions } from './inventory-lines.js';
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

/**
 * Worker threads started ahead of their work (audit starts them before it
 * reads the baseline): each loads its modules and compiles its schemas
 * meanwhile. Closed by whoever started them, whatever happens.
 */
export class InventoryWorkers {
  private readonly workers: Worker[] = [];
  private closing = false;
  /** Why the workers cannot go on (one failed or stopped), once it happened. */
  failure: Error | undefined;
  /** What the read under way does with a worker's message (by the worker's position). */
  onMessage: ((id: number, m: FromWorker) => void) | undefined;
  /** Called when a worker fails, so that a read waiting for it wakes up. */
  onFailure: (() => void) | undefined;

  constructor(jobs: number) {
    const script = workerScript();
    for (let i = 0; i < jobs; i++) {
      const worker = new Worker(script);
      worker.on('message', (m: FromWorker) => this.onMessage?.(i, m));
      worker.on('error', (e) => this.fail(new Error(`an inventory worker failed: ${errorText(e)}`)));
      // A message that cannot be rebuilt on this side is lost: the read cannot finish without it.
      worker.on('messageerror', (e) => this.fail(new Error(`an inventory worker's message could not be read: ${errorText(e)}`)));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`an inventory worker stopped (exit code ${code})`));
      });
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.onFailure?.();
  }

  post(id: number, message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.workers[id]!.postMessage(message, transfer);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** A buffer twice as large, holding the first `filled` bytes of `buf`. */
function grown(buf: ArrayBuffer, filled: number): ArrayBuffer {
  const larger = new ArrayBuffer(buf.byteLength * 2);
  new Uint8Array(larger).set(new Uint8Array(buf, 0, filled));
  return larger;
}

/** A buffer of at least `size` bytes (twice the bytes moved, if more), holding `buf[from, filled)` at its start. */
function moved(buf: ArrayBuffer, from: number, filled: number, size: number): ArrayBuffer {
  const next = new ArrayBuffer(Math.max(size, (filled - from) * 2));
  new Uint8Array(next).set(new Uint8Array(buf, from, filled - from));
  return next;
}

/** Where the bytes come from: the file read straight into the caller's buffer, or gunzipped and copied into it. */
interface ByteSource {
  /** Fills `dest` as far as it can; 0 at the end. */
  fill(dest: Uint8Array): Promise<number>;
  close(): void;
}

function byteSource(file: string): ByteSource {
  if (inventoryEncoding(file) === 'jsonl.gz') {
    const { stream, close } = openInventoryStream(file);
    const chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    let current: Buffer | undefined;
    let at = 0;
    return {
      async fill(dest) {
        let n = 0;
        while (n < dest.length) {
          if (!current || at >= current.length) {
            const next = await chunks.next();
            if (next.done) break;
            current = next.value;
            at = 0;
          }
          const take = Math.min(dest.length - n, current.length - at);
          dest.set(current.subarray(at, at + take), n);
          at += take;
          n += take;
        }
        return n;
      },
      close,
    };
  }
  let fd: number | undefined;
  return {
    async fill(dest) {
      fd ??= openSync(file, 'r');
      const handle = fd;
      let n = 0;
      while (n < dest.length) {
        const got = await new Promise<number>((resolve, reject) => read(handle, dest, n, dest.length - n, null, (e, bytes) => (e ? reject(e) : resolve(bytes))));
        if (got === 0) break;
        n += got;
      }
      return n;
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

export interface EvaluatedInWorkers {
  header: InventoryHeader;
  /** The whole inventory's resource pass, absorbed: the caller finishes it. */
  evaluation: Evaluation;
  /** With `failing`: the resources (of the types not held) that failed a rule, in the file's order. */
  failing: Resource[];
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
  /** Workers started ahead (the caller closes them), or how many to start here (closed before this returns). */
  jobs: number | InventoryWorkers,
  prepare: (header: InventoryHeader) => Omit<EvaluationSetup, 'history'> | undefined,
  options: ReadLinesOptions & {
    /** Bytes per chunk (tests make it small, to spread a small file over every worker). */
    chunkBytes?: number;
    /** Also bring back the resources that failed a rule (SARIF locates a violation by its resource), in `failing`. */
    failing?: boolean;
  } = {},
): Promise<EvaluatedInWorkers | undefined> {
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const source = byteSource(file);
  const close = () => source.close();
  /** Buffers handed back by the workers, for the next chunks. */
  const free: ArrayBuffer[] = [];
  const takeBuffer = (size: number): ArrayBuffer => (size === chunkBytes && free.length > 0 ? free.pop()! : new ArrayBuffer(size));
  const problems = new ProblemList();
  const reader = new InventoryLineReader(options);
  const pool = typeof jobs === 'number' ? new InventoryWorkers(jobs) : jobs;
  const busy = new Array<number>(pool.size).fill(0);
  const results = new Map<number, ChunkResult>();
  const tallies: Tally[] = [];
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

  pool.onFailure = notify;
  pool.onMessage = (id, m) => {
    if (m.kind === 'chunk') {
      // The chunk's buffer, handed back: the next chunk is read into it.
      if (m.buffer.byteLength === chunkBytes) free.push(m.buffer);
      results.set(m.result.seq, m.result);
      busy[id]!--;
      inFlight--;
      // Violations are absorbed as they come: the worker forgets them once sent.
      evaluation!.absorb({ resources: 0, found: {}, matched: {}, violations: m.result.violations });
      m.result.violations = [];
    } else tallies.push(m.tally);
    notify();
  };

  const start = (setup: Omit<EvaluationSetup, 'history'>) => {
    const init: ToWorker = { kind: 'init', setup: { ...setup, now: setup.now.toISOString() }, options: { ...(options.duplicates ? { duplicates: true } : {}) }, failing: options.failing === true };
    for (let i = 0; i < pool.size; i++) pool.post(i, init);
  };

  const send = async (buffer: ArrayBuffer, offset: number, length: number) => {
    while (inFlight >= pool.size * IN_FLIGHT_PER_WORKER && !pool.failure) await waitForWorker();
    if (pool.failure) throw pool.failure;
    let id = 0;
    for (let i = 1; i < pool.size; i++) if (busy[i]! < busy[id]!) id = i;
    busy[id]!++;
    inFlight++;
    pool.post(id, { kind: 'chunk', seq: seq++, bytes: new Uint8Array(buffer, offset, length) }, [buffer]);
  };

  /** Set when `prepare` declines the inventory. */
  let declined = false;

  /**
   * Reads the header, the first line that is not blank, from `bytes[0, to)`:
   * returns where the bytes not yet consumed start (after the header once it
   * is read; after the blank lines before it while it is incomplete).
   */
  const takeHeader = (bytes: Buffer, to: number, ended: boolean): number => {
    let at = 0;
    while (at < to) {
      const nl = bytes.indexOf(10, at);
      if (nl === -1 && !ended) return at;
      const stop = nl === -1 ? to : nl;
      headerLine++;
      let text = bytes.toString('utf8', at, stop > at && bytes[stop - 1] === 13 ? stop - 1 : stop);
      if (headerLine === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
      at = nl === -1 ? to : nl + 1;
      if (text.trim() === '') continue;
      const read = reader.header(text);
      // A bad header: declined, so that the single-threaded reader lists every problem of the file, as it always does.
      header = read.value as InventoryHeader | undefined;
      const setup = header === undefined ? undefined : prepare(header);
      if (!setup) {
        declined = true;
        return to;
      }
      evaluation = new Evaluation(setup);
      start(setup);
      return at;
    }
    return at;
  };

  try {
    // Bytes are read straight into buffers that are then handed to a worker whole (transferred, not copied) and handed back.
    let buf = takeBuffer(chunkBytes);
    let filled = 0;
    let ended = false;
    while (!ended) {
      let n: number;
      try {
        n = await source.fill(new Uint8Array(buf, filled));
      } catch (e) {
        throw InputError.at({ file }, `cannot read: ${errorText(e)}`);
      }
      if (pool.failure) throw pool.failure;
      filled += n;
      ended = n === 0;
      if (!ended && filled < buf.byteLength) continue;
      const bytes = Buffer.from(buf, 0, filled);
      let from = 0;
      if (header === undefined) {
        from = takeHeader(bytes, filled, ended);
        if (declined) return undefined;
        if (header === undefined) {
          if (ended) break;
          // The header (or the blank lines before it) goes on past the buffer: what is left of it, in a larger one if need be.
          buf = from === 0 ? grown(buf, filled) : moved(buf, from, filled, chunkBytes);
          filled -= from;
          continue;
        }
      }
      // Whole lines go; the last line's start waits for its end, at the start of the next buffer.
      const cut = ended ? filled : bytes.lastIndexOf(10, filled - 1) + 1;
      if (cut <= from && !ended) {
        // One line longer than the buffer: a larger one (a worker reads it whole).
        buf = from === 0 ? grown(buf, filled) : moved(buf, from, filled, chunkBytes);
        filled -= from;
        continue;
      }
      const tail = filled - cut;
      const next = takeBuffer(Math.max(chunkBytes, tail + 1));
      new Uint8Array(next).set(bytes.subarray(cut, filled));
      if (cut > from) await send(buf, from, cut - from);
      buf = next;
      filled = tail;
    }
    if (header === undefined) {
      problems.add([{ file, message: EMPTY_INVENTORY_LINES }]);
      problems.check(file);
    }
    for (let i = 0; i < pool.size; i++) pool.post(i, { kind: 'end' });
    while (tallies.length < pool.size && !pool.failure) await waitForWorker();
    if (pool.failure) throw pool.failure;

    // Every chunk is in: place its problems in the whole file, judge the held resources in the file's order.
    let line = headerLine;
    let index = 0;
    const held: string[] = [];
    const failing: Resource[] = [];
    for (let s = 0; s < seq; s++) {
      const r = results.get(s);
      if (!r) throw new Error(`an inventory worker did not answer for chunk ${s}`);
      for (const p of r.problems) problems.add(placeLineProblems(file, line + p.line, `/resources/${index + p.index}`, p.problems));
      problems.more += r.moreProblems;
      for (const text of r.held) held.push(text);
      for (const text of r.failing) failing.push(JSON.parse(text) as Resource);
      line += r.lines;
      index += r.resources;
    }
    problems.check(file);
    for (const t of tallies) evaluation!.absorb(t);
    // Checked by the worker that read them: parsed again here, as plain JSON.
    for (const text of held) evaluation!.add(JSON.parse(text) as Resource);
    return { header: header!, evaluation: evaluation!, failing };
  } finally {
    close();
    pool.onMessage = undefined;
    pool.onFailure = undefined;
    if (typeof jobs === 'number') await pool.close();
  }
}
