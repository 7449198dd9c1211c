import type { Plan } from '../model/plan.js';
import { findCycle } from '../plan/order.js';
import { ApplyRefused } from '../errors.js';

/**
 * Checks that the plan's dependencies form a graph apply can run (loadPlan
 * checks the same for a plan file; a plan handed in directly is checked here):
 * unique step ids, every dependency a step of the plan, no cycle.
 */
export function checkDependencies(plan: Pick<Plan, 'steps'>): void {
  const ids = new Set<string>();
  for (const s of plan.steps) {
    if (ids.has(s.id)) throw new ApplyRefused(`the plan has two steps with id '${s.id}'`);
    ids.add(s.id);
  }
  for (const s of plan.steps) {
    for (const d of s.dependsOn) if (!ids.has(d)) throw new ApplyRefused(`step '${s.id}' depends on '${d}', which is not a step of the plan`);
  }
  const cycle = findCycle(plan.steps);
  if (cycle) throw new ApplyRefused(`the plan's dependencies form a cycle: ${cycle.join(' -> ')}`);
}
