/**
 * A worker thread that reads part of a JSON Lines inventory and judges it
 * (load/inventory-workers.ts starts it): it receives whole lines as bytes,
 * checks each as the single-threaded reader does, feeds every resource to its
 * own Evaluation, and sends back, chunk by chunk, the violations found, the
 * problems (positioned in the chunk), and the resources of the types the
 * engine judges whole (DECLARED_FROM_RESOURCES), which the main thread
 * judges. At the end it sends its tally: how many resources matched each
 * baseline entry and were found per region and type. It holds no resource
 * longer than its chunk.
 */
import { isAscii } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import { DECLARED_FROM_RESOURCES } from '../engine/declarations.js';
import { Evaluation } from '../engine/evaluation.js';
import { InventoryLineReader } from './inventory-lines.js';
import { MAX_PROBLEMS } from './schemas.js';
import type { ChunkResult, FromWorker, ToWorker, WorkerData } from './inventory-worker-messages.js';
import type { Resource } from '../model/resource.js';

const port = parentPort;
if (!port) throw new Error('inventory-worker.js runs as a worker thread');

let evaluation: Evaluation | undefined;
// Made now, before any work comes: its schemas compile while the main thread still reads the baseline.
const reader = new InventoryLineReader({ intern: false });
const { failing: keepFailing } = workerData as WorkerData;
/** After a problem the inventory will be refused: lines are still checked (every problem is reported), no longer judged. */
let refused = false;

/** A chunk read: its lines checked, its resources handed to `judge` one by one. */
function readLines(bytes: Uint8Array, judge: (r: Resource, text: string, out: ChunkResult) => void, seq: number): ChunkResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: ChunkResult = { seq, lines: 0, resources: 0, problems: [], moreProblems: 0, held: [], failing: [], violations: [] };
  // A chunk of ASCII (what collect writes, but for names and tags outside it) is decoded as Latin-1: the same text, without UTF-8's checks.
  const encoding = isAscii(buf) ? 'latin1' : 'utf8';
  let start = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(10, start);
    const stop = nl === -1 ? buf.length : nl;
    out.lines++;
    const end = stop > start && buf[stop - 1] === 13 ? stop - 1 : stop;
    const text = buf.toString(encoding, start, end);
    start = stop + 1;
    if (text.trim() === '') continue;
    const read = reader.resource(text);
    if (read.problems) {
      if (out.problems.length < MAX_PROBLEMS) out.problems.push({ line: out.lines, index: out.resources, problems: read.problems });
      else out.moreProblems += read.problems.length;
      refused = true;
    } else if (!refused) judge(read.value, text, out);
    out.resources++;
  }
  return out;
}

/** Judges one resource, or keeps its line for the main thread (a type judged whole). */
function judge(r: Resource, text: string, out: ChunkResult): void {
  if (DECLARED_FROM_RESOURCES.has(r.type)) {
    out.held.push(text);
    return;
  }
  const before = evaluation!.pending;
  evaluation!.add(r);
  if (keepFailing && evaluation!.pending > before) out.failing.push(text);
}

/** Chunks that came before the setup: read and checked, their resources waiting to be judged. */
const waiting: { result: ChunkResult; resources: { r: Resource; text: string }[]; buffer: ArrayBuffer }[] = [];

function reply(result: ChunkResult, buffer: ArrayBuffer): void {
  result.violations = refused ? [] : evaluation!.takeViolations();
  port!.postMessage({ kind: 'chunk', result, buffer } satisfies FromWorker, [buffer]);
}

port.on('message', (m: ToWorker) => {
  if (m.kind === 'init') {
    evaluation = new Evaluation({ ...m.setup, now: new Date(m.setup.now) });
    for (const w of waiting.splice(0)) {
      if (!refused) for (const { r, text } of w.resources) judge(r, text, w.result);
      reply(w.result, w.buffer);
    }
    return;
  }
  if (m.kind === 'chunk') {
    if (evaluation) reply(readLines(m.bytes, judge, m.seq), m.bytes.buffer);
    else {
      const resources: { r: Resource; text: string }[] = [];
      // The text is kept only where it will be handed back (a held type's, or any when failing resources are asked for).
      const keep = (r: Resource, text: string) => resources.push({ r, text: keepFailing || DECLARED_FROM_RESOURCES.has(r.type) ? text : '' });
      waiting.push({ result: readLines(m.bytes, keep, m.seq), resources, buffer: m.bytes.buffer });
    }
  } else port.postMessage({ kind: 'tally', tally: evaluation!.tally() } satisfies FromWorker);
});
