import type { StepAction } from './action.js';
import { digestOf } from './digest.js';
import type { CallerIdentity } from './inventory.js';
import type { Plain, ResourceType } from './resource.js';

export const PLAN_FORMAT = 1;

/** What a step acts on: enough for its executor to find it again, and plain data only. */
export interface StepTarget {
  type: ResourceType;
  /** The resource id as in the inventory (user name, key id, `user/alice/arn:...`, instance id); `root` for the account. */
  id: string;
  /** `global` for IAM. */
  region: string;
  arn?: string;
  /** Identity details the executor needs beyond the id: `{ user }` for a key, `{ principalType, principalName, policyArn }` for an attachment. */
  ref: Record<string, string>;
  /** `user/alice`, `instance/us-east-1/i-0abc`: the subject violations and reports use. */
  subject: string;
}

/**
 * What apply re-reads before acting: the target must (still) exist, and each
 * listed property must still have the value the plan saw. Otherwise the world
 * changed since planning and the step is refused or skipped, as the user chose.
 */
export interface Precondition {
  exists: boolean;
  props: Record<string, Plain>;
}

export interface PlanStep {
  /** Stable and unique within the plan: `deactivateAccessKey accessKey/AKIA...`. The journal keys on it. */
  id: string;
  action: StepAction;
  target: StepTarget;
  /** One line for people: "Deactivate access key AKIA... of user ci-deployer". */
  description: string;
  /** Fingerprints of the violations this step answers. */
  because: string[];
  /** Steps that must be done first (ids). */
  dependsOn: string[];
  precondition: Precondition;
  reversible: boolean;
  destructive: boolean;
  /** For manual steps: exactly what a person must do (and for contacting AWS Support, the text to send). */
  instructions?: string;
}

export interface Plan {
  format: typeof PLAN_FORMAT;
  tool: { name: 'rollcall'; version: string };
  accountId: string;
  /** Who planned; apply refuses to run as anyone else. */
  caller: CallerIdentity;
  createdAt: string;
  /** sha256 of the inventory the plan was made from (canonical JSON). */
  inventoryDigest: string;
  /** False when the inventory had gaps: such a plan may not run destructive steps. */
  complete: boolean;
  /** Whether destructive steps were asked for (--destructive). */
  destructive: boolean;
  steps: PlanStep[];
  /**
   * What the plan leaves out and why, for the person who reviews it (a key in
   * its grace period, destructive steps not asked for). Plain text that may
   * quote names from AWS: renderers escape it. Absent from plans made before
   * rollcall recorded warnings in the plan.
   */
  warnings?: string[];
  /** sha256 of the canonical JSON of every field above: a changed plan no longer matches and is refused. */
  digest: string;
}

/** The plan with its digest: made over every other field, warnings included. */
export function sealPlan(body: Omit<Plan, 'digest'>): Plan {
  return { ...body, digest: digestOf(body) };
}
