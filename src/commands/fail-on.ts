import { InputError } from '../errors.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import type { FailOn } from '../report/drift.js';

/** `--fail-on` without `new`, and `new` without a severity: the lowest severity that fails. */
export const DEFAULT_FAIL_ON: Severity = 'low';

const isSeverity = (s: string): s is Severity => (SEVERITIES as readonly string[]).includes(s);

/**
 * `--fail-on SEVERITY`: any open violation at or above it fails the audit (as
 * always); `--fail-on new` or `new:SEVERITY`: only the new ones do (new since
 * the report given with --previous; without one, every violation is new).
 */
export function parseFailOn(value: string): FailOn {
  const v = value.trim();
  if (isSeverity(v)) return { severity: v, onlyNew: false };
  const m = /^new(?::(.*))?$/.exec(v);
  if (m) {
    const severity = m[1] ?? DEFAULT_FAIL_ON;
    if (isSeverity(severity)) return { severity, onlyNew: true };
    throw InputError.at({ file: '--fail-on' }, `'${value}': after new: comes a severity, one of ${SEVERITIES.join(', ')} (e.g. new:high)`);
  }
  throw InputError.at({ file: '--fail-on' }, `must be a severity (${SEVERITIES.join(', ')}) or new[:SEVERITY] (e.g. new, new:high) (got '${value}')`);
}
