/**
 * The org report in Markdown: totals, then one row per account. Account names
 * and gap messages come from AWS and are escaped as any value is.
 */
import { SEVERITIES } from '../model/severity.js';
import { markdownCell, markdownCode, markdownText } from './escape.js';
import type { OrgAccountEntry, OrgReport } from './org-report.js';

const EXIT_MEANING: Record<number, string> = {
  0: 'clean',
  1: `violations at or above the threshold`,
  4: 'incomplete: an account could not be audited, or a gap left rules unknown',
};

function link(target: string): string {
  // Report paths are ours (ids and fixed names): encoded all the same, so no character can end the link.
  return `(${target.split('/').map(encodeURIComponent).join('/')})`;
}

function row(a: OrgAccountEntry, withDrift: boolean): string {
  const name = a.name !== undefined ? markdownCell(a.name) : '';
  const counts = a.summary ? SEVERITIES.map((s) => String(a.summary!.fail[s])) : SEVERITIES.map(() => '');
  const unknown = a.summary ? String(a.summary.unknown) : '';
  const status = a.status === 'audited' ? 'audited' : `**gap** (${a.gap!.reason}): ${markdownCell(a.gap!.message)}`;
  const drift = withDrift ? [a.drift ? `${a.drift.new} / ${a.drift.known} / ${a.drift.resolved}` : ''] : [];
  const reports = a.reports ? `[md]${link(a.reports.md)} · [json]${link(a.reports.json)}` : '';
  const gaps = a.collectionGaps !== undefined ? String(a.collectionGaps) : '';
  return `| ${markdownCode(a.id, { table: true })} | ${name} | ${status} | ${counts.join(' | ')} | ${unknown} | ${gaps} | ${drift.length ? `${drift[0]} | ` : ''}${reports} |`;
}

export function* orgMarkdownChunks(report: OrgReport): Generator<string> {
  const s = report.summary;
  const withDrift = s.drift !== undefined;
  yield `# rollcall org audit\n\n`;
  yield `Generated ${markdownText(report.generatedAt)} by rollcall ${markdownText(report.tool.version)}`;
  yield report.shard ? `, shard ${report.shard.index} of ${report.shard.count}.\n\n` : '.\n\n';
  // The accounts not audited come first: whatever the others found, these were not looked at.
  const notAudited = report.accounts.filter((a) => a.status === 'gap');
  if (notAudited.length > 0) {
    yield `## Not audited: ${notAudited.length} account(s)\n\n`;
    for (const a of notAudited) yield `- ${markdownCode(a.id)}${a.name !== undefined ? ` (${markdownText(a.name)})` : ''} (${a.gap!.reason}): ${markdownText(a.gap!.message)}\n`;
    yield '\n';
  }
  yield `- Accounts: ${s.accounts} (${report.source === 'organization' ? "the organization's ACTIVE accounts" : 'given with --accounts'}), role ${markdownCode(report.roleName)}, baselines in ${markdownCode(report.baselines)}\n`;
  yield `- Audited: ${s.audited}; not audited (gaps): ${s.gaps}\n`;
  yield `- Failing: ${SEVERITIES.map((sev) => `${s.fail[sev]} ${sev}`).join(', ')}; unknown: ${s.unknown}; suppressed: ${s.suppressed}\n`;
  if (s.drift) yield `- Since ${markdownCode(report.previous ?? '')}: ${s.drift.new} new, ${s.drift.known} known, ${s.drift.resolved} resolved, ${s.drift.unverified} not verified\n`;
  const alsoGaps = report.exitCode === 1 && s.gaps > 0 ? `; ${s.gaps} account(s) were not audited as well (--fail-on-gap makes that exit 4)` : '';
  yield `- Exit code ${report.exitCode} (--fail-on ${markdownCode(report.failOn)}${report.failOnGap ? ', --fail-on-gap' : ''}): ${EXIT_MEANING[report.exitCode] ?? ''}${alsoGaps}\n\n`;
  yield `## Accounts\n\n`;
  const head = ['Account', 'Name', 'Status', ...SEVERITIES, 'unknown', 'collection gaps', ...(withDrift ? ['new / known / resolved'] : []), 'Reports'];
  yield `| ${head.join(' | ')} |\n|${head.map(() => ' --- ').join('|')}|\n`;
  for (const a of report.accounts) yield `${row(a, withDrift)}\n`;
  const overridden = report.accounts.filter((a) => (a.overrides ?? []).length > 0);
  if (overridden.length > 0) {
    yield `\n## Defaults overridden\n\nAn account's own file replaces (or widens) these values of the shared defaults; --strict-defaults makes each an error.\n\n`;
    for (const a of overridden) {
      for (const o of a.overrides!) yield `- ${markdownCode(a.id)}: ${markdownCode(`${o.file}${o.line !== undefined ? `:${o.line}` : ''} ${o.path}`)} ${markdownText(o.message)} (${markdownCode(`${o.defaultsFile} ${o.defaultsPath || '/'}`)})\n`;
    }
  }
  if (report.notes.length > 0) {
    yield `\n## Notes\n\n`;
    for (const n of report.notes) yield `- ${markdownText(n)}\n`;
  }
}
