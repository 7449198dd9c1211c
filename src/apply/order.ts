import type { Plan } from '../model/plan.js';
import { planGraphProblems } from '../plan/graph.js';
import { ApplyRefused } from '../errors.js';

/**
 * Checks that the plan's dependencies form a graph apply can run, by the
 * check loadPlan makes of a plan file (a plan handed in directly is checked
 * here): unique step ids, every dependency a step of the plan, no cycle.
 * Refuses at the first problem.
 */
export function checkDependencies(plan: Pick<Plan, 'steps'>): void {
  const [p] = planGraphProblems(plan.steps);
  if (p === undefined) return;
  if (p.kind === 'duplicate-id') throw new ApplyRefused(`the plan has two steps with id '${p.id}'`);
  if (p.kind === 'unknown-dependency') throw new ApplyRefused(`step '${p.id}' depends on '${p.missing}', which is not a step of the plan`);
  throw new ApplyRefused(`the plan's dependencies form a cycle: ${p.cycle.join(' -> ')}`);
}
