/**
 * A run killed after any step resumes to the same end state, with every step
 * done exactly once, and every reversible step's undo data kept. The kill is simulated where it hurts most: right after a
 * step changed the account and before its journal line was written; from then
 * on the "dead" run does nothing more.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import type { ExecutorMap } from '../../src/apply/executor.js';
import { loadExecutors } from '../../src/apply/executors.js';
import { identify } from '../../src/apply/guards.js';
import type { AwsClients } from '../../src/aws/clients.js';
import { compromisePlan, inTemp, makeClients, seedAccount, snapshot } from '../helpers/apply-fixture.js';
import { tempDir, journalLines } from '../unit/apply/fakes.js';

class Killed extends Error {}

/** The real executors, counting each step's `done`; with `killAfter`, the run dies right after that many steps acted. */
function instrumented(tally: Map<string, number>, killAfter?: number): ExecutorMap {
  let acted = 0;
  let dead = false;
  const wrap = (e: ExecutorMap[keyof ExecutorMap]) => ({
    ...e,
    async run(...args: Parameters<typeof e.run>) {
      if (dead) throw new Killed('the process is gone');
      const outcome = await e.run(...args);
      if (outcome.result === 'done') tally.set(args[0].id, (tally.get(args[0].id) ?? 0) + 1);
      if (++acted === killAfter) {
        dead = true;
        throw new Killed('killed after the step acted, before it was journaled');
      }
      return outcome;
    },
  });
  return Object.fromEntries(Object.entries(EXECUTORS).map(([k, e]) => [k, wrap(e as ExecutorMap[keyof ExecutorMap])])) as unknown as ExecutorMap;
}

/** The replacement key's id depends on when it was made: name it by what it is. */
function normalised(s: Record<string, unknown>, seededKeys: string[]): Record<string, unknown> {
  const keys = (s['legacy-bot keys'] as string[]).map((k) => (seededKeys.some((id) => k.startsWith(id)) ? k : k.replace(/^\S+/, 'REPLACEMENT')));
  return { ...s, 'legacy-bot keys': keys.sort() };
}

let clients: AwsClients | undefined;
afterEach(() => clients?.destroy());

async function fresh() {
  const seeded = await seedAccount();
  clients = makeClients();
  const caller = await identify(clients);
  const { plan } = await compromisePlan(clients.iam(), seeded, caller);
  return { seeded, plan, caller, clients, seededKeys: Object.values(seeded.keys) };
}

let EXECUTORS: ExecutorMap;
let expected: Record<string, unknown>;
let stepCount: number;
beforeAll(async () => {
  EXECUTORS = await loadExecutors();
  const f = await fresh();
  const result = await applyPlan(f.plan, { clients: f.clients, identity: f.caller, ...inTemp(tempDir()) });
  expect(result.exitCode).toBe(0);
  expected = normalised(await snapshot(f.clients.iam()), f.seededKeys);
  stepCount = f.plan.steps.length;
  f.clients.destroy();
  clients = undefined;
});

describe('a run killed after each possible step', () => {
  it.each(Array.from({ length: 10 }, (_, i) => i + 1))('killed after step %i: the resumed run reaches the same end state, each step done once', async (k) => {
    expect(stepCount).toBe(10);
    const f = await fresh();
    const dir = inTemp(tempDir());
    const tally = new Map<string, number>();
    const killed = await applyPlan(f.plan, { clients: f.clients, identity: f.caller, ...dir, concurrency: 1, executors: instrumented(tally, k) });
    expect(killed.exitCode).toBe(1);
    expect(killed.steps.filter((s) => s.status === 'done')).toHaveLength(k - 1);

    const resumed = await applyPlan(f.plan, { clients: f.clients, identity: f.caller, ...dir, executors: instrumented(tally) });
    expect(resumed.exitCode).toBe(0);
    const count = (status: string) => resumed.steps.filter((s) => s.status === status).length;
    // The killed step's intent is settled by observing: done, with the undo data read before its change.
    expect([count('resumed'), count('already'), count('done')]).toEqual([k - 1, 0, 11 - k]);
    expect(f.plan.steps.map((s) => tally.get(s.id))).toEqual(f.plan.steps.map(() => 1));
    expect(normalised(await snapshot(f.clients.iam()), f.seededKeys)).toEqual(expected);
    const journaled = journalLines(`${dir.planFile}.journal`).filter((l) => l.type === 'step').map((l) => l.id);
    expect(journaled.sort()).toEqual(f.plan.steps.map((s) => s.id).sort());
    const outcomes = journalLines(`${dir.planFile}.journal`).filter((l) => l.type === 'step');
    for (const step of f.plan.steps.filter((s) => s.reversible)) {
      expect(outcomes.find((l) => l.id === step.id), `${step.id} keeps its undo data`).toHaveProperty('undo');
    }
  });
});
