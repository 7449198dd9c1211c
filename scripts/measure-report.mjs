// Measures writing an audit report of a million violations (or the count given),
// as Markdown and as JSON, to a file (-o) and to stdout: time, size and peak
// memory, each in its own process. Also shows what writing it as one string
// does. Not a test (timings depend on the machine): run `npm run build` first,
// then `node scripts/measure-report.mjs [violations]`. Removes what it writes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const count = Number(process.argv[2] ?? 1_000_000);
const dist = new URL('../dist/', import.meta.url).href;

/** A report like a large fleet's: `count` undeclared instances, a few of them unknown or suppressed. */
function bigReport(n) {
  const violations = Array.from({ length: n }, (_, i) => {
    const id = `i-${i.toString(16).padStart(17, '0')}`;
    return {
      ruleId: i % 3 === 0 ? 'ec2-instance-undeclared' : i % 3 === 1 ? 'resource-region-not-allowed' : 'lambda-function-undeclared',
      title: 'EC2 instance not declared in the baseline',
      severity: i % 3 === 1 ? 'critical' : 'high',
      status: i % 1000 === 999 ? 'unknown' : 'fail',
      subject: `instance/us-east-1/${id}`,
      resourceType: 'ec2.instance',
      region: 'us-east-1',
      arn: `arn:aws:ec2:us-east-1:123456789012:instance/${id}`,
      message: `Instance ${id} (web-${i % 97}) in us-east-1 is not declared: p3.16xlarge, running, on-demand, launched 2026-11-21T12:00:00.000Z.`,
      fingerprint: i.toString(16).padStart(64, '0'),
      remediation: ['stopInstance', 'terminateInstance'],
      ...(i % 5000 === 0 ? { suppressed: { reason: 'SEC-42', expires: '2027-01-31' } } : {}),
    };
  });
  return violations;
}

async function child(format, target, how) {
  const { buildReport } = await import(`${dist}report/audit-report.js`);
  const { markdownChunks } = await import(`${dist}report/markdown.js`);
  const { jsonChunks } = await import(`${dist}report/json.js`);
  const { writeChunks, writeChunksAtomic } = await import(`${dist}report/output.js`);
  const inventory = { format: 1, accountId: '123456789012', caller: { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/auditor', userId: 'AIDA' }, collectedAt: '2026-11-22T12:00:00.000Z', regions: ['global', 'us-east-1'], resources: [], gaps: [], notes: [], apiCalls: {} };
  const report = buildReport({ version: '0.1.0', now: new Date('2026-11-22T12:00:00Z'), inventory, baselineFile: 'baseline.yaml', ruleCount: 30, violations: bigReport(count), warnings: [] });
  const built = process.resourceUsage().maxRSS;
  const start = process.hrtime.bigint();
  let result = 'ok';
  try {
    if (how === 'string') {
      const text = format === 'json' ? JSON.stringify(report, null, 2) : [...markdownChunks(report)].join('');
      result = `ok, ${text.length} characters`;
    } else {
      const chunks = format === 'json' ? jsonChunks({ ...report }) : markdownChunks(report);
      if (target === '-') await writeChunks(process.stdout, chunks);
      else writeChunksAtomic(target, chunks);
    }
  } catch (err) {
    result = `${err.name}: ${err.message}`;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stderr.write(`${JSON.stringify({ seconds, builtMB: built / 1024, peakMB: process.resourceUsage().maxRSS / 1024, result })}\n`);
}

if (process.argv[3] === '--child') {
  await child(process.argv[4], process.argv[5], process.argv[6]);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-measure-report-'));
  try {
    console.log(`${count} violations; node ${process.version}`);
    for (const format of ['md', 'json']) {
      for (const [how, target] of [
        ['string', 'none'],
        ['file', join(dir, `report.${format}`)],
        ['stdout', '-'],
      ]) {
        const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), String(count), '--child', format, target, how], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 24 });
        const line = r.stderr.trim().split('\n').at(-1) ?? '';
        let m;
        try {
          m = JSON.parse(line);
        } catch {
          console.log(`${format} ${how}: exit ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
          continue;
        }
        const size = how === 'file' ? `, ${(statSync(target).size / 1e6).toFixed(0)} MB written` : '';
        console.log(`${format.padEnd(4)} ${how.padEnd(6)}: ${m.seconds.toFixed(1)} s, peak RSS ${m.peakMB.toFixed(0)} MiB (report built: ${m.builtMB.toFixed(0)} MiB)${size}; ${m.result}`);
        if (how === 'file') rmSync(target, { force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
