import type { ExitCode } from '../exit-codes.js';
import { buildReport } from '../report/audit-report.js';
import { reportFormat } from '../report/formats.js';
import { writeChunks, writeChunksAtomic } from '../report/output.js';
import { auditExitCode } from '../report/summary.js';
import { VERSION } from '../version.js';
import { evaluateInputs, type InputOptions } from './inputs.js';
import { parseSeverity } from './options.js';
import { checkOutputFile } from './arguments.js';

export interface AuditOptions extends InputOptions {
  format: string;
  out?: string;
  failOn: string;
}

/** Checks its own options, then every input before any AWS call, so bad input fails fast and writes nothing. */
export async function runAudit(o: AuditOptions): Promise<ExitCode> {
  const failOn = parseSeverity(o.failOn);
  if (o.out) checkOutputFile('--out', o.out);
  const format = reportFormat(o.format);
  const write = await format.load();
  const { now, baseline, rules, inventory, violations, warnings, log } = await evaluateInputs(o);
  const report = buildReport({
    version: VERSION,
    now,
    inventory,
    baselineFile: o.baseline,
    ...(baseline.account.alias ? { alias: baseline.account.alias } : {}),
    ruleCount: rules.length,
    violations,
    warnings,
  });
  // Written in pieces, never as one string: a report of a million violations is longer than a string can be.
  const chunks = write({ report, rules, violations });
  if (o.out) {
    writeChunksAtomic(o.out, chunks);
    log(`report written to ${o.out}`);
  } else {
    await writeChunks(process.stdout, chunks);
  }
  return auditExitCode(violations, failOn);
}
