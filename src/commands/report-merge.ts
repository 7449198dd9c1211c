/**
 * `rollcall report merge SHARD... --out-dir DIR`: the shards' org reports of
 * one sharded org run as its org report (org-report.json and .md in DIR),
 * identical to what the unsharded run writes; exits as that run would.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { ExitCode } from '../exit-codes.js';
import { loadOrgReport } from '../load/org-report.js';
import { fileSha256 } from '../org/fingerprint.js';
import { mergeShards } from '../org/merge.js';
import { jsonChunks } from '../report/json.js';
import { orgMarkdownChunks } from '../report/org-markdown.js';
import { orgReportName } from '../report/org-report.js';
import { writeChunksAtomic } from '../report/output.js';
import { makeLog } from './options.js';

export function runReportMerge(files: string[], o: { outDir: string; quiet?: boolean }): ExitCode {
  const stats = statSync(o.outDir, { throwIfNoEntry: false });
  if (stats && !stats.isDirectory()) throw InputError.at({ file: '--out-dir' }, `'${o.outDir}' is a file, not a folder`);
  const shards = files.map((file) => ({ file, report: loadOrgReport(file) }));
  const merged = mergeShards(shards, path.resolve(o.outDir));
  // The org report links each account's reports: they must be where it says, or its links lead nowhere.
  const missing = merged.accounts.flatMap((a) => (a.reports ? [a.reports.json, a.reports.md] : [])).filter((f) => !existsSync(path.join(o.outDir, f)));
  if (missing.length > 0) {
    throw InputError.at(
      { file: '--out-dir' },
      `${missing.length} account report(s) the shards name are not in ${o.outDir} (first: ${missing[0]}): gather every shard's folder there (download-artifact with merge-multiple), or name that folder`,
    );
  }
  // Each account report must be the one its shard wrote in this run: not a stale file, nor another run's.
  const foreign: string[] = [];
  for (const a of merged.accounts) {
    if (!a.reports) continue;
    if (!a.reports.sha256) {
      foreign.push(`${a.reports.json}: the shard recorded no digest (written by an older rollcall)`);
      continue;
    }
    for (const kind of ['json', 'md'] as const) {
      if (fileSha256(path.join(o.outDir, a.reports[kind])) !== a.reports.sha256[kind]) foreign.push(`${a.reports[kind]}: not the report this run wrote for account ${a.id} (a stale file, or another run's)`);
    }
  }
  if (foreign.length > 0) throw new InputError(foreign.map((message) => ({ file: o.outDir, message })));
  mkdirSync(o.outDir, { recursive: true });
  const name = orgReportName(undefined);
  writeChunksAtomic(path.join(o.outDir, `${name}.json`), jsonChunks({ ...merged }));
  writeChunksAtomic(path.join(o.outDir, `${name}.md`), orgMarkdownChunks(merged));
  const s = merged.summary;
  makeLog(o)(`${shards.length} shard(s) merged: ${s.audited} of ${s.accounts} account(s) audited, ${s.gaps} not (gaps); written to ${path.join(o.outDir, `${name}.json`)} and .md`);
  return merged.exitCode;
}
