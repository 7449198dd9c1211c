/**
 * Fakes of the Executor interface (plain objects, no AWS): a world of targets
 * keyed by step id, where a run flips the target to "done" and undo flips it
 * back, and every call is recorded. For apply's guards, journal and ordering.
 */
import { readFileSync } from 'node:fs';
import type { Executor, ExecutorMap, Observed } from '../../../src/apply/executor.js';
import type { RunIdentity } from '../../../src/apply/guards.js';
import type { AwsClients } from '../../../src/aws/clients.js';
import { ACTIONS, STEP_ACTIONS } from '../../../src/actions/registry.js';
import type { StepAction } from '../../../src/model/action.js';
import type { PlanStep } from '../../../src/model/plan.js';
import type { Plain } from '../../../src/model/resource.js';
import { OPERATOR_ARN } from '../../helpers/plans.js';
import { ACCOUNT } from '../../helpers/resources.js';
import { tempDir as removedTempDir } from '../../helpers/temp.js';

export const OPERATOR: RunIdentity = { account: ACCOUNT, arn: OPERATOR_ARN, userId: 'AIDAOPERATOR', accessKeyId: 'AKIAOPERATOR00000001' };
export const NO_CLIENTS = {} as AwsClients;

export interface FakeWorld {
  executors: ExecutorMap;
  calls: string[];
  /** Targets that are done (the step's effect is in place). */
  done: Set<string>;
  /** Targets that are gone. */
  gone: Set<string>;
  /** Observed props that differ from the plan's, by step id. */
  changed: Map<string, Record<string, Plain>>;
  /** Steps whose run throws this message. */
  failing: Map<string, string>;
  /** Most runs in flight at once. */
  maxInFlight: number;
  /** Called at the start of every run (to inspect the journal, say). */
  onRun?: (step: PlanStep) => void;
}

const tick = () => new Promise((r) => setTimeout(r, Math.floor(Math.random() * 5)));

export function fakeWorld(): FakeWorld {
  let inFlight = 0;
  const w: FakeWorld = { executors: {} as ExecutorMap, calls: [], done: new Set(), gone: new Set(), changed: new Map(), failing: new Map(), maxInFlight: 0 };
  const fake: Executor = {
    async observe(step): Promise<Observed> {
      w.calls.push(`observe ${step.id}`);
      await tick();
      if (w.gone.has(step.id)) return { exists: false, props: {} };
      return { exists: true, props: { ...step.precondition.props, ...(w.changed.get(step.id) ?? {}) } };
    },
    async run(step, ctx) {
      inFlight++;
      w.maxInFlight = Math.max(w.maxInFlight, inFlight);
      try {
        w.onRun?.(step);
        w.calls.push(`run ${step.id}`);
        await tick();
        if (w.done.has(step.id)) return { result: 'already' };
        ctx.intend({ target: step.target.id });
        // A failure comes after the intent, as a real call's would: whether it changed anything is then unknown.
        const failure = w.failing.get(step.id);
        if (failure) throw new Error(failure);
        w.done.add(step.id);
        return { result: 'done', undo: { target: step.target.id } };
      } finally {
        inFlight--;
      }
    },
    async undo(step, recorded) {
      w.calls.push(`undo ${step.id} ${String(recorded.target)}`);
      const failure = w.failing.get(`undo ${step.id}`);
      if (failure) throw new Error(failure);
      w.done.delete(step.id);
      return 'undone';
    },
  };
  // Irreversible actions record nothing for undo and have no undo, as the real ones.
  const { undo: _undo, ...irreversible } = fake;
  const oneWay: Executor = { ...irreversible, run: async (step, ctx) => ({ result: (await fake.run(step, ctx)).result }) };
  w.executors = Object.fromEntries(Object.keys(STEP_ACTIONS).filter((k) => !ACTIONS[k as StepAction].manual).map((k) => [k, ACTIONS[k as StepAction].reversible ? fake : oneWay])) as unknown as ExecutorMap;
  return w;
}

/** A fresh temporary folder for plans, journals and secrets, removed when the test is done. */
export function tempDir(): string {
  return removedTempDir('rollcall-apply-');
}

/** The journal's lines, parsed. */
export function journalLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
