import { ACTIONS } from '../actions/registry.js';
import type { Plan, PlanStep } from '../model/plan.js';
import { splitSupportText, supportText } from '../plan/instructions.js';
import { markdownCode as code, markdownText as text } from './escape.js';
import { template, tidy } from './markdown.js';

function markers(step: PlanStep): string {
  const spec = ACTIONS[step.action];
  const m = [spec.manual && 'manual', step.destructive && 'destructive', step.reversible && 'reversible'].filter((x): x is string => typeof x === 'string');
  return m.map((x) => `**[${x}]**`).join(' ');
}

/** A line of instructions: the list marker the planner put there kept, the rest escaped (it may quote names from AWS). */
function instructionLine(raw: string): string {
  const item = /^(- |\d{1,9}\. )(.*)$/s.exec(raw);
  return item ? `${item[1]}${text(item[2]!)}` : text(raw);
}

/** Instruction lines as Markdown: a blank line wherever a list starts or ends, so nothing runs into a list item. */
function paragraphs(instructions: string): string[] {
  const out: string[] = [];
  let inList = false;
  for (const raw of instructions.split('\n')) {
    const line = instructionLine(raw);
    const isItem = /^(-|\d+\.) /.test(line);
    if (line === '') {
      if (out.length > 0 && out.at(-1) !== '') out.push('');
      inList = false;
      continue;
    }
    if (out.length > 0 && isItem !== inList && out.at(-1) !== '') out.push('');
    out.push(line);
    inList = isItem;
  }
  return out;
}

function countLine(steps: PlanStep[]): string {
  const n = (f: (s: PlanStep) => boolean) => steps.filter(f).length;
  const counts: [number, string][] = [
    [n((s) => s.reversible), 'reversible'],
    [n((s) => s.destructive), 'destructive'],
    [n((s) => ACTIONS[s.action].manual), 'manual'],
    [n((s) => !s.reversible && !s.destructive && !ACTIONS[s.action].manual), 'irreversible'],
  ];
  return counts.filter(([c]) => c > 0).map(([c, what]) => `${c} ${what}`).join(', ');
}

/**
 * A step's instructions, and the text to send to AWS Support apart (a quote
 * block): made from the step's `support`, or split out of a format 1 plan's
 * instructions.
 */
function supportSplit(s: PlanStep): { before: string; text?: string[] } {
  if (s.support) return { before: s.instructions ?? '', text: supportText(s.support) };
  if (s.action !== 'manualContactSupport' || !s.instructions) return { before: s.instructions ?? '' };
  const legacy = splitSupportText(s.instructions);
  return legacy.text === undefined ? { before: legacy.before } : { before: legacy.before, text: legacy.text.split('\n') };
}

/**
 * The plan as a numbered checklist for people: header, then each step in
 * order, manual steps with their instructions, then the plan's warnings.
 * A function of the plan file alone, so `show` prints what plan.md holds.
 * Every value is escaped for Markdown.
 */
export function renderPlan(plan: Plan): string {
  const number = new Map(plan.steps.map((s, i) => [s.id, i + 1]));
  const steps = plan.steps.map((s, i) => {
    const n = i + 1;
    const split = supportSplit(s);
    return {
      n,
      pad: ' '.repeat(String(n).length + 2),
      markers: markers(s),
      description: text(s.description),
      subject: code(s.target.subject),
      id: code(s.id),
      after: s.dependsOn.map((d) => `${number.get(d) ?? '?'} (${code(d)})`).join(', '),
      instructions: split.before ? paragraphs(split.before) : [],
      supportText: (split.text ?? []).map(instructionLine),
    };
  });
  const markdown = template('plan')({
    accountId: text(plan.accountId),
    createdAt: text(plan.createdAt),
    version: text(plan.tool.version),
    caller: code(plan.caller.arn),
    inventoryDigest: code(plan.inventoryDigest),
    digest: code(plan.digest),
    complete: plan.complete,
    destructive: plan.destructive,
    steps,
    countLine: countLine(plan.steps),
    warnings: (plan.warnings ?? []).map((w) => text(w.text)),
  });
  return `${tidy(markdown)}\n`;
}
