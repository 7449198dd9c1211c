import { readFileSync } from 'node:fs';
import { compileTemplate } from '../handlebars.js';
import { SEVERITIES } from '../model/severity.js';
import { packagePath } from '../paths.js';
import type { SkippedRegion } from '../model/inventory.js';
import type { Violation } from '../model/violation.js';
import type { AuditReport } from './audit-report.js';

const sources = new Map<string, string>();

/** Templates live in the package's templates/ folder; each is read once. */
export function template(name: string): HandlebarsTemplateDelegate {
  let source = sources.get(name);
  if (source === undefined) {
    source = readFileSync(packagePath('templates', `${name}.md.hbs`), 'utf8');
    sources.set(name, source);
  }
  return compileTemplate(source);
}

/** Markdown table cells and list items must not break on what an attacker named a resource. */
export function inline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/`/g, "'");
}

const SKIP_REASONS: Record<SkippedRegion['reason'], string> = { 'not-opted-in': 'not opted in', 'not-selected': 'not selected with --regions' };

/** `ap-east-1, me-south-1 (not opted in); eu-west-1 (not selected with --regions)` */
function notScanned(skipped: SkippedRegion[]): string {
  return (Object.keys(SKIP_REASONS) as SkippedRegion['reason'][])
    .map((reason) => ({ reason, regions: skipped.filter((s) => s.reason === reason).map((s) => s.region) }))
    .filter((g) => g.regions.length > 0)
    .map((g) => `${g.regions.join(', ')} (${SKIP_REASONS[g.reason]})`)
    .join('; ');
}

function groupByRule(violations: Violation[]) {
  const rules = new Map<string, { ruleId: string; title: string; remediation: string[]; items: { subject: string; message: string }[] }>();
  for (const v of violations) {
    let r = rules.get(v.ruleId);
    if (!r) {
      r = { ruleId: v.ruleId, title: v.title, remediation: v.remediation, items: [] };
      rules.set(v.ruleId, r);
    }
    r.items.push({ subject: inline(v.subject), message: inline(v.message) });
  }
  return [...rules.values()];
}

/** `IAM and 20 regions`, or `IAM, us-east-1 and eu-west-1` when there are few. */
function scopeText(regions: string[]): string {
  const named = regions.filter((r) => r !== 'global');
  const parts = [...(regions.includes('global') ? ['IAM'] : []), ...(named.length > 3 ? [`${named.length} regions`] : named)];
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? 'nothing');
}

export function renderMarkdown(report: AuditReport): string {
  const open = report.violations.filter((v) => !v.suppressed && v.status === 'fail');
  const sections = SEVERITIES.map((s) => ({
    title: s[0]!.toUpperCase() + s.slice(1),
    rules: groupByRule(open.filter((v) => v.severity === s)),
  })).filter((s) => s.rules.length > 0);
  const counts = SEVERITIES.filter((s) => report.summary.fail[s] > 0).map((s) => `${report.summary.fail[s]} ${s}`);
  if (report.summary.unknown) counts.push(`${report.summary.unknown} unknown`);
  if (report.summary.suppressed) counts.push(`${report.summary.suppressed} suppressed`);
  const text = template('audit')({
    ...report,
    clean: open.length === 0,
    openCount: open.length,
    countLine: counts.join(', '),
    scope: scopeText(report.inventory.regions),
    notScanned: notScanned(report.inventory.skippedRegions),
    sections,
    unknown: report.violations.filter((v) => !v.suppressed && v.status === 'unknown').map((v) => ({ ...v, subject: inline(v.subject), message: inline(v.message) })),
    suppressed: report.violations.filter((v) => v.suppressed).map((v) => ({ ...v, subject: inline(v.subject) })),
  });
  return text.replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
