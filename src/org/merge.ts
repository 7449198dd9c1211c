/**
 * `rollcall report merge SHARD...`: the shards' org reports of one org run
 * (`audit --org --shard i/N`, i = 1..N) as the one org report the unsharded
 * run writes. Every shard must be there once, from the same run settings;
 * every account must be in its own shard (shard.ts), so none is counted twice
 * and none is missing from the shard it belongs to. The accounts' report paths
 * are rebased on the merged report's folder; the generation time is the
 * earliest shard's.
 */
import path from 'node:path';
import { InputError, type InputProblem } from '../errors.js';
import { buildOrgReport, type OrgAccountEntry, type OrgReport } from '../report/org-report.js';
import { shardOf } from './shard.js';

export interface ShardReport {
  file: string;
  report: OrgReport;
}

/** The settings every shard of one run shares. */
const SAME = ['source', 'roleName', 'baselines', 'failOn', 'failOnGap', 'previous'] as const;

function rebase(from: string, to: string, p: string): string {
  return path.relative(to, path.resolve(from, p)).split(path.sep).join('/');
}

export function mergeShards(shards: readonly ShardReport[], outDir: string): OrgReport {
  if (shards.length === 0) throw InputError.at({ file: 'report merge' }, 'name the shards\' org reports to merge');
  const problems: InputProblem[] = [];
  const first = shards[0]!;
  const count = first.report.shard?.count;
  const seen = new Map<number, string>();
  for (const { file, report } of shards) {
    if (!report.shard) {
      problems.push({ file, path: '/shard', message: 'not a shard\'s report (it has no shard): merge the reports of audit --shard i/N' });
      continue;
    }
    if (report.shard.count !== count) problems.push({ file, path: '/shard/count', message: `a shard of ${report.shard.count}, but ${first.file} is a shard of ${count}` });
    const other = seen.get(report.shard.index);
    if (other) problems.push({ file, path: '/shard/index', message: `shard ${report.shard.index} is also ${other}` });
    seen.set(report.shard.index, file);
    if (report.tool.version !== first.report.tool.version) problems.push({ file, path: '/tool/version', message: `written by rollcall ${report.tool.version}, ${first.file} by ${first.report.tool.version}` });
    for (const key of SAME) {
      if (report[key] !== first.report[key]) problems.push({ file, path: `/${key}`, message: `${key} is ${JSON.stringify(report[key] ?? null)}, but ${JSON.stringify(first.report[key] ?? null)} in ${first.file}: not shards of one run` });
    }
    if (!report.run) problems.push({ file, path: '/run', message: 'has no run fingerprint (written by an older rollcall): run every shard again with this one' });
    else if (first.report.run && report.run.fingerprint !== first.report.run.fingerprint) {
      problems.push({ file, path: '/run/fingerprint', message: `run ${report.run.id ?? report.run.fingerprint.slice(0, 12)}, but ${first.file} is of run ${first.report.run.id ?? first.report.run.fingerprint.slice(0, 12)}: not shards of one run (the organization, regions, Config source, rules, --accounts or --run-id differ)` });
    }
    report.accounts.forEach((a, i) => {
      const own = shardOf(a.id, report.shard!.count);
      if (own !== report.shard!.index) problems.push({ file, path: `/accounts/${i}/id`, message: `account ${a.id} belongs to shard ${own}/${report.shard!.count}, not ${report.shard!.index}` });
    });
  }
  if (count !== undefined && problems.length === 0) {
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    if (missing.length > 0) problems.push({ file: 'report merge', message: `missing shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')}: every shard's report is needed` });
  }
  if (problems.length > 0) throw new InputError(problems);

  const accounts: OrgAccountEntry[] = [];
  for (const { file, report } of shards) {
    const from = path.dirname(path.resolve(file));
    for (const a of report.accounts) {
      accounts.push(a.reports ? { ...a, reports: { ...a.reports, json: rebase(from, outDir, a.reports.json), md: rebase(from, outDir, a.reports.md) } } : a);
    }
  }
  const generatedAt = shards.map((s) => s.report.generatedAt).sort((a, b) => Date.parse(a) - Date.parse(b))[0]!;
  const r = first.report;
  return buildOrgReport(
    {
      version: r.tool.version,
      generatedAt,
      source: r.source,
      roleName: r.roleName,
      baselines: r.baselines,
      failOn: r.failOn,
      ...(r.run ? { run: r.run } : {}),
      ...(r.failOnGap ? { failOnGap: true } : {}),
      ...(r.previous !== undefined ? { previous: r.previous } : {}),
    },
    accounts,
    shards.flatMap((s) => s.report.notes),
  );
}
