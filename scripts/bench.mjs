// npm run bench [-- --scenario NAME ...]: seeds the AWS emulator with named
// scenarios, runs `rollcall audit` on each as a user would, and prints wall
// time, API calls against the minimum C_min (DESIGN.md), and peak memory.
// Numbers, not asserts.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateVolumeCommand, EC2Client, RequestSpotInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import pLimit from 'p-limit';
import { resetMoto, startMoto } from './moto.mjs';

// The pinned SDK supports Node 20; its notice about future releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
const ACCOUNT = '123456789012';
const AMI = 'ami-12c6146b';

/** Spread n items over regions as evenly as possible. */
const spread = (n, regions) => Object.fromEntries(regions.map((r, i) => [r, Math.floor(n / regions.length) + (i < n % regions.length ? 1 : 0)]));
const FOUR = ['us-east-1', 'eu-west-1', 'ap-south-1', 'sa-east-1'];
const THREE = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

/**
 * users: how many; keys: per-user key counts, cycled; roles: how many;
 * undeclared: every Nth user is left out of the baseline (0: none);
 * instances / spot / functions / volumes: per region. Every scenario audits
 * every enabled region.
 */
const SCENARIOS = {
  small: { users: 5, keys: [1, 0], roles: 3, undeclared: 5 },
  medium: {
    users: 200, keys: [2, 1, 1, 1], roles: 20, undeclared: 0,
    instances: spread(500, FOUR), functions: spread(200, FOUR), volumes: spread(5000, FOUR),
  },
  'iam-heavy': { users: 2000, keys: [2, 1], roles: 1000, undeclared: 100 },
  'compute-heavy': {
    users: 5, keys: [1, 0], roles: 3, undeclared: 0,
    instances: spread(10000, THREE), spot: spread(2000, THREE), functions: spread(2000, THREE),
  },
};

function parseArgs(argv) {
  const names = [];
  for (let i = 0; i < argv.length; i++) if (argv[i] === '--scenario') names.push(argv[++i]);
  for (const n of names) if (!SCENARIOS[n]) throw new Error(`unknown scenario ${n} (known: ${Object.keys(SCENARIOS).join(', ')})`);
  return names.length ? names : Object.keys(SCENARIOS);
}

function clientConfig(endpoint, region) {
  return { endpoint, region, credentials: { accessKeyId: 'AKIABENCHSEEDER00001', secretAccessKey: 'bench' }, maxAttempts: 10 };
}

async function seedIam(endpoint, s, limit) {
  const iam = new IAMClient(clientConfig(endpoint, 'us-east-1'));
  const users = [];
  const trust = (service) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
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
        users.push({ name, keys, declared: !s.undeclared || i % s.undeclared !== 0 });
      }),
    ),
  );
  await Promise.all(Array.from({ length: s.roles }, (_, i) => limit(() => iam.send(new CreateRoleCommand({ RoleName: `role-${i}`, AssumeRolePolicyDocument: trust('ec2.amazonaws.com') })))));
  const fnRole = await iam.send(new CreateRoleCommand({ RoleName: 'bench-lambda', AssumeRolePolicyDocument: trust('lambda.amazonaws.com') }));
  iam.destroy();
  return { users: users.sort((a, b) => a.name.localeCompare(b.name)), fnRoleArn: fnRole.Role.Arn };
}

/** Seeds one region; returns what was created there, for C_min. */
async function seedRegion(endpoint, region, s, fnRoleArn, limit) {
  const ec2 = new EC2Client(clientConfig(endpoint, region));
  const lambda = new LambdaClient(clientConfig(endpoint, region));
  const n = { instances: s.instances?.[region] ?? 0, spot: s.spot?.[region] ?? 0, functions: s.functions?.[region] ?? 0, volumes: s.volumes?.[region] ?? 0 };
  for (let left = n.instances; left > 0; left -= 1000) {
    const count = Math.min(1000, left);
    await ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: count, MaxCount: count }));
  }
  for (let left = n.spot; left > 0; left -= 100) {
    await ec2.send(new RequestSpotInstancesCommand({ InstanceCount: Math.min(100, left), SpotPrice: '0.05', LaunchSpecification: { ImageId: AMI, InstanceType: 't3.micro' } }));
  }
  const zip = Buffer.from('PK\u0005\u0006' + '\u0000'.repeat(18), 'binary');
  await Promise.all(
    Array.from({ length: n.functions }, (_, i) =>
      limit(() => lambda.send(new CreateFunctionCommand({ FunctionName: `bench-${i}`, Runtime: 'nodejs20.x', Role: fnRoleArn, Handler: 'index.handler', Code: { ZipFile: zip } }))),
    ),
  );
  await Promise.all(
    Array.from({ length: n.volumes }, (_, i) =>
      limit(() =>
        ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 1, TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'bench', Value: String(i) }] }] })),
      ),
    ),
  );
  ec2.destroy();
  lambda.destroy();
  // Spot requests in the emulator are fulfilled at once, each with an instance of its own.
  return { instances: n.instances + n.spot, spot: n.spot, functions: n.functions, tagged: n.volumes };
}

function baselineYaml(users) {
  const lines = ['version: 1', `account: { id: "${ACCOUNT}", alias: bench }`, 'root: { mfa: optional }', 'iam:', '  users:'];
  for (const u of users.filter((x) => x.declared)) {
    lines.push(`    - name: ${u.name}`);
    if (u.keys.length) lines.push(`      accessKeys: [${u.keys.map((k) => `{ id: ${k} }`).join(', ')}]`);
  }
  lines.push(
    '  roles:',
    '    - { name: "role-*", trustedPrincipals: [ec2.amazonaws.com] }',
    '    - { name: bench-lambda, trustedPrincipals: [lambda.amazonaws.com] }',
    'resources:',
    '  ec2.instance: [{ region: "*", description: "every instance: the bench measures, it does not judge" }]',
    '  ec2.spotRequest: [{ region: "*" }]',
    '  lambda.function: [{ name: "bench-*" }]',
  );
  return lines.join('\n') + '\n';
}

/**
 * C_min from DESIGN.md: 1 (STS) + 1 (DescribeRegions) + 2 (credential report)
 * + ceil(E/1000) + U_k + per region [ceil(I/1000) + ceil(S/1000) + ceil(F/50) + ceil(T/100)],
 * each regional list counted at least once: a region cannot be known empty
 * without asking it.
 */
function cMin({ entities, usersWithKeys, regions }) {
  let c = 1 + 1 + 2 + Math.ceil(entities / 1000) + usersWithKeys;
  for (const r of regions) c += Math.max(1, Math.ceil(r.instances / 1000)) + Math.max(1, Math.ceil(r.spot / 1000)) + Math.max(1, Math.ceil(r.functions / 50)) + Math.max(1, Math.ceil(r.tagged / 100));
  return c;
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

/** One measured `rollcall audit`: wall time, the JSON report, peak RSS of the CLI process. */
async function audit(endpoint, dir, extra = []) {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIABENCHAUDITOR0001',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'us-east-1',
    ROLLCALL_BENCH_RSS_FILE: path.join(dir, 'rss'),
    // The emulator ignores page sizes: a region's 4,000 instances come back in one slow response, not four.
    ROLLCALL_REQUEST_TIMEOUT: '180',
  };
  const out = path.join(dir, 'report.json');
  const started = process.hrtime.bigint();
  const r = await run(['--import', './scripts/bench-rss.mjs', 'dist/cli.js', 'audit', '-q', '--baseline', path.join(dir, 'baseline.yaml'), '--format', 'json', '--out', out, ...extra], env);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (![0, 1, 4].includes(r.status)) throw new Error(`audit failed (${r.status}): ${r.stderr}`);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  // An incomplete audit is a result too: say what could not be read.
  for (const g of report.gaps) process.stderr.write(`  gap: ${g.region} ${g.operation} ${g.code}: ${g.message}\n`);
  return { wallMs, report, maxRssKb: Number(readFileSync(path.join(dir, 'rss'), 'utf8')) };
}

const mib = (kb) => `${(kb / 1024).toFixed(0)} MiB`;
const secs = (ms) => (ms / 1000).toFixed(2);

const names = parseArgs(process.argv.slice(2));
const moto = await startMoto();
const rows = [];
try {
  for (const name of names) {
    const s = SCENARIOS[name];
    await resetMoto(moto.endpoint);
    const limit = pLimit(16);
    const t0 = Date.now();
    const { users, fnRoleArn } = await seedIam(moto.endpoint, s, limit);
    const busy = [...new Set([...Object.keys(s.instances ?? {}), ...Object.keys(s.spot ?? {}), ...Object.keys(s.functions ?? {}), ...Object.keys(s.volumes ?? {})])];
    const seeded = Object.fromEntries(await Promise.all(busy.map(async (r) => [r, await seedRegion(moto.endpoint, r, s, fnRoleArn, limit)])));
    const seedS = ((Date.now() - t0) / 1000).toFixed(1);
    const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-bench-'));
    writeFileSync(path.join(dir, 'baseline.yaml'), baselineYaml(users));

    const all = await audit(moto.endpoint, dir);
    const scanned = all.report.inventory.regions.filter((r) => r !== 'global');
    const perRegion = scanned.map((r) => seeded[r] ?? { instances: 0, spot: 0, functions: 0, tagged: 0 });
    const min = cMin({ entities: s.users + s.roles + 1, usersWithKeys: users.filter((u) => u.keys.length > 0).length, regions: perRegion });
    // The same audit on the busiest region alone, for the cost of scanning every region.
    const busiest = busy.sort((a, b) => (seeded[b].instances + seeded[b].functions + seeded[b].tagged) - (seeded[a].instances + seeded[a].functions + seeded[a].tagged))[0] ?? 'us-east-1';
    const one = await audit(moto.endpoint, dir, ['--regions', busiest]);
    const calls = all.report.inventory.apiCalls;
    const byOp = all.report.inventory.apiCallsByOperation;
    rows.push({
      scenario: name,
      regions: scanned.length,
      'seed s': seedS,
      'audit s': secs(all.wallMs),
      [`1 region s`]: `${secs(one.wallMs)} (${busiest})`,
      'all/1 region': (all.wallMs / one.wallMs).toFixed(2),
      'API calls': calls,
      C_min: min,
      'calls/C_min': (calls / min).toFixed(3),
      'spot fleet lists': byOp['ec2:DescribeSpotFleetRequests'] ?? 0,
      'peak RSS': mib(all.maxRssKb),
      resources: all.report.inventory.resources,
      violations: all.report.summary.total,
      gaps: all.report.gaps.length,
    });
    for (const [op, n] of Object.entries(byOp)) process.stderr.write(`  ${name}: ${op} ${n}\n`);
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  await moto.stop();
}
console.table(rows);
