/**
 * rollcall's exit codes, the one place they are numbered. Each command gives
 * them its own meaning (README, "Exit codes" and "Apply and undo exit codes"):
 */
export const EXIT = {
  /** audit: no open violation at or above --fail-on; apply: every step done (or found done already); undo: every reversible step reversed. */
  clean: 0,
  /** audit: violations at or above --fail-on; apply: a step refused, skipped, failed or blocked; undo: an undo failed; both: the confirmation was declined. */
  violations: 1,
  /** Bad input: a file, an option, a baseline for another account; apply and undo: refused before anything ran. */
  badInput: 2,
  /** Failure: AWS unreachable, credentials refused, internal error. */
  failure: 3,
  /** audit and collect: a gap left something unknown; apply: all else done, manual steps (and the steps waiting for them) pending. */
  incomplete: 4,
  /** plan --detailed-exitcode: the plan has steps (with no step it exits 0; errors as always). Without the option plan exits 0 either way. */
  planHasSteps: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
