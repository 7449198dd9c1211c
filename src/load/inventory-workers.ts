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
import { InventoryLineReader, inventoryEncoding, openInventoryStream, placeLineProblems, ProblemList } from './inventory-lines.js';
import type { ChunkResult, FromWorker, ToWorker, WorkerData } from './inventory-worker-messages.js';
import type { Tally } from '../engine/evaluation.js';
import type { Violation } from '../model/violation.js';
import { errorText } from './yaml-file.js';

export type InventoryHeader = Omit<Inventory, 'resources'>;

/** Bytes handed to a worker at once: large enough that messages cost nothing, small enough to balance the workers. */
const CHUNK_BYTES = 2 << 20;
/** A worker's young generation, in MiB (resourceLimits.maxYoungGenerationSizeMb). */
const YOUNG_GENERATION_MB = 48;
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

  /** `failing`: the workers keep the lines of the resources that failed a rule (SARIF locates a violation by its resource), early chunks' too. */
  constructor(jobs: number, options: { failing?: boolean } = {}) {
    const script = workerScript();
    try {
      this.start(script, jobs, options);
    } catch (e) {
      // A worker that cannot start: those that did are stopped, not left running.
      void this.close();
      throw e;
    }
  }

  private start(script: URL, jobs: number, options: { failing?: boolean }): void {
    for (let i = 0; i < jobs; i++) {
      // A young generation larger than V8's default: a worker's objects die young (each resource is judged and let go), and fewer scavenges cost less (about a tenth of an audit of a million resources).
      const worker = new Worker(script, { workerData: { failing: options.failing === true } satisfies WorkerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
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

export interface ReadOptions {
  /** Bytes per chunk (tests make it small, to spread a small file over every worker). */
  chunkBytes?: number;
}

/**
 * One inventory read by the workers, in two steps: `begin` reads the header
 * and hands out the first chunks before the evaluation's setup is known (the
 * workers parse and check them while the main thread reads the baseline and
 * the rules), `finish` sends the setup, hands out the rest and collects what
 * the workers found. Either step may decline (undefined): a header this read
 * cannot use (bad, or none), or one the caller does not accept; the caller
 * then reads the inventory whole, whose reader says what is wrong, in the
 * order it always has.
 */
export class InventoryRead {
  private readonly chunkBytes: number;
  private readonly source: ByteSource;
  /** Buffers handed back by the workers, for the next chunks. */
  private readonly free: ArrayBuffer[] = [];
  private readonly problems = new ProblemList();
  private readonly reader = new InventoryLineReader();
  private readonly busy: number[];
  private readonly results = new Map<number, ChunkResult>();
  private readonly tallies: Tally[] = [];
  private wake: (() => void) | undefined;
  private header: InventoryHeader | undefined;
  private headerLine = 0;
  private evaluation: Evaluation | undefined;
  private seq = 0;
  private inFlight = 0;
  private buf: ArrayBuffer;
  private filled = 0;
  private ended = false;
  /** Violations that came back before the evaluation they belong to exists. */
  private early: Violation[] = [];

  constructor(
    private readonly file: string,
    private readonly pool: InventoryWorkers,
    options: ReadOptions = {},
  ) {
    this.chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
    this.source = byteSource(file);
    this.busy = new Array<number>(pool.size).fill(0);
    this.buf = this.takeBuffer(this.chunkBytes);
    pool.onFailure = () => this.notify();
    pool.onMessage = (id, m) => {
      if (m.kind === 'chunk') {
        // The chunk's buffer, handed back: the next chunk is read into it.
        if (m.buffer.byteLength === this.chunkBytes) this.free.push(m.buffer);
        this.results.set(m.result.seq, m.result);
        this.busy[id]!--;
        this.inFlight--;
        // Violations are taken as they come: the worker forgets them once sent.
        if (this.evaluation) this.evaluation.absorb({ resources: 0, found: {}, matched: {}, violations: m.result.violations });
        else for (const v of m.result.violations) this.early.push(v);
        m.result.violations = [];
      } else this.tallies.push(m.tally);
      this.notify();
    };
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private waitForWorker(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  private takeBuffer(size: number): ArrayBuffer {
    return size === this.chunkBytes && this.free.length > 0 ? this.free.pop()! : new ArrayBuffer(size);
  }

  private async send(buffer: ArrayBuffer, offset: number, length: number, limit: number): Promise<void> {
    const { pool } = this;
    while (this.inFlight >= limit && !pool.failure) await this.waitForWorker();
    if (pool.failure) throw pool.failure;
    let id = 0;
    for (let i = 1; i < pool.size; i++) if (this.busy[i]! < this.busy[id]!) id = i;
    this.busy[id]!++;
    this.inFlight++;
    pool.post(id, { kind: 'chunk', seq: this.seq++, bytes: new Uint8Array(buffer, offset, length) }, [buffer]);
  }

  /**
   * Reads the header, the first line that is not blank, from `bytes[0, to)`:
   * returns where the bytes not yet consumed start (after the header once it
   * is read; after the blank lines before it while it is incomplete). A header
   * with problems is left unread: the read declines.
   */
  private takeHeader(bytes: Buffer, to: number, ended: boolean): number | undefined {
    let at = 0;
    while (at < to) {
      const nl = bytes.indexOf(10, at);
      if (nl === -1 && !ended) return at;
      const stop = nl === -1 ? to : nl;
      this.headerLine++;
      let text = bytes.toString('utf8', at, stop > at && bytes[stop - 1] === 13 ? stop - 1 : stop);
      if (this.headerLine === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
      at = nl === -1 ? to : nl + 1;
      if (text.trim() === '') continue;
      const read = this.reader.header(text);
      if (read.problems) return undefined;
      this.header = read.value as InventoryHeader;
      return at;
    }
    return at;
  }

  /**
   * Reads on until `until` bytes are handed out (or the end), `limit` chunks
   * in flight at most. Before the setup, the workers answer nothing: the
   * early bytes also stop at `limit` chunks (waiting for an answer then would
   * wait for ever). False: the header cannot be used (declined).
   */
  private async pump(until: number, limit: number): Promise<boolean> {
    let handed = 0;
    while (!this.ended && (this.header === undefined || (handed < until && (this.evaluation !== undefined || this.inFlight < limit)))) {
      let n: number;
      try {
        n = await this.source.fill(new Uint8Array(this.buf, this.filled));
      } catch (e) {
        throw InputError.at({ file: this.file }, `cannot read: ${errorText(e)}`);
      }
      if (this.pool.failure) throw this.pool.failure;
      this.filled += n;
      this.ended = n === 0;
      if (!this.ended && this.filled < this.buf.byteLength) continue;
      const bytes = Buffer.from(this.buf, 0, this.filled);
      let from = 0;
      if (this.header === undefined) {
        const at = this.takeHeader(bytes, this.filled, this.ended);
        if (at === undefined) return false;
        from = at;
        if (this.header === undefined) {
          // No header yet: an empty file (declined: its reader says so), or a header (or blank lines) going on past the buffer.
          if (this.ended) return false;
          this.buf = from === 0 ? grown(this.buf, this.filled) : moved(this.buf, from, this.filled, this.chunkBytes);
          this.filled -= from;
          continue;
        }
      }
      // Whole lines go; the last line's start waits for its end, at the start of the next buffer.
      const cut = this.ended ? this.filled : bytes.lastIndexOf(10, this.filled - 1) + 1;
      if (cut <= from && !this.ended) {
        // One line longer than the buffer: a larger one (a worker reads it whole).
        this.buf = from === 0 ? grown(this.buf, this.filled) : moved(this.buf, from, this.filled, this.chunkBytes);
        this.filled -= from;
        continue;
      }
      const tail = this.filled - cut;
      const next = this.takeBuffer(Math.max(this.chunkBytes, tail + 1));
      new Uint8Array(next).set(bytes.subarray(cut, this.filled));
      if (cut > from) {
        await this.send(this.buf, from, cut - from, limit);
        handed += cut - from;
      }
      this.buf = next;
      this.filled = tail;
    }
    return true;
  }

  /**
   * Reads the header and hands out up to `earlyBytes` of lines, which the
   * workers parse and check but cannot judge yet. Undefined: declined.
   */
  async begin(earlyBytes: number): Promise<InventoryHeader | undefined> {
    // Before the setup, the workers hold what they parse: as many chunks in flight as the early bytes make.
    const limit = Math.max(this.pool.size * IN_FLIGHT_PER_WORKER, Math.ceil(earlyBytes / this.chunkBytes) + 1);
    if (!(await this.pump(earlyBytes, limit))) return undefined;
    return this.header;
  }

  /** Sends the setup, reads the rest and collects the workers' findings: the evaluation, for the caller to finish. */
  async finish(setup: Omit<EvaluationSetup, 'history'>): Promise<EvaluatedInWorkers> {
    const { pool, problems, file } = this;
    const evaluation = new Evaluation(setup);
    this.evaluation = evaluation;
    evaluation.absorb({ resources: 0, found: {}, matched: {}, violations: this.early });
    this.early = [];
    const init: ToWorker = { kind: 'init', setup: { ...setup, now: setup.now.toISOString() } };
    for (let i = 0; i < pool.size; i++) pool.post(i, init);
    await this.pump(Infinity, pool.size * IN_FLIGHT_PER_WORKER);
    for (let i = 0; i < pool.size; i++) pool.post(i, { kind: 'end' });
    while (this.tallies.length < pool.size && !pool.failure) await this.waitForWorker();
    if (pool.failure) throw pool.failure;

    // Every chunk is in: place its problems in the whole file, judge the held resources in the file's order.
    let line = this.headerLine;
    let index = 0;
    const held: string[] = [];
    const failed: Resource[] = [];
    for (let s = 0; s < this.seq; s++) {
      const r = this.results.get(s);
      if (!r) throw new Error(`an inventory worker did not answer for chunk ${s}`);
      for (const p of r.problems) problems.add(placeLineProblems(file, line + p.line, `/resources/${index + p.index}`, p.problems));
      problems.more += r.moreProblems;
      for (const text of r.held) held.push(text);
      for (const text of r.failing) failed.push(JSON.parse(text) as Resource);
      line += r.lines;
      index += r.resources;
    }
    problems.check(file);
    for (const t of this.tallies) evaluation.absorb(t);
    // Checked by the worker that read them: parsed again here, as plain JSON.
    for (const text of held) evaluation.add(JSON.parse(text) as Resource);
    return { header: this.header!, evaluation, failing: failed };
  }

  close(): void {
    this.source.close();
    this.pool.onMessage = undefined;
    this.pool.onFailure = undefined;
  }
}

/**
 * Reads `file` (JSON Lines, gzipped or not) with `jobs` workers in one go:
 * `prepare` turns the header into the evaluation's setup, or says with
 * undefined that this inventory is to be read whole instead (as it is when
 * the header is bad or missing): then the result is undefined.
 */
export async function evaluateInWorkers(
  file: string,
  /** Workers started ahead (the caller closes them), or how many to start here (closed before this returns). */
  jobs: number | InventoryWorkers,
  prepare: (header: InventoryHeader) => Omit<EvaluationSetup, 'history'> | undefined,
  options: ReadOptions & { failing?: boolean; earlyBytes?: number } = {},
): Promise<EvaluatedInWorkers | undefined> {
  const pool = typeof jobs === 'number' ? new InventoryWorkers(jobs, { failing: options.failing === true }) : jobs;
  const read = new InventoryRead(file, pool, options);
  try {
    const header = await read.begin(options.earlyBytes ?? 0);
    const setup = header === undefined ? undefined : prepare(header);
    if (!setup) return undefined;
    return await read.finish(setup);
  } finally {
    read.close();
    if (typeof jobs === 'number') await pool.close();
  }
}
