/**
 * The audit report's spend evidence as Markdown lines (the template puts them
 * under their heading, beside what was found). Every value from Cost
 * Explorer (service and region names, currencies, error text) is escaped.
 */
import { markdownCell as cell, markdownCode as code, markdownText as text } from './escape.js';
import type { Money, SpendEvidence, SpendFlag } from './spend.js';

const FLAG_TEXT: Record<SpendFlag, string> = { 'region-not-allowed': 'region not allowed', 'service-not-expected': 'service not expected' };

/** `12.34 USD`; what rounds to nothing but is not nothing shows as `< 0.01`. */
function money(amount: number, unit: string): string {
  const shown = Math.abs(amount) < 0.005 && amount !== 0 ? `${amount < 0 ? '-' : ''}< 0.01` : amount.toFixed(2);
  return `${shown} ${text(unit)}`;
}

/** The last day of the window: the day before Cost Explorer's end, which it excludes. */
function lastDay(end: string | undefined): string {
  const d = end === undefined ? NaN : Date.parse(`${end}T00:00:00Z`);
  return Number.isNaN(d) ? (end ?? '') : new Date(d - 86_400_000).toISOString().slice(0, 10);
}

const moneys = (sums: readonly Money[]): string => (sums.length === 0 ? '0.00' : sums.map((m) => money(m.amount, m.unit)).join(' + '));

/** How the costs were judged, in one sentence. */
function judgedBy(s: SpendEvidence): string {
  const regions = s.allowedRegions
    ? `regions outside \`regions.allowed\` (${s.allowedRegions.map(text).join(', ')}; Cost Explorer's \`global\` and \`NoRegion\` are no region)`
    : 'no region (the baseline sets no `regions.allowed`)';
  return `Flagged: costs in ${regions}, and on services other than ${s.expectedServices.map((n) => code(n)).join(', ')} (\`spend.expectedServices\` adds to them).`;
}

/** The lines of the spend section; empty when there is no evidence to show. */
export function spendLines(s: SpendEvidence | undefined): string[] {
  if (!s) return [];
  if (s.status === 'not-collected') {
    return [
      `Not read: this inventory holds no spend. A live \`rollcall audit\` reads it from Cost Explorer when the baseline sets \`incident.since\` (${text(s.since)}).`,
    ];
  }
  if (s.start !== undefined && s.start === s.end) {
    return [`Nothing to read: \`incident.since\` (${text(s.since)}) is after this collection.`];
  }
  const window = `Cost Explorer's ${text(s.metric ?? '')} from ${text(s.start ?? '')} through ${text(lastDay(s.end))} (whole UTC days, from that of ${text(s.since)})`;
  if (s.status === 'unreadable') {
    const e = s.error;
    return [
      `> **Could not be read**: ${window}. ${e ? `${code(e.operation)} failed (${text(e.code)}): ${text(e.message)}` : 'Cost Explorer gave no costs.'}`,
      '> Check the Bills page in the console, or give the audit role `ce:GetCostAndUsage` and audit again (Cost Explorer must be enabled for the account; in an organization the management account grants its members access).',
    ];
  }
  const shown = s.lines.filter((l) => l.amount !== 0);
  const hidden = s.lines.length - shown.length;
  const flaggedCount = s.lines.filter((l) => l.flags.length > 0).length;
  const summary =
    flaggedCount > 0
      ? `**${moneys(s.flagged)}** of it in ${flaggedCount} cost${flaggedCount === 1 ? '' : 's'} the baseline does not expect (flagged below).`
      : 'Nothing the baseline does not expect.';
  const lines = [`${window}${s.estimated ? ', partly estimated' : ''}: ${moneys(s.total)} in all. ${summary}`];
  if (shown.length > 0) {
    lines.push(
      '',
      '| region | service | cost | flagged |',
      '|---|---|--:|---|',
      ...shown.map((l) => `| ${cell(l.region === '' ? '(none)' : l.region)} | ${cell(l.service === '' ? '(none)' : l.service)} | ${money(l.amount, l.unit)} | ${l.flags.map((f) => `**${FLAG_TEXT[f]}**`).join(', ')} |`),
    );
  }
  if (hidden > 0) lines.push('', `${hidden} more with no cost not shown (the JSON report lists them).`);
  lines.push('', judgedBy(s));
  return lines;
}
