import type { ResourceType } from './resource.js';

/**
 * Remediation action kinds, reversible ones first within each family. A rule's
 * `remediation` lists the kinds that fix it; the planner turns them into plan
 * steps. The rule schema's enum must equal this list (registry test).
 */
export const ACTION_KINDS = [
  'deactivateAccessKey',
  'rotateAccessKey',
  'createReplacementKey',
  'manualSwitchCredentials',
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

/** `rotateAccessKey` is a workflow the planner expands into steps (create, switch, deactivate, delete); every other kind is one step. */
export type StepAction = Exclude<ActionKind, 'rotateAccessKey'>;

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

const api = (reversible: boolean, destructive: boolean, ...targets: ResourceType[]): ActionSpec => ({ reversible, destructive, manual: false, targets });
const manual = (...targets: ResourceType[]): ActionSpec => ({ reversible: false, destructive: false, manual: true, targets });
const ANY: ResourceType[] = [];

/** What each step action is. Exhaustive: a new kind does not compile until it says. */
export const ACTIONS: Record<StepAction, ActionSpec> = {
  deactivateAccessKey: api(true, false, 'iam.accessKey'),
  createReplacementKey: api(true, false, 'iam.accessKey'),
  manualSwitchCredentials: manual('iam.accessKey'),
  deleteAccessKey: api(false, true, 'iam.accessKey'),
  deleteLoginProfile: api(false, true, 'iam.loginProfile'),
  quarantineUser: api(true, false, 'iam.user'),
  quarantineRole: api(true, false, 'iam.role'),
  revokeRoleSessions: api(true, false, 'iam.role'),
  detachPolicy: api(true, false, 'iam.policyAttachment'),
  deleteInlinePolicy: api(true, true, 'iam.inlinePolicy'),
  removeUserFromGroup: api(true, false, 'iam.groupMembership'),
  deleteUser: api(false, true, 'iam.user'),
  deleteRole: api(false, true, 'iam.role'),
  deleteGroup: api(false, true, 'iam.group'),
  deletePolicy: api(false, true, 'iam.policy'),
  stopInstance: api(true, false, 'ec2.instance'),
  terminateInstance: api(false, true, 'ec2.instance'),
  cancelSpotRequest: api(false, false, 'ec2.spotRequest'),
  cancelSpotFleetRequest: api(false, false, 'ec2.spotFleetRequest'),
  throttleFunction: api(true, false, 'lambda.function'),
  deleteFunction: api(false, true, 'lambda.function'),
  manualRootPassword: manual('account.root'),
  manualRootMfa: manual('account.root'),
  manualRootAccessKeys: manual('account.root'),
  manualContactSupport: manual(...ANY),
  manualReview: manual(...ANY),
};
