import type { STEP_ACTIONS, WORKFLOWS } from '../actions/registry.js';
import type { ResourceType } from './resource.js';

/**
 * Remediation action kinds: the union comes from the registry
 * (src/actions/registry.ts), where each kind's module is listed once, and so
 * does the catalogue (ACTIONS, ACTION_KINDS). A rule's `remediation` lists
 * the kinds that fix it; the planner turns them into plan steps. Only types
 * here: the model imports nothing from the registry at run time.
 */
export type StepAction = keyof typeof STEP_ACTIONS;

/** `rotateAccessKey` is a workflow the planner expands into steps (create, switch, deactivate, delete); every other kind is one step. */
export type ActionKind = StepAction | keyof typeof WORKFLOWS;

export interface ActionSpec {
  /** Undo can put things back as they were, from what the journal records. */
  reversible: boolean;
  /** Deletes or terminates: planned only with --destructive, never from an incomplete inventory. */
  destructive: boolean;
  /** No API can do it for the caller: a person must, following the step's instructions. */
  manual: boolean;
  /** The resource types a step of this kind may target. */
  targets: readonly ResourceType[];
}
