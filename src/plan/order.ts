import type { StepAction } from '../model/action.js';
import { findCycle } from './graph.js';

/**
 * The order a plan follows: contain the intruder first (keys off, principals
 * quarantined, compute stopped), then cut what grants access, then destroy,
 * then what a person must do by hand. Within a phase, actions keep this order.
 * A rotation's replacement key and switch come first: the deactivation they
 * guard waits for them.
 */
export const PHASES = {
  contain: [
    'createReplacementKey',
    'manualSwitchCredentials',
    'deactivateAccessKey',
    'quarantineUser',
    'quarantineRole',
    'revokeRoleSessions',
    'throttleFunction',
    'stopInstance',
    'cancelSpotRequest',
    'cancelSpotFleetRequest',
  ],
  cut: ['detachPolicy', 'removeUserFromGroup', 'deleteLoginProfile', 'deleteInlinePolicy'],
  destroy: ['deleteAccessKey', 'terminateInstance', 'deleteFunction', 'deleteUser', 'deleteRole', 'deleteGroup', 'deletePolicy'],
  manual: ['manualRootPassword', 'manualRootMfa', 'manualRootAccessKeys', 'manualReview', 'manualContactSupport'],
} as const satisfies Record<string, readonly StepAction[]>;

export type Phase = keyof typeof PHASES;

/** Every step action in plan order. The registry test checks it lists each action once. */
export const ACTION_ORDER: readonly StepAction[] = Object.values(PHASES).flat();

export function phaseOf(action: StepAction): Phase {
  for (const [phase, actions] of Object.entries(PHASES) as [Phase, readonly StepAction[]][]) {
    if (actions.includes(action)) return phase;
  }
  throw new Error(`action ${action} has no phase`);
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
