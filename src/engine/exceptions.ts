import type { BaselineException } from '../model/baseline.js';
import type { Violation } from '../model/violation.js';
import { globToRegExp } from './glob.js';

/** A date-only expiry (`2027-01-31`) lasts through that day, UTC; a date-time is exact. */
export function expiryTime(expires: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? new Date(`${expires}T00:00:00Z`).getTime() + 86_400_000 : new Date(expires).getTime();
}

/**
 * Marks violations that a live exception covers as suppressed. An expired
 * exception suppresses nothing and says so; one that matches nothing is
 * reported as stale, so baselines do not collect dead exceptions.
 */
export function applyExceptions(violations: Violation[], exceptions: BaselineException[], now: Date): { violations: Violation[]; warnings: string[] } {
  const warnings: string[] = [];
  const compiled = exceptions.map((e) => ({ e, re: globToRegExp(e.subject), live: now.getTime() < expiryTime(e.expires), used: false }));
  // Per rule id, the exceptions that name it or every rule ('*'), in the baseline's order: a violation tries only those.
  const forRule = new Map<string, typeof compiled>();
  const candidates = (ruleId: string): typeof compiled => {
    let list = forRule.get(ruleId);
    if (!list) forRule.set(ruleId, (list = compiled.filter((x) => x.e.rule === ruleId || x.e.rule === '*')));
    return list;
  };
  const out = violations.map((v) => {
    for (const x of candidates(v.ruleId)) {
      if (!x.re.test(v.subject)) continue;
      x.used = true;
      if (x.live) return { ...v, suppressed: { reason: x.e.reason, expires: x.e.expires, ...(x.e.source !== undefined ? { source: x.e.source } : {}) } };
    }
    return v;
  });
  for (const x of compiled) {
    const label = `exception for rule ${x.e.rule} on ${x.e.subject} (${x.e.reason})`;
    if (!x.live && x.used) warnings.push(`${label} expired on ${x.e.expires}: its violations are reported again`);
    else if (!x.live) warnings.push(`${label} expired on ${x.e.expires} and matches nothing: remove it`);
    else if (!x.used) warnings.push(`${label} matches no violation: remove it if the risk is gone`);
  }
  return { violations: out, warnings };
}
