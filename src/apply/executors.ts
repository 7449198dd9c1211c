/**
 * Every API step action and its executor. Exhaustive: a new action kind does
 * not compile until it has an entry here (manual kinds have none: a person does them).
 */
import { ACTIONS, type StepAction } from '../model/action.js';
import type { Executor, ExecutorMap } from './executor.js';
import { executor as cancelSpotFleetRequest } from './executors/cancelSpotFleetRequest.js';
import { executor as cancelSpotRequest } from './executors/cancelSpotRequest.js';
import { executor as createReplacementKey } from './executors/createReplacementKey.js';
import { executor as deactivateAccessKey } from './executors/deactivateAccessKey.js';
import { executor as deleteAccessKey } from './executors/deleteAccessKey.js';
import { executor as deleteFunction } from './executors/deleteFunction.js';
import { executor as deleteGroup } from './executors/deleteGroup.js';
import { executor as deleteInlinePolicy } from './executors/deleteInlinePolicy.js';
import { executor as deleteLoginProfile } from './executors/deleteLoginProfile.js';
import { executor as deletePolicy } from './executors/deletePolicy.js';
import { executor as deleteRole } from './executors/deleteRole.js';
import { executor as deleteUser } from './executors/deleteUser.js';
import { executor as detachPolicy } from './executors/detachPolicy.js';
import { executor as quarantineRole } from './executors/quarantineRole.js';
import { executor as quarantineUser } from './executors/quarantineUser.js';
import { executor as removeUserFromGroup } from './executors/removeUserFromGroup.js';
import { executor as revokeRoleSessions } from './executors/revokeRoleSessions.js';
import { executor as stopInstance } from './executors/stopInstance.js';
import { executor as terminateInstance } from './executors/terminateInstance.js';
import { executor as throttleFunction } from './executors/throttleFunction.js';

export const EXECUTORS: ExecutorMap = {
  deactivateAccessKey,
  createReplacementKey,
  deleteAccessKey,
  deleteLoginProfile,
  quarantineUser,
  quarantineRole,
  revokeRoleSessions,
  detachPolicy,
  deleteInlinePolicy,
  removeUserFromGroup,
  deleteUser,
  deleteRole,
  deleteGroup,
  deletePolicy,
  stopInstance,
  terminateInstance,
  cancelSpotRequest,
  cancelSpotFleetRequest,
  throttleFunction,
  deleteFunction,
};

export type ApiAction = keyof ExecutorMap;

export function isManual(action: StepAction): action is Exclude<StepAction, ApiAction> {
  return ACTIONS[action].manual;
}

/** The executor of an API step; undefined for a manual one. */
export function executorFor(map: ExecutorMap, action: StepAction): Executor | undefined {
  return isManual(action) ? undefined : map[action as ApiAction];
}
