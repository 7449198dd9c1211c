import { resolve } from 'node:path';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { builtinRulesDir } from '../load/rules.js';
import { validatePaths, ValidationFailed, type Detected, type Validated } from '../load/validate.js';
import { terminalText } from '../report/escape.js';

const line = (status: 'ok' | 'bad', r: Detected): string => `${status.padEnd(3)} ${r.kind.padEnd(9)} ${terminalText(r.file)}\n`;

/** One line per file on stdout, with the kind it was told to be by its content: `ok` or `bad` (the problems go to stderr). */
export async function runValidate(paths: string[], quiet: boolean): Promise<ExitCode> {
  const targets = paths.length > 0 ? paths : [builtinRulesDir()];
  let results: Validated[];
  try {
    results = await validatePaths(targets);
  } catch (e) {
    if (e instanceof ValidationFailed && !quiet) {
      const ok = new Set(e.passed.map((r) => `${r.kind}\u0000${resolve(r.file)}`));
      for (const d of e.detected) process.stdout.write(line(ok.has(`${d.kind}\u0000${resolve(d.file)}`) ? 'ok' : 'bad', d));
    }
    throw e;
  }
  if (!quiet) for (const r of results) process.stdout.write(line('ok', r));
  return EXIT.clean;
}
