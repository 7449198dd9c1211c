import { APPROVE_MIN_DIGITS, applyPlan, type OnChange } from '../apply/apply.js';
import { InputError } from '../errors.js';
import type { ExitCode } from '../exit-codes.js';
import { loadPlan } from '../load/plan.js';
import { runChange } from './changing.js';
import type { GlobalOptions } from './options.js';

export interface ApplyCommandOptions extends GlobalOptions {
  yes?: boolean;
  dryRun?: boolean;
  maxDestructive?: string;
  onChange?: string;
  done?: string[];
  journal?: string;
  secretsDir?: string;
  maxAge?: string;
  approve?: string;
}

function parseNumber(option: string, value: string | undefined, whole: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const ok = value.trim() !== '' && Number.isFinite(n) && n >= 0 && (!whole || Number.isInteger(n));
  if (!ok) throw InputError.at({ file: option }, `must be a ${whole ? 'whole ' : ''}number, 0 or more (got '${value}')`);
  return n;
}

function parseOnChange(value: string | undefined): OnChange {
  if (value === undefined || value === 'refuse' || value === 'skip') return value ?? 'refuse';
  throw InputError.at({ file: '--on-change' }, `must be refuse or skip (got '${value}')`);
}

/** Commander's accumulator for a repeatable option: `--done a --done b` -> [a, b]. */

export async function runApply(planFile: string, o: ApplyCommandOptions): Promise<ExitCode> {
  const maxDestructive = parseNumber('--max-destructive', o.maxDestructive, true);
  const maxAgeHours = parseNumber('--max-age', o.maxAge, false);
  const onChange = parseOnChange(o.onChange);
  const plan = loadPlan(planFile);
  // Without a terminal nobody sees the digest before it runs: the reviewer's approval must name it.
  if (o.yes && !o.dryRun && o.approve === undefined && !process.stdin.isTTY) {
    throw InputError.at(
      { file: '--approve' },
      `without a terminal, apply needs --approve DIGEST besides --yes: the digest of the plan that was reviewed (this plan's is ${plan.digest.slice(0, APPROVE_MIN_DIGITS)}), as \`rollcall plan\` and \`rollcall show\` print it`,
    );
  }
  return runChange(o, o.dryRun ? undefined : 'apply', (io) =>
    applyPlan(plan, {
      ...io,
      planFile,
      onChange,
      dryRun: Boolean(o.dryRun),
      done: o.done ?? [],
      ...(maxDestructive !== undefined ? { maxDestructive } : {}),
      ...(maxAgeHours !== undefined ? { maxAgeHours } : {}),
      ...(o.journal ? { journalFile: o.journal } : {}),
      ...(o.secretsDir ? { secretsDir: o.secretsDir } : {}),
      ...(o.approve !== undefined ? { approve: o.approve } : {}),
    }),
  );
}
