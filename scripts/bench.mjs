// npm run bench [-- --scenario NAME ...]: seeds the AWS emulator with named
// scenarios, runs `rollcall audit` on each as a user would, and prints wall
// time, API calls against the minimum, and peak memory. Numbers, not asserts.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import { resetMoto, startMoto } from './moto.mjs';

// The pinned SDK supports Node 20; its notice about future releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
const ACCOUNT = '123456789012';

/** users: how many; keys: per-user key counts cycle through this list; roles: how many; undeclared: every Nth user is left out of the baseline. */
const SCENARIOS = {
  small: { users: 5, keys: [1, 0], roles: 3, undeclared: 5 },
  'iam-heavy': { users: 2000, keys: [2, 1], roles: 1000, undeclared: 100 },
};

function parseArgs(argv) {
  const names = [];
  for (let i = 0; i < argv.length; i++) if (argv[i] === '--scenario') names.push(argv[++i]);
  for (const n of names) if (!SCENARIOS[n]) throw new Error(`unknown scenario ${n} (known: ${Object.keys(SCENARIOS).join(', ')})`);
  return names.length ? names : Object.keys(SCENARIOS);
}

async function seed(endpoint, s) {
  const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIABENCHSEEDER00001', secretAccessKey: 'bench' }, maxAttempts: 10 });
  const limit = pLimit(16);
  const users = [];
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  await Promise.all(
    Array.from({ length: s.users }, (_, i) =>
      limit(async () => {
        const name = `user-${String(i).padStart(5, '0')}`;
        await iam.send(new CreateUserCommand({ UserName: name }));
        const keys = [];
        for (let k = 0; k < s.keys[i % s.keys.length]; k++) {
          const r = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
          keys.push(r.AccessKey.AccessKeyId); // the secret is dropped here and never stored
        }
        users.push({ name, keys, declared: i % s.undeclared !== 0 });
      }),
    ),
  );
  await Promise.all(Array.from({ length: s.roles }, (_, i) => limit(() => iam.send(new CreateRoleCommand({ RoleName: `role-${i}`, AssumeRolePolicyDocument: trust })))));
  iam.destroy();
  return users.sort((a, b) => a.name.localeCompare(b.name));
}

function baselineYaml(users, roles) {
  const lines = ['version: 1', `account: { id: "${ACCOUNT}", alias: bench }`, 'root: { mfa: optional }', 'iam:', '  users:'];
  for (const u of users.filter((x) => x.declared)) {
    lines.push(`    - name: ${u.name}`);
    if (u.keys.length) lines.push(`      accessKeys: [${u.keys.map((k) => `{ id: ${k} }`).join(', ')}]`);
  }
  lines.push('  roles:', `    - { name: "role-*", trustedPrincipals: [lambda.amazonaws.com] }`);
  return lines.join('\n') + '\n';
}

/** Runs node with args, without blocking this process's event loop. */
function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

const mib = (kb) => `${(kb / 1024).toFixed(0)} MiB`;

const names = parseArgs(process.argv.slice(2));
const moto = await startMoto();
const rows = [];
try {
  for (const name of names) {
    const s = SCENARIOS[name];
    await resetMoto(moto.endpoint);
    const t0 = Date.now();
    const users = await seed(moto.endpoint, s);
    const seedS = ((Date.now() - t0) / 1000).toFixed(1);
    const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-bench-'));
    writeFileSync(path.join(dir, 'baseline.yaml'), baselineYaml(users, s.roles));
    const env = {
      ...process.env,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIABENCHAUDITOR0001',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_REGION: 'us-east-1',
      ROLLCALL_BENCH_RSS_FILE: path.join(dir, 'rss'),
    };
    const started = process.hrtime.bigint();
    const r = await run(['--import', './scripts/bench-rss.mjs', 'dist/cli.js', 'audit', '-q', '--baseline', path.join(dir, 'baseline.yaml'), '--format', 'json', '--out', path.join(dir, 'report.json')], env);
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`audit failed (${r.status}): ${r.stderr}`);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    const maxRssKb = Number(readFileSync(path.join(dir, 'rss'), 'utf8'));
    const uk = users.filter((u) => u.keys.length > 0).length;
    const entities = s.users + s.roles;
    const bound = uk + Math.ceil(entities / 1000) + 6;
    rows.push({
      scenario: name,
      users: s.users,
      keys: users.reduce((n, u) => n + u.keys.length, 0),
      roles: s.roles,
      'seed s': seedS,
      'audit s': (wallMs / 1000).toFixed(2),
      'API calls': report.inventory.apiCalls,
      'bound U_k+ceil(E/1000)+6': bound,
      'calls/bound': (report.inventory.apiCalls / bound).toFixed(3),
      'peak RSS': mib(maxRssKb),
      violations: report.summary.total,
    });
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  await moto.stop();
}
console.table(rows);
