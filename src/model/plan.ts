import type { StepAction } from './action.js';
import { digestOf } from './digest.js';
import type { CallerIdentity } from './inventory.js';
import type { Plain, ResourceType } from './resource.js';

/** The format this rollcall writes. It reads format 1 too (plans made before warnings and reasons had codes). */
export const PLAN_FORMAT = 2;
export const PLAN_FORMATS = [1, 2] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/**
 * Why a plan leaves something out or asks for care, as a code a machine can
 * act on; the text says it for people. The schema's enum is pinned to this list.
 */
export const WARNING_CODES = [
  /** A plan of format 1: its warnings had no codes. */
  'unclassified',
  /** `--now` is ahead of the clock: the plan is a preview that apply refuses. */
  'preview',
  /** Destructive steps not planned: --destructive not given, or the inventory has gaps. */
  'steps-left-out',
  /** Checks that could not be made (gaps): nothing is planned for them. */
  'checks-unknown',
  /** A rotation that no replacement key can serve yet. */
  'rotation-blocked',
  /** The user's other key is inactive: no replacement can be created. */
  'second-key-inactive',
  /** An exposed or rotated key is still active: its deletion waits for a later plan. */
  'key-still-active',
  /** A key deactivated outside rollcall: its grace period counts from its last use. */
  'deactivated-outside-rollcall',
  /** A key used within its grace period, or after rollcall deactivated it: not deleted. */
  'key-used-recently',
  /** A key in its grace period: not deleted yet. */
  'grace-period',
  /** A key due for deletion, which needs --destructive. */
  'deletion-needs-destructive',
  /** The replacement rollcall created is not declared in the baseline: it is not deleted. */
  'replacement-undeclared',
  /** A key named as a replacement is deactivated by the same plan. */
  'replacement-deactivated',
  /** Steps that act on the identity that made the plan: apply skips them. */
  'acts-on-caller',
  /** The attacker holds sessions obtained with root credentials: no step ends them, only their expiry. */
  'root-sessions',
  /** The attacker holds sessions of a role in another account: only that account can revoke them. */
  'foreign-role-sessions',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface PlanWarning {
  code: WarningCode;
  /** Plain text that may quote names from AWS: renderers escape it. */
  text: string;
}

/** Why a manual review was planned: a finding to settle, or why rollcall could not act on it. */
export const REASON_CODES = [
  /** A violation to settle by hand (`rule` names its rule). */
  'finding',
  /** A remediation of the rule names a resource that is not in the inventory. */
  'not-in-inventory',
  /** A remediation of the rule acts on other resource types than the violation's. */
  'other-target-type',
  /** The remediation could not be prepared for this resource (the text says why). */
  'cannot-act',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface StepReason {
  code: ReasonCode;
  text: string;
  /** The rule whose violation (or remediation) gave the reason. */
  rule: string;
}

/** What the manualContactSupport step reports to AWS Support: renderers make the text to send from it. */
export interface SupportCase {
  accountId: string;
  /** When the audit behind the plan was made (the plan's createdAt). */
  auditedAt: string;
  /** Every finding reported, in the plan's order; the text lists the first ones. */
  findings: { rule: string; title: string; subject: string }[];
}

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
  /** For manual steps: exactly what a person must do (in a format 1 plan, with the text to send to AWS Support). */
  instructions?: string;
  /** For manual reviews: each finding to settle, and why rollcall could not act on it. */
  reasons?: StepReason[];
  /** For contacting AWS Support: what to report. */
  support?: SupportCase;
}

export interface Plan {
  format: PlanFormat;
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
   * rollcall recorded warnings in the plan. A format 1 plan's are upgraded by
   * the loader to code `unclassified`, after its digest was checked.
   */
  warnings?: PlanWarning[];
  /** sha256 of the canonical JSON of every field above: a changed plan no longer matches and is refused. */
  digest: string;
}

/** The plan with its digest: made over every other field, warnings included. */
export function sealPlan(body: Omit<Plan, 'digest'>): Plan {
  return { ...body, digest: digestOf(body) };
}
