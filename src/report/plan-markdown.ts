import { ACTIONS } from '../model/action.js';
import type { Plan, PlanStep } from '../model/plan.js';
import { splitSupportText } from '../plan/instructions.js';
import { inline, template } from './markdown.js';

function markers(step: PlanStep): string {
  const spec = ACTIONS[step.action];
  const m = [spec.manual && 'manual', step.destructive && 'destructive', step.reversible && 'reversible'].filter((x): x is string => typeof x === 'string');
  return m.map((x) => `**[${x}]**`).join(' ');
}

/** Instruction lines as Markdown: a blank line wherever a list starts or ends, so nothing runs into a list item. */
function paragraphs(text: string): string[] {
  const out: string[] = [];
  let inList = false;
  for (const raw of text.split('\n')) {
    const line = inline(raw);
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

/** The plan as a numbered checklist for people: header, then each step in order, manual steps with their instructions. */
export function renderPlan(plan: Plan, warnings: string[] = []): string {
  const number = new Map(plan.steps.map((s, i) => [s.id, i + 1]));
  const steps = plan.steps.map((s, i) => {
    const n = i + 1;
    const split = s.action === 'manualContactSupport' && s.instructions ? splitSupportText(s.instructions) : { before: s.instructions ?? '' };
    return {
      n,
      pad: ' '.repeat(String(n).length + 2),
      markers: markers(s),
      description: inline(s.description),
      subject: inline(s.target.subject),
      id: inline(s.id),
      after: s.dependsOn.map((d) => `${number.get(d) ?? '?'} (\`${inline(d)}\`)`).join(', '),
      instructions: split.before ? paragraphs(split.before) : [],
      supportText: split.text !== undefined ? split.text.split('\n').map(inline) : [],
    };
  });
  const text = template('plan')({ ...plan, steps, countLine: countLine(plan.steps), warnings: warnings.map(inline) });
  return text.replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
