import { loadPlan } from '../load/plan.js';
import { renderPlan } from '../report/plan-markdown.js';
import { EXIT } from '../report/summary.js';

/** Prints a plan file as Markdown, once it has passed every check apply makes of the file itself. */
export function runShow(file: string): number {
  process.stdout.write(renderPlan(loadPlan(file)));
  return EXIT.clean;
}
