import { EXIT, type ExitCode } from '../exit-codes.js';
import { builtinRulesDir } from '../load/rules.js';
import { validateFiles } from '../load/validate.js';

export function runValidate(paths: string[], quiet: boolean): ExitCode {
  const targets = paths.length > 0 ? paths : [builtinRulesDir()];
  const results = validateFiles(targets);
  if (!quiet) for (const r of results) process.stdout.write(`ok  ${r.kind.padEnd(9)} ${r.file}\n`);
  return EXIT.clean;
}
