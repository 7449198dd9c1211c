/** What the main thread and an inventory worker (inventory-worker.ts) say to each other: plain data only, it is cloned between threads. */
import type { EvaluationSetup, Tally } from '../engine/evaluation.js';
import type { Violation } from '../model/violation.js';
import type { LineProblem } from './inventory-lines.js';

/** Given to each worker when it starts. */
export interface WorkerData {
  /** Also hand back the lines of the resources that failed a rule (SARIF locates their violations by them). */
  failing: boolean;
}

/** The evaluation's setup, with `now` as text (no timeline: an inventory read by workers is audited without one). */
export type WorkerSetup = Omit<EvaluationSetup, 'now' | 'history'> & { now: string };

export type ToWorker =
  /** The evaluation's setup: chunks that came before it are judged now, later ones as they come. */
  | { kind: 'init'; setup: WorkerSetup }
  /** Whole lines of the inventory, after its header, as bytes (transferred, not copied). */
  | { kind: 'chunk'; seq: number; bytes: Uint8Array<ArrayBuffer> }
  | { kind: 'end' };

/** One chunk read: positions are the chunk's own (its first line is line 1, its first resource 0); the main thread adds where the chunk starts. */
export interface ChunkResult {
  seq: number;
  /** Lines in the chunk, blank ones included. */
  lines: number;
  /** Resource lines (not blank), valid or not. */
  resources: number;
  problems: { line: number; index: number; problems: LineProblem[] }[];
  moreProblems: number;
  /**
   * The lines (text, checked) of the resources of the types judged whole
   * (DECLARED_FROM_RESOURCES), in the chunk's order: text, not objects, so
   * that no depth of nesting an inventory holds can break the hand-over.
   */
  held: string[];
  /** With WorkerData's `failing`: the lines of the other resources that failed a rule. */
  failing: string[];
  violations: Violation[];
}

/** A chunk's result comes with the chunk's buffer, handed back (transferred) to be read into again. */
export type FromWorker = { kind: 'chunk'; result: ChunkResult; buffer: ArrayBuffer } | { kind: 'tally'; tally: Tally };
