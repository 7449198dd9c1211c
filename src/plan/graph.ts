/**
 * The graph of a plan's steps, checked the same way wherever a plan comes
 * from: a plan file at load, a plan handed to apply directly.
 */

export interface GraphStep {
  id: string;
  dependsOn: Iterable<string>;
}

/** What can be wrong with a plan's graph; `step` and `dependency` are indexes into the steps and a step's dependsOn. */
export type GraphProblem =
  | { kind: 'duplicate-id'; step: number; id: string; first: number }
  | { kind: 'unknown-dependency'; step: number; id: string; dependency: number; missing: string }
  | { kind: 'cycle'; step: number; cycle: string[] };

/**
 * Everything wrong with the steps' graph, in this order: ids used twice (at
 * each later use), dependencies on ids no step has (at each), and one
 * dependency cycle (at the first step with the id it starts from).
 */
export function planGraphProblems(steps: readonly GraphStep[]): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const first = new Map<string, number>();
  steps.forEach((step, i) => {
    const seen = first.get(step.id);
    if (seen === undefined) first.set(step.id, i);
    else problems.push({ kind: 'duplicate-id', step: i, id: step.id, first: seen });
  });
  steps.forEach((step, i) => {
    [...step.dependsOn].forEach((missing, dependency) => {
      if (!first.has(missing)) problems.push({ kind: 'unknown-dependency', step: i, id: step.id, dependency, missing });
    });
  });
  const cycle = findCycle(steps);
  if (cycle) problems.push({ kind: 'cycle', step: first.get(cycle[0]!) ?? 0, cycle });
  return problems;
}

/** A dependency cycle as the ids along it (first id repeated at the end), or undefined. Unknown ids are ignored. */
export function findCycle(steps: readonly GraphStep[]): string[] | undefined {
  const deps = new Map(steps.map((s) => [s.id, [...s.dependsOn]]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const d of deps.get(id) ?? []) {
      if (!deps.has(d)) continue;
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const s of steps) {
    const cycle = visit(s.id);
    if (cycle) return cycle;
  }
  return undefined;
}
