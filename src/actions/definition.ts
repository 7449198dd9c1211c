/**
 * What one action kind is, in one place: its catalogue entry, where it sits
 * in a plan, how a step of it reads, what apply re-checks and what it leaves,
 * how it is planned, what it waits for, and how apply runs and undoes it. One
 * module per kind under src/actions/ exports one of these; the registry
 * (./registry.ts) assembles them, and the planner, the plan loader, apply and
 * undo read only the registry.
 */
import type { Executor, ReversibleExecutor } from '../apply/executor.js';
import type { ActionKind, StepAction } from '../model/action.js';
import type { IamAction } from '../model/permissions.js';
import type { PlanStep, Precondition, StepReason, StepTarget } from '../model/plan.js';
import type { Plain, Props, Resource, ResourceType } from '../model/resource.js';
import type { Violation } from '../model/violation.js';

/**
 * The order a plan follows: contain the intruder first (keys off, principals
 * quarantined, compute stopped), then cut what grants access, then destroy,
 * then what a person must do by hand. Within a phase, actions keep the
 * registry's order.
 */
export const PHASE_NAMES = ['contain', 'cut', 'destroy', 'manual'] as const;
export type Phase = (typeof PHASE_NAMES)[number];

/** A step as the planner drafts it: what dependency hooks compare. */
export interface StepView {
  action: StepAction;
  target: StepTarget;
  /** The target's props as the plan saw them. */
  props: Props;
  /** Whether its action is destructive. */
  destructive: boolean;
}

export interface AddOptions {
  props?: Props;
  precondition?: Precondition;
  instructions?: string;
  dependsOn?: string[];
  reason?: StepReason;
}

/**
 * What the planner offers a planning hook: the generic path, and the
 * dedicated planning (rotation, manual reviews, support, the root user) that
 * some kinds need. Pure, like the planner.
 */
export interface Planning {
  /**
   * The generic path: a step on the violation's resource when the action can
   * act on its type (otherwise a manual review says why not), left out when
   * destructive and not allowed, skipped when `needed` says there is nothing
   * to do. `ref` adds to what the target names for the executor.
   */
  standard(kind: StepAction, v: Violation, r: Resource | undefined, ref?: Record<string, string>): void;
  /** Adds (or merges into) the step `action target.subject`; returns its id. */
  add(action: StepAction, target: StepTarget, because: Violation | Violation[], o?: AddOptions): string;
  /** A manual review of the violation's resource, with an extra reason (why rollcall cannot act) when given. */
  review(v: Violation, r: Resource | undefined, note?: Omit<StepReason, 'rule'>): void;
  /** Why a kind cannot act on a violation's resource, for the manual review that replaces it. */
  cannot(kind: ActionKind, v: Violation, r: Resource | undefined): Omit<StepReason, 'rule'>;
  /** The exposed-key rotation workflow: replacement, switch by hand, deactivation. */
  rotation(kind: ActionKind, v: Violation, r: Resource | undefined): void;
  /** A key's deletion: an exposed or rotated key waits for its grace period; a tagged replacement is kept. */
  keyDeletion(v: Violation, r: Resource | undefined): void;
  /** A manual step on the account's root user, with its instructions. */
  onRoot(kind: StepAction, v: Violation, instructions: string): void;
  /** The violation joins the findings the AWS Support step reports. */
  reportToSupport(v: Violation): void;
  /** What the baseline declares for a resource (`declared.*` as rules see it), if it declares it. */
  declared(r: Resource): Record<string, unknown> | undefined;
  /** Whether the baseline's incident is open at the plan's `now` (model/aws-quarantine.ts). */
  incidentOpen: boolean;
  /** The plan's createdAt (its `now`, ISO-8601). */
  createdAt: string;
}

export type PlanHook = (p: Planning, v: Violation, r: Resource | undefined) => void;

interface Common {
  /** The resource types a step of this kind may target (none listed: any). */
  targets: readonly ResourceType[];
  phase: Phase;
  /** The step's one-line description (made one line by the planner). */
  describe(t: StepTarget, p: Props): string;
  /** Props copied from the resource as the plan saw it into the precondition: apply re-reads and compares them. */
  keep: readonly string[];
  /** Values the target must have, whatever the resource said. */
  expect?: (p: Props) => Record<string, Plain>;
  /**
   * Props the step itself changes, with the values it leaves: finding one of
   * these instead of the planned value means the step is done already (a run
   * that stopped before journaling it), not that the world changed.
   */
  endState?: (step: PlanStep) => Record<string, readonly Plain[]>;
  /** Dedicated planning; without it, the generic path (`Planning.standard`). */
  plan?: PlanHook;
  /** For the generic path: false when the resource needs no step (a key already inactive, an instance already stopped). */
  needed?: (r: Resource) => boolean;
  /**
   * Steps this one waits for besides the plan's general rule (a destructive
   * step waits for the reversible steps on its target): what it tears down
   * with its target, or what must see the target before it changes it.
   */
  waitsFor?: (self: StepView, other: StepView) => boolean;
}

/** Undo puts things back from what the journal recorded: the executor must have an undo. */
export interface ReversibleAction extends Common {
  manual: false;
  reversible: true;
  /** Deletes or terminates: planned only with --destructive, never from an incomplete inventory. */
  destructive: boolean;
  /** The IAM actions its executor calls (observe, run and undo): `rollcall permissions apply` grants them. */
  permissions: readonly IamAction[];
  /** Loaded when apply or undo runs, so that the commands that only read plans (show, validate) load no AWS SDK. */
  executor: () => Promise<ReversibleExecutor>;
}

/** No undo: the decision is explicit, and the executor has none (the registry test checks). */
export interface IrreversibleAction extends Common {
  manual: false;
  reversible: false;
  destructive: boolean;
  /** The IAM actions its executor calls (observe and run). */
  permissions: readonly IamAction[];
  /** Loaded when apply runs. */
  executor: () => Promise<Executor>;
}

/** No API can do it for the caller: a person does, following the step's instructions. */
export interface ManualAction extends Common {
  manual: true;
  reversible: false;
  destructive: false;
  /** The text a person follows: fixed, or made by the planning hook for each step (the function it uses). */
  instructions: string | ((...args: never[]) => string);
}

export type ActionDefinition = ReversibleAction | IrreversibleAction | ManualAction;

/** A workflow the planner expands into steps of other kinds (the exposed-key rotation); it is no step itself. */
export interface WorkflowDefinition {
  targets: readonly ResourceType[];
  plan: PlanHook;
}
