import type { AuditReport } from './audit-report.js';
import { markdownCode as code, markdownText as text } from './escape.js';

/** A path as a POSIX shell word: as it is when it holds nothing a shell reads, else single-quoted. */
const shellWord = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

/**
 * What to do now, for the person reading the report, in order: contain, tell
 * AWS, look at what is new, close the gaps, then reconcile the baseline.
 * Markdown lines; the values from outside (the baseline's path, a currency) are escaped.
 */
export function nextSteps(report: AuditReport): string[] {
  const s = report.summary;
  const baseline = code(report.baseline);
  const steps: string[] = [];
  if (s.fail.critical + s.fail.high > 0) {
    steps.push(
      `Contain first: ${code(`rollcall plan --baseline ${shellWord(report.baseline)} -o plan.json`)} writes a plan (reversible steps first) and \`plan.md\` to review; then \`rollcall apply plan.json\`.`,
    );
  }
  if (s.fail.critical > 0) {
    steps.push("Treat this as an incident: follow AWS's guidance for a compromised account, and open a case with AWS Support (the plan's last step has the text to send).");
  }
  const spend = report.spend;
  if (spend && spend.flagged.length > 0) {
    const amount = spend.flagged.map((m) => `${m.amount.toFixed(2)} ${text(m.unit)}`).join(' + ');
    steps.push(
      `Check the bill: ${amount} since the incident began went to regions or services the baseline does not expect (see *Spend since the incident began*). Stop what causes it, and ask AWS Support in the incident case about a billing adjustment for unauthorized usage.`,
    );
  }
  const fresh = report.drift?.counts.new ?? 0;
  if (fresh > 0) steps.push(`Look first at the ${fresh} violation${fresh === 1 ? '' : 's'} new since the previous run (marked **new**).`);
  if (report.gaps.length > 0 || s.unknown > 0) {
    steps.push(
      `Close the gaps: ${s.unknown} check${s.unknown === 1 ? '' : 's'} could not be made (see *Incomplete inventory*). Give the audit role what \`rollcall permissions audit\` prints, or fix the failing regions, and audit again.`,
    );
  }
  const open = Object.values(s.fail).reduce((n, c) => n + c, 0);
  if (open > 0) {
    steps.push(`Reconcile the baseline: declare in ${baseline} what is yours (\`rollcall baseline update\` shows the change), and add an exception with a reason and an expiry for an accepted risk.`);
  }
  return steps;
}
