import path from 'node:path';
import { lineAt } from '../model/source-lines.js';
import { ruleTypes, type Rule } from '../model/rule.js';
import type { Severity } from '../model/severity.js';
import type { Violation } from '../model/violation.js';
import { baselineEntries } from './baseline-entry.js';
import { markdownCode, markdownText, sarifText, terminalLines, terminalText } from './escape.js';
import type { DriftStatus } from './drift.js';
import type { ReportInput } from './formats.js';

/** The OASIS schema of SARIF 2.1.0 (errata 01), the version GitHub code scanning reads. */
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The key of rollcall's own fingerprint among a result's partialFingerprints: rule, account and subject, stable across runs. */
export const FINGERPRINT_KEY = 'rollcallFingerprint/v1';

/** Relative URIs are resolved against the folder the audit ran from, which in CI is the repository's root. */
export const URI_BASE = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';

/** GitHub code scanning keeps at most this many tags of a rule. */
const MAX_TAGS = 10;

/**
 * GitHub code scanning's severity of a security alert: `security-severity`, a
 * score 0.1-10 it reads as low (< 4), medium (< 7), high (< 9) or critical,
 * for a rule tagged `security`; `level` for the rest (and for SARIF readers).
 */
const SEVERITY: Record<Severity, { level: Level; score?: string }> = {
  critical: { level: 'error', score: '9.5' },
  high: { level: 'error', score: '8.0' },
  medium: { level: 'warning', score: '5.5' },
  low: { level: 'note', score: '2.0' },
  // Information, not a security alert: no score, so GitHub shows its level.
  info: { level: 'note' },
};

/** `iam-user-undeclared` -> `IamUserUndeclared`: SARIF's rule names are identifiers, its ids rollcall's. */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** A link only for a plain https URL (no space, quote, angle bracket or parenthesis to end it early); any other reference shown as code. */
const SAFE_URL = /^https:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/[A-Za-z0-9\-._~%!$&*+,;=:@/?#]*)?$/;

function referenceMarkdown(ref: string): string {
  return SAFE_URL.test(ref) ? `[${markdownText(ref)}](${ref})` : markdownCode(ref);
}

function ruleDescriptor(rule: Rule) {
  const severity = SEVERITY[rule.severity];
  const refs = rule.references ?? [];
  const helpText = [
    rule.rationale.trim(),
    ...(rule.remediation.length > 0 ? [`Remediation: ${rule.remediation.join(' -> ')}`] : []),
    ...(refs.length > 0 ? [`References:\n${refs.map((r) => `- ${r}`).join('\n')}`] : []),
  ].join('\n\n');
  const helpMarkdown = [
    markdownText(rule.rationale.trim()),
    ...(rule.remediation.length > 0 ? [`**Remediation:** ${rule.remediation.map((a) => markdownCode(a)).join(' → ')}`] : []),
    ...(refs.length > 0 ? [`**References:**\n\n${refs.map((r) => `- ${referenceMarkdown(r)}`).join('\n')}`] : []),
  ].join('\n\n');
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: terminalLines(rule.title) },
    fullDescription: { text: terminalLines(rule.rationale.trim()) },
    help: { text: terminalLines(helpText), markdown: helpMarkdown },
    defaultConfiguration: { level: severity.level },
    properties: {
      // GitHub keeps 10 tags of a rule: `security` (what makes it read security-severity) and the pack come first.
      tags: ['security', ...(rule.pack ? [rule.pack] : []), ...ruleTypes(rule)].slice(0, MAX_TAGS),
      ...(severity.score !== undefined ? { 'security-severity': severity.score } : {}),
      severity: rule.severity,
      relation: rule.relation,
    },
  };
}

/**
 * A file's path as a relative URI (forward slashes, each segment
 * percent-encoded): relative to `cwd` when the path was absolute.
 */
export function artifactUri(file: string, cwd: string): string {
  const relative = path.isAbsolute(file) ? path.relative(cwd, file) : path.normalize(file);
  return relative
    .split(/[\\/]+/)
    .filter((s) => s !== '' && s !== '.')
    .map((s) => (s === '..' ? s : encodeURIComponent(s)))
    .join('/');
}

/**
 * The audit as a SARIF 2.1.0 log for GitHub code scanning, in pieces: the
 * rules (one per rule loaded, with its rationale, remediation and references)
 * and the run's facts first, then each violation on its own, so a million
 * violations are never one string. A result is located in the baseline, at
 * the entry it concerns or the section its declaration belongs in; its message
 * is plain text with every value from AWS escaped (`sarifText`).
 */
export function* sarifChunks(input: ReportInput): Generator<string> {
  const { report, rules, violations, baseline, baselineLines } = input;
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const entryOf = baselineEntries(baseline, input.inventory.resources);
  const uri = artifactUri(baselineLines.file, input.cwd);

  const notifications = [
    ...report.warnings.map((w) => ({ level: 'warning' as const, message: { text: sarifText(w) } })),
    ...report.gaps.map((g) => ({ level: 'warning' as const, message: { text: sarifText(`Not collected: ${g.operation} in ${g.region} failed (${g.code}): ${g.message}`) } })),
    ...report.notes.map((n) => ({ level: 'note' as const, message: { text: sarifText(n) } })),
  ];
  const run = {
    tool: { driver: { name: 'rollcall', version: report.tool.version, semanticVersion: report.tool.version, rules: rules.map(ruleDescriptor) } },
    // One category per account: uploading one account's audit leaves another's alerts open.
    automationDetails: { id: `rollcall/${report.account.id}/` },
    invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }],
    properties: {
      account: report.account,
      caller: report.caller,
      collectedAt: report.inventory.collectedAt,
      regions: report.inventory.regions,
      baseline: report.baseline,
    },
    results: [] as unknown[],
  };
  const log = { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
  const frame = JSON.stringify(log, null, 2);
  // `results` is the run's last field and the run the log's last: the text after it is the closing brackets, whatever the values before it hold.
  const at = frame.lastIndexOf('"results": []');
  if (violations.length === 0) {
    yield `${frame}\n`;
    return;
  }
  yield `${frame.slice(0, at)}"results": [`;
  for (const [i, v] of violations.entries()) {
    const result = resultOf(v, ruleIndex.get(v.ruleId), uri, lineAt(baselineLines, entryOf(v)), report.violations[i]?.drift);
    yield `${i === 0 ? '' : ','}\n        ${JSON.stringify(result, null, 2).replace(/\n/g, '\n        ')}`;
  }
  yield `\n      ]${frame.slice(at + '"results": []'.length)}\n`;
}

/** With --previous: a violation the previous report had is `unchanged`, any other `new` (the gone ones are the JSON and Markdown reports' `resolved`). */
const BASELINE_STATE: Record<DriftStatus, 'new' | 'unchanged'> = { new: 'new', known: 'unchanged' };

function resultOf(v: Violation, index: number | undefined, uri: string, line: number, drift: DriftStatus | undefined) {
  const unknown = v.status === 'unknown';
  return {
    ruleId: v.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    // A rule a gap kept from being checked is open, not failed: SARIF gives such a result no level.
    kind: unknown ? 'open' : 'fail',
    level: unknown ? 'none' : SEVERITY[v.severity].level,
    message: { text: sarifText(v.message) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri, uriBaseId: URI_BASE }, region: { startLine: line } },
        logicalLocations: [{ fullyQualifiedName: v.subject }],
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: v.fingerprint },
    ...(drift !== undefined ? { baselineState: BASELINE_STATE[drift] } : {}),
    ...(v.suppressed
      ? { suppressions: [{ kind: 'external', status: 'accepted', justification: sarifText(`${v.suppressed.reason} (baseline exception, until ${v.suppressed.expires})`) }] }
      : {}),
    properties: {
      subject: v.subject,
      resourceType: v.resourceType,
      region: v.region,
      severity: v.severity,
      ...(v.arn ? { arn: v.arn } : {}),
      // CloudTrail's values, as data: control characters made visible like every other text from AWS.
      ...(v.evidence ? { evidence: visibleStrings(v.evidence) } : {}),
    },
  };
}

/** A JSON value with every string's control characters made visible. */
function visibleStrings(value: unknown): unknown {
  if (typeof value === 'string') return terminalText(value);
  if (Array.isArray(value)) return value.map(visibleStrings);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visibleStrings(v)]));
  return value;
}
