import type { WorkflowDefinition } from './definition.js';

/**
 * The exposed-key rotation: a workflow, not a step. The planner expands it
 * into createReplacementKey, manualSwitchCredentials and deactivateAccessKey
 * (and the deletion in a later plan, once the grace period has passed).
 */
export const rotateAccessKey: WorkflowDefinition = {
  targets: ['iam.accessKey'],
  plan: (p, v, r) => p.rotation('rotateAccessKey', v, r),
};
