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
import { parentPort } from 'node:worker_threads';
import { DECLARED_FROM_RESOURCES } from '../engine/declarations.js';
import { Evaluation } from '../engine/evaluation.js';
import { InventoryLineReader } from './inventory-lines.js';
import { MAX_PROBLEMS } from './schemas.js';
import type { ChunkResult, ToWorker, FromWorker } from './inventory-worker-messages.js';

const port = parentPort;
if (!port) throw new Error('inventory-worker.js runs as a worker thread');

let evaluation: Evaluation | undefined;
// Made now, before any work comes: its schemas compile while the main thread still reads the baseline.
let reader = new InventoryLineReader({ intern: false });
/** After a problem the inventory will be refused: lines are still checked (every problem is reported), no longer judged. */
let refused = false;
let keepFailing = false;

function readChunk(seq: number, bytes: Uint8Array): ChunkResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const problems: ChunkResult['problems'] = [];
  let moreProblems = 0;
  const held: string[] = [];
  const failing: string[] = [];
  let lines = 0;
  let index = 0;
  let start = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(10, start);
    const stop = nl === -1 ? buf.length : nl;
    lines++;
    const end = stop > start && buf[stop - 1] === 13 ? stop - 1 : stop;
    const text = buf.toString('utf8', start, end);
    start = stop + 1;
    if (text.trim() === '') continue;
    const read = reader.resource(text);
    if (read.problems) {
      if (problems.length < MAX_PROBLEMS) problems.push({ line: lines, index, problems: read.problems });
      else moreProblems += read.problems.length;
      refused = true;
    } else if (!refused) {
      if (DECLARED_FROM_RESOURCES.has(read.value.type)) held.push(text);
      else {
        const before = evaluation!.pending;
        evaluation!.add(read.value);
        if (keepFailing && evaluation!.pending > before) failing.push(text);
      }
    }
    index++;
  }
  return { seq, lines, resources: index, problems, moreProblems, held, failing, violations: refused ? [] : evaluation!.takeViolations() };
}

port.on('message', (m: ToWorker) => {
  if (m.kind === 'init') {
    if (m.options.duplicates) reader = new InventoryLineReader({ ...m.options, intern: false });
    evaluation = new Evaluation({ ...m.setup, now: new Date(m.setup.now) });
    keepFailing = m.failing;
    return;
  }
  if (m.kind === 'chunk') {
    const reply: FromWorker = { kind: 'chunk', result: readChunk(m.seq, m.bytes), buffer: m.bytes.buffer };
    port.postMessage(reply, [m.bytes.buffer]);
  } else port.postMessage({ kind: 'tally', tally: evaluation!.tally() } satisfies FromWorker);
});
