import { readFileSync } from 'node:fs';
import { compileTemplate } from '../handlebars.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import { packagePath } from '../paths.js';
import type { SkippedRegion } from '../model/inventory.js';
import type { AuditReport } from './audit-report.js';
import { driftBlocks } from './drift-markdown.js';
import { evidenceLines } from './evidence-markdown.js';
import { nextSteps } from './next-steps.js';
import { spendLines } from './spend-markdown.js';
import { markdownCell as cell, markdownCode as code, markdownText as text } from './escape.js';

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

/** Blank lines left by the templates' conditionals: at most one in a row, none at the ends. */
export function tidy(markdown: string): string {
  return markdown.replace(/\n{3,}/g, '\n\n').trim();
}

const SKIP_REASONS: Record<SkippedRegion['reason'], string> = { 'not-opted-in': 'not opted in', 'not-selected': 'not selected with --regions' };

/** `ap-east-1, me-south-1 (not opted in); eu-west-1 (not selected with --regions)` */
function notScanned(skipped: SkippedRegion[]): string {
  return (Object.keys(SKIP_REASONS) as SkippedRegion['reason'][])
    .map((reason) => ({ reason, regions: skipped.filter((s) => s.reason === reason).map((s) => text(s.region)) }))
    .filter((g) => g.regions.length > 0)
    .map((g) => `${g.regions.join(', ')} (${SKIP_REASONS[g.reason]})`)
    .join('; ');
}

/** `IAM and 20 regions`, or `IAM, us-east-1 and eu-west-1` when there are few. */
function scopeText(regions: string[]): string {
  const named = regions.filter((r) => r !== 'global').map(text);
  const parts = [...(regions.includes('global') ? ['IAM'] : []), ...(named.length > 3 ? [`${named.length} regions`] : named)];
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? 'nothing');
}

/** The violations sorted into what the report lists: open ones by severity then rule (first-seen order), unknown, suppressed. References only, so a million cost little. */
function sortOut(violations: AuditReport['violations']) {
  const open = new Map<Severity, Map<string, AuditReport['violations']>>(SEVERITIES.map((s) => [s, new Map()]));
  const unknown: AuditReport['violations'] = [];
  const suppressed: AuditReport['violations'] = [];
  for (const v of violations) {
    if (v.suppressed) suppressed.push(v);
    else if (v.status === 'unknown') unknown.push(v);
    else {
      const rules = open.get(v.severity)!;
      const list = rules.get(v.ruleId);
      if (list) list.push(v);
      else rules.set(v.ruleId, [v]);
    }
  }
  return { open, unknown, suppressed };
}

/** The violations' part of the report, block by block, each block starting with its blank line. */
function* violationBlocks(report: AuditReport): Generator<string> {
  const { open, unknown, suppressed } = sortOut(report.violations);
  for (const severity of SEVERITIES) {
    const rules = open.get(severity)!;
    if (rules.size === 0) continue;
    yield `\n\n## ${severity[0]!.toUpperCase()}${severity.slice(1)}`;
    for (const list of rules.values()) {
      const first = list[0]!;
      yield `\n\n### ${text(first.ruleId)}: ${text(first.title)}`;
      for (const v of list) {
        yield `\n- ${v.drift === 'new' ? '**new** ' : ''}${code(v.subject)}: ${text(v.message)}`;
        for (const line of v.evidence ? evidenceLines(v.evidence) : []) yield `\n  - ${line}`;
      }
      if (first.remediation.length > 0) yield `\n\nFix: ${first.remediation.map(text).join(' → ')}`;
    }
  }
  if (unknown.length > 0) {
    yield '\n\n## Could not check';
    for (const v of unknown) yield `\n- **${text(v.ruleId)}** (${v.severity}) on ${code(v.subject)}: ${text(v.message)}`;
  }
  if (suppressed.length > 0) {
    yield '\n\n## Suppressed by baseline exceptions';
    for (const v of suppressed) yield `\n- **${text(v.ruleId)}** on ${code(v.subject)}: ${text(v.suppressed!.reason)}, until ${text(v.suppressed!.expires)}${v.suppressed!.source !== undefined ? ` (exception in ${code(v.suppressed!.source)})` : ''}`;
  }
}

/** The region-by-type table of what was found: a row per region (IAM first), a column per type found anywhere. */
function foundTable(report: AuditReport): string[] {
  const found = report.inventory.found ?? [];
  if (found.length === 0) return [];
  const types = [...new Set(found.map((f) => f.type))];
  const regions = [...new Set(found.map((f) => f.region))];
  const count = new Map(found.map((f) => [`${f.region}\u0000${f.type}`, f.count]));
  const rows = regions.map((r) => `| ${r === 'global' ? 'IAM (global)' : cell(r)} | ${types.map((t) => count.get(`${r}\u0000${t}`) ?? '').join(' | ')} |`);
  return [`| region | ${types.map((t) => code(t, { table: true })).join(' | ')} |`, `|---|${types.map(() => '--:').join('|')}|`, ...rows];
}

/** Where the template puts the violations. No escaped value can hold it: escaping makes every control character visible. */
const VIOLATIONS = '\u0000violations\u0000';

/**
 * The audit report as Markdown, in pieces: the template renders the header,
 * the gaps, the warnings and the notes; the violations, however many, are
 * written one at a time between them. Every value is escaped for Markdown.
 */
export function* markdownChunks(report: AuditReport): Generator<string> {
  const s = report.summary;
  const counts = SEVERITIES.filter((sev) => s.fail[sev] > 0).map((sev) => `${s.fail[sev]} ${sev}`);
  if (s.unknown) counts.push(`${s.unknown} unknown`);
  if (s.suppressed) counts.push(`${s.suppressed} suppressed`);
  const openCount = SEVERITIES.reduce((n, sev) => n + s.fail[sev], 0);
  const frame = template('audit')({
    ...(report.account.alias ? { alias: text(report.account.alias) } : {}),
    accountId: text(report.account.id),
    clean: openCount === 0,
    openCount,
    countLine: counts.join(', '),
    collectedAt: text(report.inventory.collectedAt),
    caller: code(report.caller),
    resources: report.inventory.resources,
    scope: scopeText(report.inventory.regions),
    apiCalls: report.inventory.apiCalls,
    baseline: code(report.baseline),
    rules: report.rules,
    generatedAt: text(report.generatedAt),
    version: text(report.tool.version),
    notScanned: notScanned(report.inventory.skippedRegions),
    gaps: report.gaps.map((g) => ({ type: code(g.type), region: text(g.region), operation: code(g.operation), code: text(g.code), message: text(g.message) })),
    violations: VIOLATIONS,
    nextSteps: nextSteps(report),
    found: foundTable(report),
    spend: spendLines(report.spend),
    warnings: report.warnings.map(text),
    notes: report.notes.map(text),
  });
  const at = frame.indexOf(VIOLATIONS);
  yield tidy(frame.slice(0, at));
  yield* driftBlocks(report);
  yield* violationBlocks(report);
  const tail = tidy(frame.slice(at + VIOLATIONS.length));
  yield tail === '' ? '\n' : `\n\n${tail}\n`;
}

/** The whole report as one string (for tests and small reports; the CLI streams `markdownChunks`). */
export function renderMarkdown(report: AuditReport): string {
  return [...markdownChunks(report)].join('');
}
