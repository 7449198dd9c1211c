/**
 * The four steps AWS asks of a customer whose account it believes compromised,
 * and where each plan step and each plan warning belongs among them. The
 * support-case confirmation answers them in this order.
 */
import type { StepAction } from '../model/action.js';
import type { PlanStep, WarningCode } from '../model/plan.js';
import type { ResourceType } from '../model/resource.js';

export type AwsStepNumber = 1 | 2 | 3 | 4;

export interface AwsStep {
  n: AwsStepNumber;
  /** AWS's step, in short, as the heading of its part of the message. */
  title: string;
}

export const AWS_STEPS: readonly AwsStep[] = [
  { n: 1, title: 'Rotate and delete the exposed access keys' },
  {
    n: 2,
    title: 'Delete unrecognised IAM users, roles, policies and login profiles, and revoke temporary credentials',
  },
  {
    n: 3,
    title: 'Check CloudTrail and every region for unauthorised resources (EC2 instances, spot requests, Lambda functions), and secure the root user and the passwords',
  },
  { n: 4, title: 'Confirm to AWS Support' },
];

/**
 * Where a step belongs: a fixed AWS step, or (`target`) wherever its target's
 * type does (a manual review is about whatever it reviews). Exhaustive: a new
 * action kind does not compile until it says where it belongs.
 */
const BY_ACTION: Record<StepAction, AwsStepNumber | 'target'> = {
  createReplacementKey: 1,
  manualSwitchCredentials: 1,
  deactivateAccessKey: 1,
  deleteAccessKey: 1,
  manualRootAccessKeys: 1,
  quarantineUser: 2,
  quarantineRole: 2,
  revokeRoleSessions: 2,
  restoreRoleTrust: 2,
  detachPolicy: 2,
  removeUserFromGroup: 2,
  deleteLoginProfile: 2,
  deleteInlinePolicy: 2,
  deleteUser: 2,
  deleteRole: 2,
  deleteGroup: 2,
  deletePolicy: 2,
  startTrailLogging: 3,
  resetLoginProfilePassword: 3,
  manualHandOverPassword: 3,
  throttleFunction: 3,
  stopInstance: 3,
  cancelSpotRequest: 3,
  cancelSpotFleetRequest: 3,
  terminateInstance: 3,
  deleteFunction: 3,
  manualRootPassword: 3,
  manualRootMfa: 3,
  manualReview: 'target',
  manualContactSupport: 4,
};

/** Keys are step 1, every other IAM entity step 2, the root user, CloudTrail and every regional resource step 3. */
function byTarget(type: ResourceType): AwsStepNumber {
  if (type === 'iam.accessKey') return 1;
  if (type.startsWith('iam.')) return 2;
  return 3;
}

export function awsStepOf(step: Pick<PlanStep, 'action' | 'target'>): AwsStepNumber {
  const n = BY_ACTION[step.action];
  return n === 'target' ? byTarget(step.target.type) : n;
}

/**
 * Where a plan's warning belongs: the access keys' warnings to step 1, the
 * identity running apply (left alone) to step 2, and what the plan as a whole
 * left out or could not check to step 3 (`preview` and `unclassified` too:
 * they say something of the whole plan). Exhaustive, like the steps.
 */
const WARNING_STEP: Record<WarningCode, AwsStepNumber> = {
  unclassified: 3,
  preview: 3,
  'steps-left-out': 3,
  'checks-unknown': 3,
  'rotation-blocked': 1,
  'second-key-inactive': 1,
  'key-still-active': 1,
  'deactivated-outside-rollcall': 1,
  'key-used-recently': 1,
  'grace-period': 1,
  'deletion-needs-destructive': 1,
  'replacement-undeclared': 1,
  'replacement-deactivated': 1,
  'acts-on-caller': 2,
  // temporary credentials: AWS's step 2 asks for them
  'root-sessions': 2,
  'foreign-role-sessions': 2,
};

export function awsStepOfWarning(code: WarningCode): AwsStepNumber {
  return WARNING_STEP[code];
}
