import { extname } from 'node:path';
import { MAX_CLOCK_SKEW_MINUTES } from '../apply/guards.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { ACTIONS } from '../actions/registry.js';
import type { ActionSpec } from '../model/action.js';
import { sealPlan } from '../model/plan.js';
import { makePlan } from '../plan/planner.js';
import { renderPlan } from '../report/plan-markdown.js';
import { VERSION } from '../version.js';
import { writeFileAtomic } from '../write-file.js';
import { evaluateInputs, type InputOptions } from './inputs.js';
import { checkOutputFile } from './arguments.js';

export interface PlanOptions extends InputOptions {
  out: string;
  destructive?: boolean;
  /** Like Terraform's -detailed-exitcode: exit 5 (EXIT.planHasSteps) when the plan has steps, 0 when it has none. */
  detailedExitcode?: boolean;
}

/** `plan.json` -> `plan.md`; any other name gets `.md` added. */
export function markdownPathFor(out: string): string {
  return extname(out).toLowerCase() === '.json' ? `${out.slice(0, -'.json'.length)}.md` : `${out}.md`;
}

/**
 * Audits like `audit` (same inputs, same checks), then writes the plan (JSON,
 * whole or not at all) and its Markdown rendering beside it. Prints the
 * Markdown file's path on stdout, for the person who reviews it.
 */
export async function runPlan(o: PlanOptions): Promise<ExitCode> {
  const markdown = markdownPathFor(o.out);
  checkOutputFile('--out', o.out);
  checkOutputFile('--out', markdown);
  const { now, baseline, inventory, violations, log, history, timelineNotes } = await evaluateInputs(o);
  for (const n of timelineNotes) log(`note: ${n}`);
  let { plan } = makePlan({ inventory, baseline, violations, now, version: VERSION, destructive: Boolean(o.destructive), ...(history ? { rootSessions: history.rootSessions, foreignRoleSessions: history.foreignRoleSessions } : {}) });
  if (now.getTime() - Date.now() > MAX_CLOCK_SKEW_MINUTES * 60_000) {
    // Only the clock knows this, so the (pure) planner cannot: the plan is sealed again with the warning first.
    const { digest: _, ...body } = plan;
    const preview = `--now ${now.toISOString()} is ahead of the clock: this plan is a preview, and apply refuses a plan from the future; to act, plan again without --now.`;
    plan = sealPlan({ ...body, warnings: [{ code: 'preview', text: preview }, ...(body.warnings ?? [])] });
  }
  // The warnings are in the plan file too (covered by its digest), so plan.md and `show` print them alike.
  for (const w of plan.warnings ?? []) log(`note: ${w.text}`);
  writeFileAtomic(o.out, `${JSON.stringify(plan, null, 2)}\n`);
  writeFileAtomic(markdown, renderPlan(plan));
  const count = (f: (a: ActionSpec) => boolean) => plan.steps.filter((s) => f(ACTIONS[s.action])).length;
  log(`plan written to ${o.out}: ${plan.steps.length} steps (${count((a) => a.manual)} manual, ${count((a) => a.destructive)} destructive)${plan.complete ? '' : ', from an incomplete inventory'}; digest ${plan.digest.slice(0, 12)} (review it, then: rollcall apply ${o.out} --approve ${plan.digest.slice(0, 12)})`);
  process.stdout.write(`${markdown}\n`);
  return o.detailedExitcode && plan.steps.length > 0 ? EXIT.planHasSteps : EXIT.clean;
}
