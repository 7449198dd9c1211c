import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { removeStaleReports } from '../../../src/org/run.js';
import { runReportMerge } from '../../../src/commands/report-merge.js';
import { tempDir } from '../../helpers/temp.js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { mergeShards } from '../../../src/org/merge.js';
import { shardOf, type Shard } from '../../../src/org/shard.js';
import { buildOrgReport, type OrgAccountEntry, type OrgReportHeader } from '../../../src/report/org-report.js';
import { validator } from '../../../src/load/schemas.js';

const ids = ['100000000001', '100000000002', '100000000003', '100000000004', '100000000005', '100000000006', '100000000007'];

/** The SHA-256 of '{}', the accounts' reports the command's test writes. */
const EMPTY_SHA = createHash('sha256').update('{}').digest('hex');
const RUN = { fingerprint: 'a'.repeat(64), id: '1234-1' };
const summary = (high: number) => ({ fail: { critical: 0, high, medium: 0, low: 0, info: 0 }, unknown: 0, suppressed: 0, total: high });
const entry = (id: string, i: number): OrgAccountEntry =>
  i % 3 === 0
    ? { id, status: 'gap', gap: { reason: 'role', message: 'AccessDenied' }, exitCode: 4 }
    : { id, name: `acct ${i}`, status: 'audited', baseline: [`baselines/${id}.yaml`], reports: { json: `accounts/${id}.json`, md: `accounts/${id}.md`, sha256: { json: EMPTY_SHA, md: EMPTY_SHA } }, resources: i, collectionGaps: 0, summary: summary(i % 2), exitCode: i % 2 ? 1 : 0 };
const header = (shard?: Shard, generatedAt = '2026-11-29T12:00:00.000Z'): OrgReportHeader => ({
  version: '0.1.0',
  generatedAt,
  source: 'organization',
  roleName: 'rollcall-audit',
  baselines: 'baselines',
  failOn: 'low',
  run: RUN,
  ...(shard ? { shard } : {}),
});
const NOTE = '999999999999.yaml: the organization does not list account 999999999999 as ACTIVE; not audited';
const whole = buildOrgReport(header(), ids.map(entry), [NOTE]);
const shardReport = (index: number, count: number, generatedAt?: string) =>
  buildOrgReport(header({ index, count }, generatedAt), ids.map(entry).filter((a) => shardOf(a.id, count) === index), [NOTE]);
const out = path.resolve('out');
const files = (count: number) => Array.from({ length: count }, (_, i) => ({ file: path.join(out, `org-report.shard-${i + 1}-of-${count}.json`), report: shardReport(i + 1, count) }));

function problems(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.problems.map((p) => `${path.basename(p.file)}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
    throw e;
  }
  throw new Error('no InputError');
}

describe('report merge', () => {
  it('the shards, in any order, merge into the unsharded report; every report is valid against its schema', () => {
    for (const count of [1, 2, 3, 5]) {
      const shards = files(count).reverse();
      expect(mergeShards(shards, out), `${count} shards`).toEqual(whole);
    }
    expect(validator('org-report')(whole)).toBe(true);
    expect(validator('org-report')(shardReport(1, 2))).toBe(true);
    expect(whole.summary).toMatchObject({ accounts: 7, audited: 4, gaps: 3 });
    expect(whole.exitCode).toBe(1);
  });

  it('rebases the accounts\' report paths on the merged report\'s folder, and takes the earliest shard\'s time', () => {
    const [a, b] = files(2);
    const merged = mergeShards([{ ...a!, file: path.join(out, 'one', 'org.json') }, { ...b!, report: shardReport(2, 2, '2026-11-29T11:00:00.000Z') }], out);
    const moved = merged.accounts.filter((x) => x.reports && shardOf(x.id, 2) === 1);
    expect(moved.length).toBeGreaterThan(0);
    for (const x of moved) expect(x.reports!.json).toBe(`one/accounts/${x.id}.json`);
    expect(merged.generatedAt).toBe('2026-11-29T11:00:00.000Z');
  });

  it('refuses what is not one run\'s complete set of shards', () => {
    const three = files(3);
    expect(problems(() => mergeShards(three.slice(0, 2), out))).toEqual(['report merge: missing shard 3/3: every shard\'s report is needed']);
    expect(problems(() => mergeShards([three[0]!, three[0]!, three[1]!, three[2]!], out))).toEqual([expect.stringContaining('/shard/index: shard 1 is also')]);
    expect(problems(() => mergeShards([three[0]!, files(2)[1]!], out))).toEqual([expect.stringContaining('/shard/count: a shard of 2, but')]);
    expect(problems(() => mergeShards([{ file: 'whole.json', report: whole }], out))).toEqual([expect.stringContaining("not a shard's report")]);
    const other = { ...three[1]!, report: { ...three[1]!.report, roleName: 'other' } };
    expect(problems(() => mergeShards([three[0]!, other, three[2]!], out))).toEqual([expect.stringContaining('/roleName: roleName is "other"')]);
    // Shards of another run (other settings, or another --run-id), or of a rollcall that wrote no fingerprint.
    const otherRun = { ...three[1]!, report: { ...three[1]!.report, run: { fingerprint: 'b'.repeat(64), id: '1235-1' } } };
    expect(problems(() => mergeShards([three[0]!, otherRun, three[2]!], out))).toEqual([expect.stringContaining('/run/fingerprint: run 1235-1, but')]);
    const { run: _, ...unstamped } = three[2]!.report;
    expect(problems(() => mergeShards([three[0]!, three[1]!, { ...three[2]!, report: unstamped }], out))).toEqual([expect.stringContaining('/run: has no run fingerprint')]);
    // An account in a shard it does not belong to: counted twice, or missing from its own.
    const stray = { ...three[0]!, report: { ...three[0]!.report, accounts: [...three[0]!.report.accounts, ...three[1]!.report.accounts.slice(0, 1)] } };
    expect(problems(() => mergeShards([stray, three[1]!, three[2]!], out))).toEqual([expect.stringMatching(/\/accounts\/\d+\/id: account \d{12} belongs to shard 2\/3, not 1$/)]);
  });

  it('the command: refuses, writing nothing, when the accounts\' reports are not in --out-dir; else writes the org report and exits as the run would', () => {
    const dir = tempDir('rollcall-merge-');
    const shards = files(3).map((f) => {
      const file = path.join(dir, path.basename(f.file));
      writeFileSync(file, JSON.stringify(f.report));
      return file;
    });
    expect(() => runReportMerge(shards, { outDir: dir, quiet: true })).toThrow(/account report\(s\) the shards name are not in/);
    expect(existsSync(path.join(dir, 'org-report.json'))).toBe(false);
    mkdirSync(path.join(dir, 'accounts'));
    for (const a of whole.accounts) if (a.reports) for (const f of [a.reports.json, a.reports.md]) writeFileSync(path.join(dir, f), '{}');
    expect(runReportMerge(shards, { outDir: dir, quiet: true })).toBe(1);
    expect(JSON.parse(readFileSync(path.join(dir, 'org-report.json'), 'utf8'))).toEqual(whole);
    expect(readFileSync(path.join(dir, 'org-report.md'), 'utf8')).toContain('# rollcall org audit');
  });

  it("the command refuses an account's report that is not the one its shard wrote (a stale file, another run's), writing nothing", () => {
    const dir = tempDir('rollcall-merge-');
    const shards = files(3).map((f) => {
      const file = path.join(dir, path.basename(f.file));
      writeFileSync(file, JSON.stringify(f.report));
      return file;
    });
    mkdirSync(path.join(dir, 'accounts'));
    for (const a of whole.accounts) if (a.reports) for (const f of [a.reports.json, a.reports.md]) writeFileSync(path.join(dir, f), '{}');
    const stale = whole.accounts.find((a) => a.reports)!;
    writeFileSync(path.join(dir, stale.reports!.json), '{"an": "earlier run"}');
    expect(() => runReportMerge(shards, { outDir: dir, quiet: true })).toThrow(new RegExp(`accounts/${stale.id}.json: not the report this run wrote`));
    expect(existsSync(path.join(dir, 'org-report.json'))).toBe(false);
  });

  it("an org run removes the accounts' reports of its shard that it did not write, and leaves the other shards' and its own", () => {
    const dir = tempDir('rollcall-stale-');
    mkdirSync(path.join(dir, 'accounts'));
    const [mineWritten, mineStale, other] = (() => {
      const inOne = ids.filter((id) => shardOf(id, 2) === 1);
      const inTwo = ids.filter((id) => shardOf(id, 2) === 2);
      return [inOne[0]!, inOne[1]!, inTwo[0]!];
    })();
    for (const id of [mineWritten, mineStale, other]) for (const ext of ['json', 'md']) writeFileSync(path.join(dir, 'accounts', `${id}.${ext}`), '{}');
    writeFileSync(path.join(dir, 'accounts', 'notes.txt'), 'mine');
    const logged: string[] = [];
    removeStaleReports(dir, [{ id: mineWritten, status: 'audited', reports: { json: `accounts/${mineWritten}.json`, md: `accounts/${mineWritten}.md` }, exitCode: 0 }], { index: 1, count: 2 }, (m) => logged.push(m));
    expect(readdirSync(path.join(dir, 'accounts')).sort()).toEqual([`${mineWritten}.json`, `${mineWritten}.md`, `${other}.json`, `${other}.md`, 'notes.txt'].sort());
    expect(logged).toHaveLength(2);
    removeStaleReports(dir, [], undefined, () => {});
    expect(readdirSync(path.join(dir, 'accounts'))).toEqual(['notes.txt']);
  });
});
