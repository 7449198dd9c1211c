/**
 * A violation's CloudTrail evidence as Markdown lines (under its bullet): who
 * created the resource, the attacker's calls on it, and the attacker's
 * sessions it gives or stands behind. Every value is CloudTrail's, escaped.
 */
import type { Evidence, HistoryEvent, HistorySession } from '../model/history.js';
import { markdownCode as code, markdownText as text } from './escape.js';

function who(e: HistoryEvent): string {
  const actor = e.actor.arn !== undefined ? code(e.actor.arn) : text(e.actor.type);
  const key = e.actor.accessKeyId !== undefined ? ` with key ${code(e.actor.accessKeyId)}` : '';
  const from = e.sourceIp !== undefined ? ` from ${code(e.sourceIp)}` : '';
  const agent = e.userAgent !== undefined ? ` (user agent ${code(e.userAgent)})` : '';
  const attacker = e.attacker ? `**the attacker** (hop ${e.hop ?? 0}${e.foothold !== undefined ? `, through ${code(e.foothold)}` : ''}): ` : '';
  return `${attacker}${actor}${key}${from}${agent}`;
}

const call = (e: HistoryEvent) => `${code(e.name)} at ${text(e.time)} in ${text(e.region)}`;

function session(s: HistorySession): string {
  const ends = s.revokedAt !== undefined ? `, revoked at ${text(s.revokedAt)}` : s.expiration !== undefined ? `, ends ${text(s.expiration)}` : ', end unknown';
  return `${code(s.accessKeyId)} (${text(s.how)}${s.root ? ' with root credentials' : ''} at ${text(s.time)}${s.sourceIp !== undefined ? ` from ${code(s.sourceIp)}` : ''}${ends})`;
}

export function evidenceLines(e: Evidence): string[] {
  const lines: string[] = [];
  if (e.created) lines.push(`created by ${call(e.created)}: ${who(e.created)}`);
  for (const c of e.attackerChanges) lines.push(`changed by ${call(c)}: ${who(c)}`);
  if (e.sessions.length > 0) lines.push(`the attacker's sessions: ${e.sessions.map(session).join(', ')}`);
  if (e.more !== undefined) lines.push(`and ${e.more} more (see the JSON report or the timeline)`);
  return lines;
}
