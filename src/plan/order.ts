import type { Phase } from '../actions/definition.js';
import { ACTION_ORDER, definitionOf, PHASES } from '../actions/registry.js';
import type { StepAction } from '../model/action.js';
import { findCycle } from './graph.js';

/**
 * The order a plan follows: contain the intruder first (keys off, principals
 * quarantined, compute stopped), then cut what grants access, then destroy,
 * then what a person must do by hand. Each action's module names its phase;
 * within a phase, actions keep the registry's order (a rotation's
 * replacement key and switch come first: the deactivation they guard waits
 * for them).
 */
export { PHASES, ACTION_ORDER, type Phase };

export function phaseOf(action: StepAction): Phase {
  return definitionOf(action).phase;
}

interface Orderable {
  id: string;
  action: StepAction;
  target: { subject: string };
  dependsOn: Iterable<string>;
}

/**
 * Orders steps by phase and action, then by subject, moving a step only as
 * far as its dependencies require (Kahn's algorithm, always taking the first
 * ready step). The same steps always come out in the same order.
 */
export function orderSteps<T extends Orderable>(steps: readonly T[]): T[] {
  const rank = (s: T) => ACTION_ORDER.indexOf(s.action);
  const before = (a: T, b: T) => rank(a) - rank(b) || (a.target.subject < b.target.subject ? -1 : a.target.subject > b.target.subject ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const byId = new Map(steps.map((s) => [s.id, s]));
  const waiting = new Map(steps.map((s) => [s.id, new Set([...s.dependsOn].filter((d) => byId.has(d)))]));
  const ready = steps.filter((s) => waiting.get(s.id)!.size === 0);
  const out: T[] = [];
  while (ready.length > 0) {
    ready.sort(before);
    const next = ready.shift()!;
    out.push(next);
    for (const s of steps) {
      const w = waiting.get(s.id)!;
      if (w.delete(next.id) && w.size === 0) ready.push(s);
    }
  }
  if (out.length !== steps.length) throw new Error(`plan steps have a dependency cycle: ${(findCycle(steps) ?? []).join(' -> ')}`);
  return out;
}
