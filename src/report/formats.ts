import { InputError } from '../errors.js';
import type { Baseline } from '../model/baseline.js';
import type { Inventory } from '../model/inventory.js';
import type { Rule } from '../model/rule.js';
import type { SourceLines } from '../model/source-lines.js';
import type { Violation } from '../model/violation.js';
import type { AuditReport } from './audit-report.js';

/**
 * What a report format writes from: the report (what the JSON report holds),
 * and beside it what a format may need that the report leaves out.
 */
export interface ReportInput {
  report: AuditReport;
  /** The rules the audit evaluated, with their rationale and references. */
  rules: readonly Rule[];
  /** The violations with every field (the report's leave `resourceId` out). Same order as `report.violations`. */
  violations: readonly Violation[];
  /** The baseline audited against, and the line of each of its entries (read when it was loaded). */
  baseline: Baseline;
  baselineLines: SourceLines;
  /**
   * The inventory audited. Read as it was audited (worker threads), its
   * resources are only the access keys, and the resources that failed a rule
   * for a format that says `readsFailingResources`.
   */
  inventory: Inventory;
  /** The folder the audit ran from: a report's relative paths are relative to it. */
  cwd: string;
}

/** A report as pieces of text, never one string: a report of a million violations is longer than a string can be. */
export type ReportWriter = (input: ReportInput) => Iterable<string>;

export interface ReportFormat {
  /** For `--help`. */
  description: string;
  /** The writer, loaded only when a report is written in this format: `--help` reads the registry without loading any. */
  load(): Promise<ReportWriter>;
  /** Whether the writer looks up the resource each violation concerns in `inventory.resources` (SARIF: which selector claims it). */
  readsFailingResources?: boolean;
}

/** Every report format `audit --format` writes. A new format is a module and a line here. */
export const REPORT_FORMATS = {
  md: {
    description: 'Markdown, for people',
    load: async () => {
      const { markdownChunks } = await import('./markdown.js');
      return ({ report }) => markdownChunks(report);
    },
  },
  json: {
    description: 'JSON, every value as AWS gave it',
    load: async () => {
      const { jsonChunks } = await import('./json.js');
      return ({ report }) => jsonChunks({ ...report });
    },
  },
  sarif: {
    description: 'SARIF 2.1.0, for GitHub code scanning',
    load: async () => (await import('./sarif.js')).sarifChunks,
    readsFailingResources: true,
  },
} as const satisfies Record<string, ReportFormat>;

export type ReportFormatName = keyof typeof REPORT_FORMATS;

export const REPORT_FORMAT_NAMES = Object.keys(REPORT_FORMATS) as ReportFormatName[];

/** `md (Markdown, for people), json (...)`: the formats for `--help`. */
export function reportFormatsHelp(): string {
  return REPORT_FORMAT_NAMES.map((name) => `${name} (${REPORT_FORMATS[name].description})`).join(', ');
}

/** The format `--format` names, or an InputError listing the ones there are. */
export function reportFormat(name: string): ReportFormat {
  if (Object.hasOwn(REPORT_FORMATS, name)) return REPORT_FORMATS[name as ReportFormatName];
  throw InputError.at({ file: '--format' }, `must be one of: ${REPORT_FORMAT_NAMES.join(', ')} (got '${name}')`);
}
