/**
 * Every API step action and its executor, from each action's module
 * (src/actions/<action>.ts): a kind that is not manual does not compile
 * without one (manual kinds have none: a person does them).
 */
import { ACTIONS, STEP_ACTIONS } from '../actions/registry.js';
import type { StepAction } from '../model/action.js';
import type { Executor, ExecutorMap } from './executor.js';

export type ApiAction = keyof ExecutorMap;

export function isManual(action: StepAction): action is Exclude<StepAction, ApiAction> {
  return ACTIONS[action].manual;
}

/**
 * Every executor, loaded: each action's module names its executor by a
 * dynamic import, so the commands that only read plans and rules never load
 * the AWS SDK clients the executors use.
 */
export async function loadExecutors(): Promise<ExecutorMap> {
  const loaded = await Promise.all(Object.entries(STEP_ACTIONS).flatMap(([kind, d]) => (d.manual ? [] : [d.executor().then((e) => [kind, e] as const)])));
  return Object.fromEntries(loaded) as unknown as ExecutorMap;
}

/** The executor of an API step; undefined for a manual one. */
export function executorFor(map: ExecutorMap, action: StepAction): Executor | undefined {
  return isManual(action) ? undefined : map[action as ApiAction];
}
