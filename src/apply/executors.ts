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

export const EXECUTORS: ExecutorMap = Object.fromEntries(
  Object.entries(STEP_ACTIONS).flatMap(([kind, d]) => (d.manual ? [] : [[kind, d.executor]])),
) as ExecutorMap;

/** The executor of an API step; undefined for a manual one. */
export function executorFor(map: ExecutorMap, action: StepAction): Executor | undefined {
  return isManual(action) ? undefined : map[action as ApiAction];
}
