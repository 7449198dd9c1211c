/**
 * Evidence on violations: for each violation on a resource the timeline
 * named, who created it (when, from where, with which key, the attacker or
 * not), the attacker's calls on it, and the attacker's sessions it gives or
 * stands behind. Pure; a violation the timeline says nothing about is left
 * as it is, so reports without a timeline are unchanged.
 */
import { EVIDENCE_LIMIT, historyKey, type Evidence, type History } from '../model/history.js';
import type { Violation } from '../model/violation.js';

export function withEvidence(violations: readonly Violation[], history: History): Violation[] {
  return violations.map((v) => {
    if (v.resourceId === '*') return v;
    const h = history.byResource.get(historyKey(v.resourceType, v.region, v.resourceId));
    if (!h) return v;
    const changes = h.events.filter((e) => e.attacker && e !== h.created);
    if (!h.created && changes.length === 0 && h.sessions.length === 0) return v;
    const more = Math.max(0, changes.length - EVIDENCE_LIMIT) + Math.max(0, h.sessions.length - EVIDENCE_LIMIT);
    const evidence: Evidence = {
      ...(h.created ? { created: h.created } : {}),
      attackerChanges: changes.slice(0, EVIDENCE_LIMIT),
      sessions: h.sessions.slice(0, EVIDENCE_LIMIT),
      ...(more > 0 ? { more } : {}),
    };
    return { ...v, evidence };
  });
}
