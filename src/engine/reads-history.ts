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

/** A path that says who the attacker is: an event's `attacker`, `hop` or `foothold`, or the attacker's sessions (`history.sessions`). */
const attributes = (path: unknown) =>
  typeof path === 'string' && (path === 'history.sessions' || path.startsWith('history.sessions.') || /(^|\.)(attacker|hop|foothold)$/.test(path));

function conditionReadsAttribution(c: Condition): boolean {
  if ('all' in c) return c.all.some(conditionReadsAttribution);
  if ('any' in c) return c.any.some(conditionReadsAttribution);
  if ('not' in c) return conditionReadsAttribution(c.not);
  if ('exists' in c) return attributes(c.exists);
  if ('some' in c) return attributes(c.some.path) || conditionReadsAttribution(c.some.where);
  const operand = Object.values(c)[0] as Record<string, unknown>;
  return attributes(operand.path) || attributes(operand.ref) || attributes(operand.daysRef);
}

/**
 * A history rule that depends on attribution (provenance from the exposed
 * keys): without a key to follow nothing is the attacker's, so such a rule is
 * not judged (it would pass on an attribution nobody made).
 */
export function readsAttribution(rule: Pick<Rule, 'when'>): boolean {
  return rule.when !== undefined && conditionReadsAttribution(rule.when);
}
