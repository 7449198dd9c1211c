// npm run build && npm run build:demo && bash scripts/ensure-moto.sh && node scripts/measure-faults.mjs
//   [--runs 5] [--throttle 0.3] [--reset 0.05] [--seed N] [--users N] [--timeout SECONDS]
// Does rollcall's verdict survive a hostile network? Seeds the demo's
// compromised account into the AWS emulator (with --users N, also N more IAM
// users with a key each, so that IAM alone takes thousands of calls), audits it once through a clean
// connection (the reference: JSON report), then `--runs` times through
// fault-proxy.mjs, which throttles and resets that share of the requests,
// alternating with clean audits for the timing. Every audit runs the built
// CLI as a user would (`rollcall audit --format json`), with one `--now`.
// Prints, per faulty run, its gaps, how its violations (fingerprint and
// status) differ from the reference's, its attempts on the wire and what the
// proxy did; then the rates, the runs, how many verdicts were identical to
// the reference (same violations, no gaps), and the time faults added
// (median of the faulty audits against median of the clean ones).
// An audit that takes longer than --timeout (default 600 s) is stopped and
// counted as different. Numbers, not asserts; exits 1 when a verdict differed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import { seedMotoRandom, startMoto } from './moto.mjs';
import { startFaultProxy } from './fault-proxy.mjs';

// The pinned SDK supports Node 20; its notice about future releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
const ACCOUNT = '123456789012';
const say = (m = '') => process.stderr.write(`${m}\n`);

function parseArgs(argv) {
  const o = { runs: 5, throttle: 0.3, reset: 0.05, seed: Date.now() % 1_000_000, users: 0, timeout: 600 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v)) throw new Error(`${a} takes a number`);
      return v;
    };
    if (a === '--runs') o.runs = value();
    else if (a === '--throttle') o.throttle = value();
    else if (a === '--reset') o.reset = value();
    else if (a === '--seed') o.seed = value();
    else if (a === '--users') o.users = value();
    else if (a === '--timeout') o.timeout = value();
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(o.runs >= 1)) throw new Error('--runs takes a number, 1 or more');
  return o;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const pct = (x) => `${Math.round(x * 1000) / 10}%`;

let running;

/** One audit by the built CLI against `endpoint`: { code, ms, report, stderr }. Asynchronous: the proxy serves from this process meanwhile. */
function audit(endpoint, out, now) {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIAMEASUREFAULTS001',
    AWS_SECRET_ACCESS_KEY: 'measure-only-not-a-secret',
    AWS_REGION: 'us-east-1',
  };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  const args = ['dist/bin/rollcall.js', 'audit', '-q', '--baseline', 'baselines/example.yaml', '--format', 'json', '-o', out, '--now', now];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    running = child;
    const limit = setTimeout(() => child.kill('SIGKILL'), o.timeout * 1000);
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      running = undefined;
      const ms = performance.now() - started;
      if (signal) return resolve({ code: signal, ms, report: undefined, stderr });
      let report;
      try {
        report = JSON.parse(readFileSync(out, 'utf8'));
      } catch {
        return reject(new Error(`audit exited with ${code} and wrote no report:\n${stderr}`));
      }
      resolve({ code, ms, report, stderr });
    });
  });
}

const verdict = (report) => new Set(report.violations.map((v) => `${v.fingerprint} ${v.status}`));
const gapLine = (g) => `${g.region} ${g.type} ${g.operation}: ${g.code}`;

const o = parseArgs(process.argv.slice(2));
const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-faults-'));
let cleanup = async () => rmSync(dir, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    running?.kill('SIGKILL');
    await cleanup();
    process.exit(130);
  });
}
say(`starting the AWS emulator (moto server) and seeding the demo account${o.users ? ` and ${o.users} more users` : ''} ...`);
const moto = await startMoto();
let proxy;
let failed = true;
cleanup = async () => {
  running?.kill('SIGKILL');
  await proxy?.stop();
  await moto.stop();
  rmSync(dir, { recursive: true, force: true });
};
try {
  // The demo's seeding, compiled apart (npm run build:demo), as scripts/demo.mjs does it.
  const { demoClients } = await import('../build/demo/clients.js');
  const { DEMO_RANDOM_SEED, seedDemoAccount } = await import('../build/demo/seed-compromise.js');
  await seedMotoRandom(moto.endpoint, DEMO_RANDOM_SEED);
  const seeding = demoClients({ endpoint: moto.endpoint, credentials: { accessKeyId: 'AKIAMEASUREFAULTS001', secretAccessKey: 'x' } });
  await seedDemoAccount(seeding, ACCOUNT);
  const limit = pLimit(16);
  await Promise.all(
    Array.from({ length: o.users }, (_, i) =>
      limit(async () => {
        const UserName = `measure-user-${String(i).padStart(5, '0')}`;
        await seeding.iam.send(new CreateUserCommand({ UserName }));
        await seeding.iam.send(new CreateAccessKeyCommand({ UserName }));
      }),
    ),
  );
  seeding.destroy();
  proxy = await startFaultProxy({ target: moto.endpoint, throttle: o.throttle, reset: o.reset, seed: o.seed });
  const now = new Date().toISOString();

  const reference = await audit(moto.endpoint, path.join(dir, 'clean-0.json'), now);
  if (!reference.report) throw new Error('the clean audit did not finish within --timeout');
  const expected = verdict(reference.report);
  say(`clean audit: exit ${reference.code}, ${expected.size} violations, ${reference.report.gaps.length} gaps, ${reference.report.inventory.apiCalls} calls, ${seconds(reference.ms)}`);
  if (reference.report.gaps.length > 0) say(`  the clean audit has gaps: ${reference.report.gaps.map(gapLine).join('; ')}`);
  say(`fault proxy: ${pct(o.throttle)} throttled, ${pct(o.reset)} reset, seed ${o.seed}`);

  const clean = []; // the first audit warms the emulator up: not timed
  const faulty = [];
  let identical = 0;
  for (let i = 1; i <= o.runs; i++) {
    const before = { ...proxy.tally };
    const run = await audit(proxy.endpoint, path.join(dir, `faulty-${i}.json`), now);
    faulty.push(run.ms);
    if (!run.report) {
      say(`faulty run ${i}: stopped after ${seconds(run.ms)} (--timeout), counted as different`);
      continue;
    }
    const got = verdict(run.report);
    const added = [...got].filter((v) => !expected.has(v));
    const missing = [...expected].filter((v) => !got.has(v));
    const same = added.length === 0 && missing.length === 0 && run.report.gaps.length === 0 && run.code === reference.code;
    if (same) identical++;
    const throttled = proxy.tally.throttled - before.throttled;
    const resets = proxy.tally.resetBefore - before.resetBefore + (proxy.tally.resetAfter - before.resetAfter);
    say(
      `faulty run ${i}: exit ${run.code}, ${same ? 'identical verdict' : 'DIFFERENT verdict'}, ${run.report.gaps.length} gaps, ` +
        `${run.report.inventory.apiCalls} attempts (${throttled} throttled, ${resets} reset), ${seconds(run.ms)}`,
    );
    for (const g of run.report.gaps) say(`  gap ${gapLine(g)}`);
    for (const v of added) say(`  + ${v}`);
    for (const v of missing) say(`  - ${v}`);
    // A clean audit between faulty ones, so that both medians see the same machine load.
    clean.push((await audit(moto.endpoint, path.join(dir, `clean-${i}.json`), now)).ms);
  }

  const t = proxy.tally;
  const faulted = Object.values(t.byService).reduce((n, s) => n + s.requests, 0);
  say();
  say(`rates:       ${pct(o.throttle)} throttles + ${pct(o.reset)} resets (seen: ${pct(t.throttled / faulted)} throttled, ${pct((t.resetBefore + t.resetAfter) / faulted)} reset, of ${faulted} requests)`);
  say(`runs:        ${o.runs} faulty, ${clean.length} clean`);
  say(`identical:   ${identical} of ${o.runs} verdicts equal the clean run's (violations by fingerprint and status, no gaps)`);
  say(`time:        clean median ${seconds(median(clean))}, faulty median ${seconds(median(faulty))}, added ${seconds(median(faulty) - median(clean))} (median)`);
  say(`by service:  ${Object.entries(t.byService).map(([s, n]) => `${s} ${n.requests} (${n.throttled} throttled, ${n.reset} reset)`).join('; ')}`);
  failed = identical !== o.runs;
} finally {
  await cleanup();
}
process.exitCode = failed ? 1 : 0;
