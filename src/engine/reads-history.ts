import type { Condition, Rule } from '../model/rule.js';

const fromHistory = (path: unknown) => typeof path === 'string' && (path === 'history' || path.startsWith('history.'));

/** Whether a condition reads a resource's CloudTrail history (`history.*`): such a rule is judged only with a timeline. */
function conditionReadsHistory(c: Condition): boolean {
  if ('all' in c) return c.all.some(conditionReadsHistory);
  if ('any' in c) return c.any.some(conditionReadsHistory);
  if ('not' in c) return conditionReadsHistory(c.not);
  if ('exists' in c) return fromHistory(c.exists);
  if ('some' in c) return fromHistory(c.some.path) || conditionReadsHistory(c.some.where);
  const operand = Object.values(c)[0] as Record<string, unknown>;
  return fromHistory(operand.path) || fromHistory(operand.ref) || fromHistory(operand.daysRef);
}

/** A history rule: its condition reads `history.*`, so without a timeline it is not judged, and where the timeline is blind it is unknown. */
export function readsHistory(rule: Pick<Rule, 'when'>): boolean {
  return rule.when !== undefined && conditionReadsHistory(rule.when);
}
