/**
 * Remediation action kinds, reversible ones first within each family. A rule's
 * `remediation` lists the kinds that fix it; the planner (a later issue) turns
 * them into steps. The rule schema's enum must equal this list (registry test).
 */
export const ACTION_KINDS = [
  'deactivateAccessKey',
  'rotateAccessKey',
  'deleteAccessKey',
  'deleteLoginProfile',
  'quarantineUser',
  'quarantineRole',
  'revokeRoleSessions',
  'detachPolicy',
  'deleteInlinePolicy',
  'removeUserFromGroup',
  'deleteUser',
  'deleteRole',
  'deleteGroup',
  'deletePolicy',
  'stopInstance',
  'terminateInstance',
  'cancelSpotRequest',
  'cancelSpotFleetRequest',
  'throttleFunction',
  'deleteFunction',
  'manualRootPassword',
  'manualRootMfa',
  'manualRootAccessKeys',
  'manualContactSupport',
  'manualReview',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
