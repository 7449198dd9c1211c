import type { AuditReport } from './audit-report.js';
import type { GoneViolation } from './drift.js';
import { markdownCode as code, markdownText as text } from './escape.js';

const item = (v: GoneViolation): string => `\n- **${text(v.ruleId)}** (${v.severity}) on ${code(v.subject)}: ${text(v.message)}`;

/**
 * With --previous: the comparison with the previous report, block by block,
 * each starting with its blank line. Every value is escaped for Markdown: the
 * previous report quotes names from AWS too.
 */
export function* driftBlocks(report: AuditReport): Generator<string> {
  if (!report.drift) return;
  const c = report.drift.counts;
  const counts = [`${c.new} new`, `${c.known} known`, `${c.resolved} resolved`, ...(c.unverified > 0 ? [`${c.unverified} not verified`] : [])];
  yield '\n\n## Since the previous run';
  yield `\n\nCompared with ${code(report.drift.previous.file)} (generated ${text(report.drift.previous.generatedAt)}): ${counts.join(', ')}. New violations are marked **new** below.`;
  const resolved = report.resolved ?? [];
  if (resolved.length > 0) {
    yield '\n\n### Resolved';
    for (const v of resolved) yield item(v);
  }
  const unverified = report.unverified ?? [];
  if (unverified.length > 0) {
    yield '\n\n### Not verified in this run';
    yield '\n\nIn the previous report, not found now, but this run could not have seen them: not resolved.\n';
    for (const v of unverified) yield `${item(v)} (${text(v.reason)})`;
  }
}
