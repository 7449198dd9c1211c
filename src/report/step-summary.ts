import { SEVERITIES, severityRank, type Severity } from '../model/severity.js';
import type { AuditReport } from './audit-report.js';
import { markdownCell as cell, markdownCode as code, markdownText as text } from './escape.js';

/** Findings a job summary lists; the report holds the rest. */
export const SUMMARY_FINDINGS = 10;

/**
 * A short Markdown summary for a CI job's page (GitHub's GITHUB_STEP_SUMMARY):
 * counts by severity (and new ones, with --previous), what was resolved, the
 * gaps, and the most severe findings, new ones first. Every value is escaped.
 */
export function stepSummary(report: AuditReport): string {
  const s = report.summary;
  const open = report.violations.filter((v) => v.status === 'fail' && !v.suppressed);
  const fresh = (sev: Severity) => open.filter((v) => v.severity === sev && v.drift === 'new').length;
  const who = report.account.alias ? `${text(report.account.alias)} (${text(report.account.id)})` : `account ${text(report.account.id)}`;
  const lines = [`### rollcall audit: ${who}`, ''];
  lines.push(open.length === 0 ? '**No open violations.**' : `**${open.length} open violation${open.length === 1 ? '' : 's'}**`);
  const drift = report.drift?.counts;
  if (drift) lines.push('', `Since the previous run: ${drift.new} new, ${drift.known} known, ${drift.resolved} resolved${drift.unverified ? `, ${drift.unverified} not verified` : ''}.`);
  if (s.unknown > 0 || report.gaps.length > 0) lines.push('', `**Incomplete:** ${report.gaps.length} gap${report.gaps.length === 1 ? '' : 's'} in the inventory; ${s.unknown} check${s.unknown === 1 ? '' : 's'} could not be made.`);
  if (open.length > 0) {
    lines.push('', drift ? '| severity | open | new |' : '| severity | open |', drift ? '|---|--:|--:|' : '|---|--:|');
    for (const sev of SEVERITIES) {
      if (s.fail[sev] === 0) continue;
      lines.push(drift ? `| ${sev} | ${s.fail[sev]} | ${fresh(sev)} |` : `| ${sev} | ${s.fail[sev]} |`);
    }
    const top = [...open].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || Number(b.drift === 'new') - Number(a.drift === 'new')).slice(0, SUMMARY_FINDINGS);
    lines.push('', '| severity | rule | resource | finding |', '|---|---|---|---|');
    for (const v of top) lines.push(`| ${v.drift === 'new' ? '**new** ' : ''}${v.severity} | ${code(v.ruleId, { table: true })} | ${code(v.subject, { table: true })} | ${cell(v.message)} |`);
    if (open.length > top.length) lines.push('', `… and ${open.length - top.length} more in the report.`);
  }
  return `${lines.join('\n')}\n\n`;
}
