// Measures how long loading, and refusing, a large inventory and baseline take,
// and the peak memory of each: a valid file against the same file with one bad
// value at its end. Generates the files in a temporary folder and removes it.
// Not a test (timings depend on the machine): run `npm run build` first, then
// `node scripts/measure-load.mjs [inventoryMB] [baselineMB]` (MEASURE_ONLY=json for the JSON files only).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const inventoryMB = Number(process.argv[2] ?? 50);
const baselineMB = Number(process.argv[3] ?? 25);
const dist = new URL('../dist/', import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), 'rollcall-measure-'));

function user(i) {
  return {
    type: 'iam.user',
    id: `user-${i}`,
    arn: `arn:aws:iam::123456789012:user/user-${i}`,
    region: 'global',
    accountId: '123456789012',
    tags: { team: `team-${i % 17}`, owner: `owner-${i % 101}` },
    props: {
      name: `user-${i}`,
      userId: `AIDA${String(i).padStart(16, '0')}`,
      path: '/',
      createDate: '2026-01-01T00:00:00Z',
      passwordEnabled: i % 3 === 0,
      passwordLastUsed: null,
      mfaActive: true,
      accessKeyCount: 1,
      activeAccessKeyCount: 1,
      groups: ['admins', 'deployers'],
      attachedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      inlinePolicies: [],
      permissionsBoundary: null,
    },
  };
}

function inventoryText(bytes, bad, everyOne = false) {
  const head = {
    format: 1,
    accountId: '123456789012',
    caller: { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/auditor', userId: 'AIDAEXAMPLE' },
    collectedAt: '2026-11-05T10:00:00.000Z',
    regions: ['global'],
  };
  const one = JSON.stringify(user(0), null, 2).length + 2;
  const n = Math.ceil(bytes / one);
  const resources = Array.from({ length: n }, (_, i) => user(i));
  if (bad) resources[n - 1].type = 'iam.usr';
  if (everyOne) for (const r of resources) r.region = 7;
  return JSON.stringify({ ...head, resources, gaps: [], notes: [], apiCalls: {} }, null, 2) + '\n';
}

function baselineText(bytes, bad) {
  const lines = ['version: 1', 'account: { id: "123456789012" }', 'iam:', '  users:'];
  let size = 0;
  let i = 0;
  while (size < bytes) {
    const entry = [
      `    - name: user-${i}`,
      '      console: false',
      `      accessKeys: [{ id: AKIA${String(i).padStart(16, '0')}, maxAgeDays: 90 }]`,
      '      policies: [arn:aws:iam::aws:policy/ReadOnlyAccess]',
      '      groups: [admins, deployers]',
    ];
    lines.push(...entry);
    size += entry.join('\n').length + 1;
    i++;
  }
  if (bad) lines.push('    - name: "not a valid name!"');
  return lines.join('\n') + '\n';
}

/** The same baseline as JSON (a baseline may be a .json file): JSON.parse reads it, the tokenizer locates its problems. */
function baselineJson(bytes, bad) {
  const users = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const u = {
      name: `user-${i}`,
      console: false,
      accessKeys: [{ id: `AKIA${String(i).padStart(16, '0')}`, maxAgeDays: 90 }],
      policies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      groups: ['admins', 'deployers'],
    };
    size += JSON.stringify(u, null, 2).length + 8;
    users.push(u);
  }
  if (bad) users.push({ name: 'not a valid name!' });
  return JSON.stringify({ version: 1, account: { id: '123456789012' }, iam: { users } }, null, 2) + '\n';
}

function measure(kind, file) {
  const fn = kind === 'inventory' ? 'loadInventory' : 'loadBaseline';
  const code = `
    const { ${fn} } = await import(${JSON.stringify(`${dist}load/${kind}.js`)});
    const t = performance.now();
    let outcome = 'loaded';
    try { ${fn}(${JSON.stringify(file)}); } catch (e) { outcome = (e.problems ? e.problems.map((p) => p.file.replace(/.*\\//, '') + ':' + p.line + ':' + p.column + ' ' + p.path + ' ' + p.message).join(' | ') : String(e)).slice(0, 160); }
    const ms = performance.now() - t;
    console.log(JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, outcome }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) return { ms: NaN, maxRssMB: NaN, outcome: `crashed: ${(r.stderr || '').split('\n').slice(-3).join(' ')}` };
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

try {
  const only = process.env.MEASURE_ONLY; // e.g. MEASURE_ONLY=json: only the files whose name contains it
  const all = [
    ['inventory', 'inventory.json', () => inventoryText(inventoryMB * 1e6, false)],
    ['inventory', 'inventory-bad.json', () => inventoryText(inventoryMB * 1e6, true)],
    ['inventory', 'inventory-all-bad.json', () => inventoryText(inventoryMB * 1e6, false, true)],
    ['baseline', 'baseline.yaml', () => baselineText(baselineMB * 1e6, false)],
    ['baseline', 'baseline-bad.yaml', () => baselineText(baselineMB * 1e6, true)],
    ['baseline', 'baseline.json', () => baselineJson(baselineMB * 1e6, false)],
    ['baseline', 'baseline-bad.json', () => baselineJson(baselineMB * 1e6, true)],
  ];
  const cases = only ? all.filter(([, name]) => name.includes(only)) : all;
  for (const [kind, name, make] of cases) {
    const text = make();
    const file = join(dir, name);
    writeFileSync(file, text);
    const m = measure(kind, file);
    const mb = (statSync(file).size / 1e6).toFixed(1);
    console.log(`${name.padEnd(20)} ${mb.padStart(6)} MB  ${(m.ms / 1000).toFixed(2).padStart(7)} s  ${m.maxRssMB.toFixed(0).padStart(6)} MiB peak  ${m.outcome}`);
    rmSync(file);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
