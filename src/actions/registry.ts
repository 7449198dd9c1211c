/**
 * Every action kind, assembled from its module. Adding an action is its
 * module under src/actions/ and one line here: the action union, the
 * catalogue, the phases, the planner's hooks and apply's executors all come
 * from these maps, and a kind whose definition lacks an executor (or the
 * manual marker) or an undo decision does not compile.
 */
import type { ActionKind, ActionSpec, StepAction } from '../model/action.js';
import { PHASE_NAMES, type ActionDefinition, type Phase, type PlanHook, type WorkflowDefinition } from './definition.js';
import { cancelSpotFleetRequest } from './cancelSpotFleetRequest.js';
import { cancelSpotRequest } from './cancelSpotRequest.js';
import { createReplacementKey } from './createReplacementKey.js';
import { deactivateAccessKey } from './deactivateAccessKey.js';
import { deleteAccessKey } from './deleteAccessKey.js';
import { deleteFunction } from './deleteFunction.js';
import { deleteGroup } from './deleteGroup.js';
import { deleteInlinePolicy } from './deleteInlinePolicy.js';
import { deleteLoginProfile } from './deleteLoginProfile.js';
import { deletePolicy } from './deletePolicy.js';
import { deleteRole } from './deleteRole.js';
import { deleteUser } from './deleteUser.js';
import { detachPolicy } from './detachPolicy.js';
import { manualContactSupport } from './manualContactSupport.js';
import { manualHandOverPassword } from './manualHandOverPassword.js';
import { manualReview } from './manualReview.js';
import { manualRootAccessKeys } from './manualRootAccessKeys.js';
import { manualRootMfa } from './manualRootMfa.js';
import { manualRootPassword } from './manualRootPassword.js';
import { manualSwitchCredentials } from './manualSwitchCredentials.js';
import { quarantineRole } from './quarantineRole.js';
import { quarantineUser } from './quarantineUser.js';
import { removeUserFromGroup } from './removeUserFromGroup.js';
import { resetLoginProfilePassword } from './resetLoginProfilePassword.js';
import { restoreRoleTrust } from './restoreRoleTrust.js';
import { revokeRoleSessions } from './revokeRoleSessions.js';
import { rotateAccessKey } from './rotateAccessKey.js';
import { startTrailLogging } from './startTrailLogging.js';
import { stopInstance } from './stopInstance.js';
import { terminateInstance } from './terminateInstance.js';
import { throttleFunction } from './throttleFunction.js';

/** Every step action. A plan orders its steps by phase, then in this order within a phase. */
export const STEP_ACTIONS = {
  startTrailLogging,
  createReplacementKey,
  manualSwitchCredentials,
  deactivateAccessKey,
  resetLoginProfilePassword,
  quarantineUser,
  quarantineRole,
  revokeRoleSessions,
  throttleFunction,
  stopInstance,
  cancelSpotRequest,
  cancelSpotFleetRequest,
  restoreRoleTrust,
  detachPolicy,
  removeUserFromGroup,
  deleteLoginProfile,
  deleteInlinePolicy,
  deleteAccessKey,
  terminateInstance,
  deleteFunction,
  deleteUser,
  deleteRole,
  deleteGroup,
  deletePolicy,
  manualRootPassword,
  manualRootMfa,
  manualRootAccessKeys,
  manualHandOverPassword,
  manualReview,
  manualContactSupport,
} satisfies Record<string, ActionDefinition>;

/** Kinds a rule may name that the planner expands into steps of other kinds. */
export const WORKFLOWS = {
  rotateAccessKey,
} satisfies Record<string, WorkflowDefinition>;

const stepActions = Object.keys(STEP_ACTIONS) as StepAction[];

/** Every kind a rule's remediation may name; the rule schema's enum equals this list (registry test). */
export const ACTION_KINDS: readonly ActionKind[] = [...(Object.keys(WORKFLOWS) as ActionKind[]), ...stepActions];

export function definitionOf(action: StepAction): ActionDefinition {
  return STEP_ACTIONS[action];
}

const isWorkflow = (kind: ActionKind): kind is keyof typeof WORKFLOWS => Object.hasOwn(WORKFLOWS, kind);

/** The resource types a kind may act on (none listed: any). */
export function targetsOf(kind: ActionKind): readonly string[] {
  return isWorkflow(kind) ? WORKFLOWS[kind].targets : STEP_ACTIONS[kind].targets;
}

/** A kind's dedicated planning, if it has any (a workflow always does). */
export function planHookOf(kind: ActionKind): PlanHook | undefined {
  return isWorkflow(kind) ? WORKFLOWS[kind].plan : STEP_ACTIONS[kind].plan;
}

/** What each step action is: the catalogue, as plans, reports and the plan loader read it. */
export const ACTIONS = Object.fromEntries(
  stepActions.map((k) => {
    const { reversible, destructive, manual, targets } = STEP_ACTIONS[k];
    return [k, { reversible, destructive, manual, targets }];
  }),
) as Record<StepAction, ActionSpec>;

/** The step actions of each phase, in plan order. */
export const PHASES: Record<Phase, readonly StepAction[]> = {
  contain: stepActions.filter((k) => STEP_ACTIONS[k].phase === 'contain'),
  cut: stepActions.filter((k) => STEP_ACTIONS[k].phase === 'cut'),
  destroy: stepActions.filter((k) => STEP_ACTIONS[k].phase === 'destroy'),
  manual: stepActions.filter((k) => STEP_ACTIONS[k].phase === 'manual'),
};

/** Every step action in plan order. */
export const ACTION_ORDER: readonly StepAction[] = PHASE_NAMES.flatMap((p) => PHASES[p]);
