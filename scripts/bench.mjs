// npm run bench [-- --scenario NAME ...] [--live] [--no-latency] [--runs N] [--concurrency N] [--account-concurrency N]
// (scenario org: an organization of 50 accounts, audited 1, 10 and 50 at a time; see bench-org.mjs)
// (scenario engine: a saved inventory of a million resources audited with every built-in rule; see bench-engine.mjs)
// Seeds the AWS emulator with named scenarios, runs `rollcall audit` on each
// as a user would, and prints: API calls against the minimum C_min
// (DESIGN.md); the time to collect every region against the time to collect
// the slowest single region alone; the whole audit's time; peak memory.
// The audits go through bench-aws.mjs's router: each region's round trip is
// added, lists moto does not page are paged as AWS pages them, warm-up audits
// (all regions, then each candidate region alone: those with resources, and
// the farthest) record the emulator's answers, and the
// later runs replay them, so that the timings measure the client, not the
// emulator (--live: the emulator answers every run). The slowest candidate,
// replayed (median of `--runs` passes), is the one-region reference. The
// timed runs alternate all regions, that region alone and, where several
// regions hold resources, those regions alone, `--runs` times; medians are
// shown. Numbers, not asserts.
import { auditorEnv, runNode } from './run-node.mjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateVolumeCommand, EC2Client, RequestSpotInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import pLimit from 'p-limit';
import { rttOf, startBenchAws } from './bench-aws.mjs';
import { benchOrg } from './bench-org.mjs';
import { benchEngine } from './bench-engine.mjs';

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
  const o = { names: [], latency: true, replay: true, runs: 3, concurrency: undefined, accountConcurrency: 16 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--scenario') o.names.push(argv[++i]);
    else if (a === '--live') o.replay = false;
    else if (a === '--no-latency') o.latency = false;
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--concurrency') o.concurrency = argv[++i];
    else if (a === '--account-concurrency') o.accountConcurrency = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  for (const n of o.names) if (!SCENARIOS[n] && n !== 'org' && n !== 'engine') throw new Error(`unknown scenario ${n} (known: ${[...Object.keys(SCENARIOS), 'org', 'engine'].join(', ')})`);
  if (!(o.runs >= 1)) throw new Error('--runs takes a number, 1 or more');
  if (!o.names.length) o.names = [...Object.keys(SCENARIOS), 'org', 'engine'];
  return o;
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
  // One instance per reservation: moto pages DescribeInstances by reservation, AWS by instance,
  // so only then are its pages of 1000 AWS's.
  await Promise.all(
    Array.from({ length: n.instances }, () => limit(() => ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })))),
  );
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
 * without asking it; plus CloudTrail's 1 (ListTrails) + H (DescribeTrails, one
 * per home region of a trail) + 2 T' (status and selectors per trail read): the
 * bench seeds no trail, so 1.
 */
function cMin({ entities, usersWithKeys, regions, trails = 0, trailHomes = 0 }) {
  let c = 1 + 1 + 2 + Math.ceil(entities / 1000) + usersWithKeys + 1 + trailHomes + 2 * trails;
  for (const r of regions) c += Math.max(1, Math.ceil(r.instances / 1000)) + Math.max(1, Math.ceil(r.spot / 1000)) + Math.max(1, Math.ceil(r.functions / 50)) + Math.max(1, Math.ceil(r.tagged / 100));
  return c;
}

/** Runs node with args, without blocking this process's event loop. */
const run = (args, env) => runNode(root, args, env);

/** One measured `rollcall audit`: wall time, the JSON report, peak RSS of the CLI process. */
async function audit(endpoint, dir, extra = [], aws = null) {
  const env = auditorEnv(endpoint, dir);
  const out = path.join(dir, 'report.json');
  const cpu0 = aws?.cpuSeconds() ?? 0;
  const started = process.hrtime.bigint();
  const r = await run(['--import', './scripts/bench-rss.mjs', 'dist/bin/rollcall.js', 'audit', '--baseline', path.join(dir, 'baseline.yaml'), '--format', 'json', '--out', out, ...extra], env);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const emulatorCpuS = (aws?.cpuSeconds() ?? 0) - cpu0;
  // The CLI's own measure of the collection, without process start-up, rules and report.
  const collected = /collected IAM and \d+ regions? in ([\d.]+) s/.exec(r.stderr);
  if (!collected) throw new Error(`the audit did not say how long collection took: ${r.stderr.slice(-2000)}`);
  if (![0, 1, 4].includes(r.status)) throw new Error(`audit failed (${r.status}): ${r.stderr}`);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  // An incomplete audit is a result too: say what could not be read.
  for (const g of report.gaps) process.stderr.write(`  gap: ${g.region} ${g.operation} ${g.code}: ${g.message}\n`);
  return { wallMs, collectMs: Number(collected[1]) * 1000, emulatorCpuS, report, maxRssKb: Number(readFileSync(path.join(dir, 'rss'), 'utf8')) };
}

const mib = (kb) => `${(kb / 1024).toFixed(0)} MiB`;
const secs = (ms) => (ms / 1000).toFixed(2);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const opts = parseArgs(process.argv.slice(2));
const extra = opts.concurrency ? ['--concurrency', opts.concurrency] : [];
const rows = [];
for (const name of opts.names) {
  if (name === 'org') {
    rows.push(...(await benchOrg({ root, runs: opts.runs, latency: opts.latency, replay: opts.replay, accountConcurrency: opts.accountConcurrency, cMin })));
    continue;
  }
  if (name === 'engine') {
    rows.push(...(await benchEngine({ root, runs: opts.runs })));
    continue;
  }
  const s = SCENARIOS[name];
  const busy = [...new Set([...Object.keys(s.instances ?? {}), ...Object.keys(s.spot ?? {}), ...Object.keys(s.functions ?? {}), ...Object.keys(s.volumes ?? {})])];
  const aws = await startBenchAws();
  try {
    const limit = pLimit(16);
    const t0 = Date.now();
    const { users, fnRoleArn } = await seedIam(aws.emulator, s, limit);
    const seeded = Object.fromEntries(await Promise.all(busy.map(async (r) => [r, await seedRegion(aws.emulator, r, s, fnRoleArn, limit)])));
    const seedS = ((Date.now() - t0) / 1000).toFixed(1);
    const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-bench-'));
    writeFileSync(path.join(dir, 'baseline.yaml'), baselineYaml(users));

    // Warm-up, recorded: every region (its calls and memory are the scenario's), then each
    // candidate for the slowest region alone: the busy ones and the farthest.
    aws.mode({ latency: opts.latency, record: true, replay: false });
    const first = await audit(aws.endpoint, dir, extra, aws);
    const scanned = first.report.inventory.regions.filter((r) => r !== 'global');
    const perRegion = scanned.map((r) => seeded[r] ?? { instances: 0, spot: 0, functions: 0, tagged: 0 });
    const min = cMin({ entities: s.users + s.roles + 1, usersWithKeys: users.filter((u) => u.keys.length > 0).length, regions: perRegion });
    const farthest = [...scanned].sort((a, b) => rttOf({ service: 'ec2', region: b }) - rttOf({ service: 'ec2', region: a }))[0];
    const candidates = [...new Set([...busy, farthest])];
    for (const region of candidates) {
      aws.mode({});
      await audit(aws.endpoint, dir, [...extra, '--regions', region], aws);
    }
    // The slowest alone is found as the timed runs will see it: replayed, the median of `runs` passes.
    const alone = [];
    for (const region of candidates) {
      const passes = [];
      for (let i = 0; i < opts.runs; i++) {
        aws.mode({ record: false, replay: opts.replay });
        passes.push(await audit(aws.endpoint, dir, [...extra, '--regions', region], aws));
      }
      alone.push({ region, passes, collectMs: median(passes.map((x) => x.collectMs)) });
    }
    const slowest = [...alone].sort((a, b) => b.collectMs - a.collectMs)[0].region;

    // With resources in several regions, those regions alone too: what the quiet ones add.
    const dataRegions = busy.length > 1 ? ['--regions', busy.join(',')] : null;
    const all = [];
    const one = [];
    const data = [];
    for (let i = 0; i < opts.runs; i++) {
      aws.mode({ record: false, replay: opts.replay });
      all.push(await audit(aws.endpoint, dir, extra, aws));
      aws.mode({});
      one.push(await audit(aws.endpoint, dir, [...extra, '--regions', slowest], aws));
      if (dataRegions) {
        aws.mode({});
        data.push(await audit(aws.endpoint, dir, [...extra, ...dataRegions], aws));
      }
    }
    const allMs = median(all.map((x) => x.wallMs));
    const oneMs = median(one.map((x) => x.wallMs));
    const allCollectMs = median(all.map((x) => x.collectMs));
    const oneCollectMs = median(one.map((x) => x.collectMs));
    const calls = first.report.inventory.apiCalls;
    const byOp = first.report.inventory.apiCallsByOperation;
    rows.push({
      scenario: name,
      regions: scanned.length,
      'seed s': seedS,
      'API calls': calls,
      C_min: min,
      'calls/C_min': (calls / min).toFixed(3),
      'collect s (all; slowest alone)': `${secs(allCollectMs)}; ${secs(oneCollectMs)} ${slowest}`,
      'collect all/1': (allCollectMs / oneCollectMs).toFixed(2),
      'collect s, data regions only': data.length ? `${secs(median(data.map((x) => x.collectMs)))} (${busy.length})` : '-',
      'audit s (all; 1)': `${secs(allMs)}; ${secs(oneMs)}`,
      'audit all/1': (allMs / oneMs).toFixed(2),
      'peak RSS': mib(Math.max(first.maxRssKb, ...all.map((x) => x.maxRssKb))),
      resources: first.report.inventory.resources,
      violations: first.report.summary.total,
      gaps: first.report.gaps.length,
    });
    for (const [op, n] of Object.entries(byOp)) process.stderr.write(`  ${name}: ${op} ${n}\n`);
    const runs = (xs) => xs.map((x) => `${secs(x.collectMs)}/${secs(x.wallMs)}`).join(' ');
    process.stderr.write(`  ${name}: each candidate alone (collect/audit s): ${alone.map((a) => `${a.region} ${runs(a.passes)}`).join(', ')}\n`);
    process.stderr.write(`  ${name}: timed, all regions: ${runs(all)}; ${slowest} alone: ${runs(one)}${data.length ? `; ${busy.join(',')}: ${runs(data)}` : ''}\n`);
    process.stderr.write(`  ${name}: emulator CPU s in the timed runs: ${[...all, ...one, ...data].map((x) => x.emulatorCpuS.toFixed(1)).join(' ')}; replay misses: ${aws.misses()}\n`);
    rmSync(dir, { recursive: true, force: true });
  } finally {
    await aws.stop();
  }
}
const how = [opts.latency ? 'each region\'s round trip from us-east-1 added' : 'no added latency', opts.replay ? 'timed runs replay the warm-up\'s answers' : 'the emulator answers every run'];
console.log(`${how.join('; ')}; medians of ${opts.runs} runs`);
console.table(rows);
