import type { AwsClients } from '../aws/clients.js';
import type { StepAction } from '../model/action.js';
import type { PlanStep } from '../model/plan.js';
import type { Plain } from '../model/resource.js';

export interface ExecContext {
  /** Clients for every service and region; executors never build their own. */
  clients: AwsClients;
  accountId: string;
  now: Date;
  /** Where a replacement key's secret or a reset console password is written (a new file, mode 0600). Never logged, never printed. */
  secretsDir: string;
  log: (message: string) => void;
  /**
   * Write-ahead: an executor calls this right before its first change to the
   * account, with what undo will need as read beforehand (nothing for an
   * irreversible step). It returns once the intent is on disk. apply refuses
   * a change made before it (see `guardWrites`); undo's context records nothing.
   */
  intend: (undo?: Record<string, Plain>) => void;
  /**
   * The undo data of an intent a killed run left for this step: that run may
   * or may not have made its change. Executors that must tell (a replacement
   * key whose secret was never written) read it; apply settles the rest.
   */
  pending?: Record<string, Plain>;
}

/** The target as apply finds it now. `props` carries the values a precondition may name. */
export interface Observed {
  exists: boolean;
  props: Record<string, Plain>;
}

export type UndoOutcome = 'undone' | 'gone';

export interface StepOutcome {
  /** `already`: the target was gone or already in the end state; nothing was changed. */
  result: 'done' | 'already';
  /** What undo needs to put things back (the previous concurrency, a policy document). Plain data, never a secret. */
  undo?: Record<string, Plain>;
}

/**
 * One per step action (an exhaustive map in executors.ts). Executors are
 * idempotent: run twice, the second run changes nothing and says `already`.
 */
export interface Executor {
  /** Re-reads the target just before acting. */
  observe(step: PlanStep, ctx: ExecContext): Promise<Observed>;
  run(step: PlanStep, ctx: ExecContext): Promise<StepOutcome>;
  /**
   * Reverses a completed step from what its run recorded: `undone`, or `gone`
   * when what it would put back has no target any more (a quarantine on a
   * user a later step deleted). Absent for irreversible actions.
   */
  undo?(step: PlanStep, recorded: Record<string, Plain>, ctx: ExecContext): Promise<UndoOutcome>;
}

/** The executor of a reversible action: its undo is not optional. */
export type ReversibleExecutor = Executor & { undo: NonNullable<Executor['undo']> };

export type ExecutorMap = Record<Exclude<StepAction, `manual${string}`>, Executor>;
