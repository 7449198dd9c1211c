/**
 * The scan's report (JSON) and its Markdown rendering. Pure. Secrets appear
 * only redacted (the matcher never hands out more); locations name file, line
 * and commit, never the line's content.
 */
import type { ReportedViolation, Violation } from '../model/violation.js';
import { markdownCode, markdownText } from '../report/escape.js';
import type { Location } from './findings.js';
import type { KeyStatus, ScannedKey } from './lookup.js';

export const SCAN_REPORT_FORMAT = 1;

export interface ScanReport {
  format: typeof SCAN_REPORT_FORMAT;
  version: string;
  scannedAt: string;
  path: string;
  accountId: string;
  scanned: { files: number; skippedBinary: number; repository: boolean; commits?: number };
  summary: Record<KeyStatus, number>;
  keys: ScannedKey[];
  violations: ReportedViolation[];
  notes: string[];
}

export interface BuildScanReportInput {
  version: string;
  now: Date;
  path: string;
  accountId: string;
  scanned: ScanReport['scanned'];
  keys: ScannedKey[];
  violations: Violation[];
  notes: string[];
}

const ORDER: KeyStatus[] = ['active', 'unknown', 'inactive', 'temporary', 'not-in-account'];

export function buildScanReport(i: BuildScanReportInput): ScanReport {
  const summary = Object.fromEntries(ORDER.map((s) => [s, i.keys.filter((k) => k.status === s).length])) as Record<KeyStatus, number>;
  const keys = [...i.keys].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || (a.keyId < b.keyId ? -1 : 1));
  return {
    format: SCAN_REPORT_FORMAT,
    version: i.version,
    scannedAt: i.now.toISOString(),
    path: i.path,
    accountId: i.accountId,
    scanned: i.scanned,
    summary,
    keys,
    violations: i.violations.map(({ resourceId: _, ...shown }) => shown),
    notes: i.notes,
  };
}

const STATUS_TEXT: Record<KeyStatus, string> = {
  active: '**ACTIVE**',
  inactive: 'inactive',
  unknown: 'unknown (access keys could not be read)',
  temporary: 'temporary (STS)',
  'not-in-account': 'not in this account',
};

/** Locations shown per key in Markdown; the JSON report has them all. */
export const SHOWN_LOCATIONS = 20;

export const shortCommit = (commit: string): string => commit.slice(0, 12);

export function locationText(l: Location): string {
  const at = `${markdownCode(l.file)} line ${l.line}`;
  return l.commit ? `${at}, commit ${markdownCode(shortCommit(l.commit))}${l.committedAt ? ` (${markdownText(l.committedAt)})` : ''}` : `${at} (working tree)`;
}

export function scanMarkdown(r: ScanReport): string {
  const out: string[] = [];
  out.push(`# Access keys in code: ${markdownCode(r.path)}`, '');
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const what = r.scanned.repository ? `${n(r.scanned.files, 'file')} and ${n(r.scanned.commits ?? 0, 'commit')} (the whole history, every ref)` : n(r.scanned.files, 'file');
  const lookedUp = r.accountId ? `, looked up in account ${markdownCode(r.accountId)}` : '';
  out.push(`Scanned ${what} on ${markdownText(r.scannedAt)}${lookedUp}.${r.scanned.skippedBinary ? ` ${n(r.scanned.skippedBinary, 'binary file')} skipped.` : ''}`, '');
  if (r.keys.length === 0) {
    out.push('No access key id found.', '');
  } else {
    const counts = ORDER.filter((s) => r.summary[s] > 0).map((s) => `${r.summary[s]} ${s}`);
    out.push(`${r.keys.length} access key id${r.keys.length === 1 ? '' : 's'} found: ${counts.join(', ')}.`, '');
    out.push('| Key id | Status | User | Last used | Secret nearby | Places |', '| --- | --- | --- | --- | --- | --- |');
    for (const k of r.keys) {
      const secret = k.secretNearby ? markdownCode(k.secretNearby.redacted, { table: true }) : '';
      out.push(
        `| ${markdownCode(k.keyId, { table: true })} | ${STATUS_TEXT[k.status]} | ${k.user ? markdownCode(k.user, { table: true }) : ''} | ${k.status === 'active' || k.status === 'inactive' ? (k.lastUsedDate ? markdownText(k.lastUsedDate) : 'never') : ''} | ${secret} | ${k.locations.length}${k.reportedByAws ? ' and AWS Health' : ''} |`,
      );
    }
    out.push('');
    for (const k of r.keys) {
      out.push(`## ${markdownCode(k.keyId)}: ${STATUS_TEXT[k.status]}`, '');
      for (const l of k.locations.slice(0, SHOWN_LOCATIONS)) out.push(`- ${locationText(l)}`);
      if (k.locations.length > SHOWN_LOCATIONS) out.push(`- and ${k.locations.length - SHOWN_LOCATIONS} more (the JSON report lists them all)`);
      for (const e of k.reportedByAws ?? []) out.push(`- reported exposed by AWS Health: event ${markdownCode(e.eventArn)}${e.startTime ? ` (since ${markdownText(e.startTime)})` : ''}`);
      if (k.secretNearby) out.push(`- a secret-shaped string ${markdownCode(k.secretNearby.redacted)} near it: ${locationText(k.secretNearby.at)}`);
      out.push('');
    }
  }
  if (r.violations.length > 0) {
    out.push('## Violations', '');
    for (const v of r.violations) out.push(`- **${v.severity}** ${markdownCode(v.ruleId)} ${markdownCode(v.subject)}: ${markdownText(v.message)}`);
    out.push('');
  }
  const toList = r.keys.filter((k) => k.status === 'active' || k.status === 'inactive');
  if (toList.length > 0) {
    out.push('## What to do now', '');
    out.push(
      `1. Add ${toList.length === 1 ? 'this key' : 'these keys'} to the baseline's \`incident.exposedKeys\`: run again with \`--add-to-baseline BASELINE\`, or add ${toList.map((k) => markdownCode(k.keyId)).join(', ')} by hand.`,
      '2. `rollcall plan -b BASELINE -o plan.json` then plans the rotation (a replacement key, then deactivation of the exposed one); review it and `rollcall apply plan.json`.',
      '3. Remove the key from the code and, where the repository was shared, from its history; a key that was ever pushed stays exposed, so rotate it whatever the history now says.',
      '',
    );
  }
  if (r.keys.some((k) => k.status === 'temporary')) {
    out.push('Temporary (ASIA) key ids belong to STS sessions: IAM does not list them, and they expire on their own (at most 36 hours after issue). A recent one is still usable with its session token: revoke the sessions of the role that issued it.', '');
  }
  for (const n of r.notes) out.push(`Note: ${markdownText(n)}`, '');
  return out.join('\n');
}
