// The bench's engine scenario (npm run bench -- --scenario engine): a saved
// inventory of a million resources (5,000 users with a key each, 300,000
// instances, 690,000 tagged resources; engine-inventory.mjs) audited with
// every built-in rule by `rollcall audit --inventory`, as a user runs it:
// from JSON Lines (what `collect -o inventory.jsonl` writes), from gzipped
// JSON Lines, and from JSON (one line, ~400 MB: the indented JSON of this
// account is ~590 MB, past the 512 MiB a JSON text may be in Node). Then the
// same account with a baseline that declares nothing: a million violations,
// the report written as a stream. Prints, medians of `runs` runs each: wall
// time, CPU time (user + system) and peak RSS of the CLI process, and the
// machine's load average, since a busy machine stretches wall time.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from './engine-inventory.mjs';

const NOW = '2026-11-22T12:00:00Z';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** One `rollcall audit -i`: wall time, CPU seconds and peak RSS of the CLI process (bench-rss.mjs), exit code. */
function audit(root, dir, inventory, baseline, out) {
  const rss = path.join(dir, 'rss');
  const cpu = path.join(dir, 'cpu');
  const env = { ...process.env, ROLLCALL_BENCH_RSS_FILE: rss, ROLLCALL_BENCH_CPU_FILE: cpu };
  const args = ['--import', './scripts/bench-rss.mjs', 'dist/bin/rollcall.js', 'audit', '--baseline', baseline, '--inventory', inventory, '--now', NOW, '--format', 'json', '--out', out, '--quiet'];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const load = loadavg()[0];
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      // 0: nothing found, 1: findings; anything else is a failed audit.
      if (status !== 0 && status !== 1) return reject(new Error(`audit failed (${status}): ${stderr.slice(-2000)}`));
      const { user, system } = JSON.parse(readFileSync(cpu, 'utf8'));
      resolve({ wallMs, cpuS: (user + system) / 1e6, maxRssKb: Number(readFileSync(rss, 'utf8')), load });
    });
  });
}

/** The engine scenario's rows, one per inventory encoding and baseline (`only`: some of them, by label; `root`: the checkout whose dist/bin/rollcall.js runs). */
export async function benchEngine({ root, runs, total = 1_000_000, only }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-bench-engine-'));
  const rows = [];
  try {
    const t0 = Date.now();
    const made = {};
    for (const format of ['jsonl', 'jsonl.gz', 'json-compact']) made[format] = await generate(dir, { total, format });
    const { baseline: nothingDeclared } = await generate(dir, { total, format: 'jsonl', undeclared: true });
    process.stderr.write(`  engine: ${total} resources generated in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    const cases = [
      ['JSON Lines', made.jsonl.inventory, made.jsonl.baseline],
      ['gzipped JSON Lines', made['jsonl.gz'].inventory, made.jsonl.baseline],
      ['JSON (one line)', made['json-compact'].inventory, made.jsonl.baseline],
      ['JSON Lines, nothing declared', made.jsonl.inventory, nothingDeclared],
    ];
    for (const [label, inventory, baseline] of cases.filter(([label]) => !only || only.includes(label))) {
      const out = path.join(dir, 'report.json');
      const passes = [];
      for (let i = 0; i < runs; i++) passes.push(await audit(root, dir, inventory, baseline, out));
      const report = JSON.parse(readFileSync(out, 'utf8'));
      process.stderr.write(`  engine, ${label}: ${passes.map((p) => `${(p.wallMs / 1000).toFixed(2)} s/${p.cpuS.toFixed(2)} s CPU/${(p.maxRssKb / 1024).toFixed(0)} MiB at load ${p.load.toFixed(1)}`).join('; ')}\n`);
      rows.push({
        scenario: `engine: ${label}`,
        'inventory MB': (statSync(inventory).size / 1e6).toFixed(0),
        resources: report.inventory.resources,
        violations: report.summary.total,
        'report MB': (statSync(out).size / 1e6).toFixed(0),
        'audit s': (median(passes.map((p) => p.wallMs)) / 1000).toFixed(2),
        'CPU s': median(passes.map((p) => p.cpuS)).toFixed(2),
        'peak RSS': `${(median(passes.map((p) => p.maxRssKb)) / 1024).toFixed(0)} MiB`,
        'load (1 min)': median(passes.map((p) => p.load)).toFixed(1),
      });
      rmSync(out, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
