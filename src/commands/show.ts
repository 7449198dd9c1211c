import { EXIT, type ExitCode } from '../exit-codes.js';
import { loadPlan } from '../load/plan.js';
import { terminalLines } from '../report/escape.js';
import { renderPlan } from '../report/plan-markdown.js';

/**
 * Prints a plan file as Markdown, once it has passed every check apply makes
 * of the file itself: exactly what plan.md holds, warnings included. Values
 * are escaped for Markdown, which leaves no control character; on a terminal
 * the text is cleaned of any once more.
 */
export function runShow(file: string, stdout: NodeJS.WriteStream = process.stdout): ExitCode {
  const markdown = renderPlan(loadPlan(file));
  stdout.write(stdout.isTTY ? terminalLines(markdown) : markdown);
  return EXIT.clean;
}
