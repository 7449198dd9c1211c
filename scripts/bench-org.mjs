// The bench's org scenario (npm run bench -- --scenario org): an organization
// of 50 accounts in the emulator (the management account and 49 members made
// with Organizations CreateAccount, each its own world reached through STS
// AssumeRole), each seeded alike, audited by `rollcall audit --accounts`
// (1 member, then 10) and `--org` (all 50) with --concurrency 8 per account.
// Prints wall time against one account's, API calls against the floor summed
// over the accounts, and peak memory. Through bench-aws.mjs's router: each
// region's round trip added; the first 50-account run is recorded (the
// emulator answers it), the timed runs replay it (keyed by access key, so each
// account gets its own answers), unless --live.
import { auditorEnv, runNode } from './run-node.mjs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateAccountCommand, CreateOrganizationCommand, ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import { startBenchAws } from './bench-aws.mjs';

const MANAGEMENT = '123456789012';
const ROLE = 'OrganizationAccountAccessRole';
const AMI = 'ami-12c6146b';
/** Each account: users (every other one with a key), roles, instances per region. */
const ACCOUNT = { users: 10, roles: 5, instances: { 'us-east-1': 4, 'eu-west-1': 2 } };
const SIZES = [1, 10, 50];
const PER_ACCOUNT_CONCURRENCY = '8';

const seeder = { accessKeyId: 'AKIABENCHSEEDER00001', secretAccessKey: 'bench' };
const config = (endpoint, region, credentials = seeder) => ({ endpoint, region, credentials, maxAttempts: 10 });
const trust = (service) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });

/** The management account's organization and its 49 members; returns every account id, the management's first. */
async function seedOrganization(endpoint, size) {
  const org = new OrganizationsClient(config(endpoint, 'us-east-1'));
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  for (let i = 1; i < size; i++) await org.send(new CreateAccountCommand({ AccountName: `bench-${String(i).padStart(2, '0')}`, Email: `bench-${i}@example.com` }));
  const ids = [];
  let token;
  do {
    const page = await org.send(new ListAccountsCommand({ MaxResults: 20, ...(token ? { NextToken: token } : {}) }));
    ids.push(...page.Accounts.map((a) => a.Id));
    token = page.NextToken;
  } while (token);
  org.destroy();
  return [MANAGEMENT, ...ids.filter((id) => id !== MANAGEMENT).sort()];
}

/** One account's IAM and instances, made through its role; returns its users (with their key ids) for the baseline. */
async function seedAccount(endpoint, accountId, limit) {
  const sts = new STSClient(config(endpoint, 'us-east-1'));
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${ROLE}`, RoleSessionName: 'bench-seed' }))).Credentials;
  sts.destroy();
  const credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  const iam = new IAMClient(config(endpoint, 'us-east-1', credentials));
  const users = [];
  for (let i = 0; i < ACCOUNT.users; i++) {
    const name = `user-${i}`;
    await limit(() => iam.send(new CreateUserCommand({ UserName: name })));
    const keys = i % 2 === 0 ? [(await limit(() => iam.send(new CreateAccessKeyCommand({ UserName: name })))).AccessKey.AccessKeyId] : [];
    users.push({ name, keys });
  }
  for (let i = 0; i < ACCOUNT.roles; i++) await limit(() => iam.send(new CreateRoleCommand({ RoleName: `role-${i}`, AssumeRolePolicyDocument: trust('ec2.amazonaws.com') })));
  iam.destroy();
  for (const [region, n] of Object.entries(ACCOUNT.instances)) {
    const ec2 = new EC2Client(config(endpoint, region, credentials));
    for (let i = 0; i < n; i++) await limit(() => ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })));
    ec2.destroy();
  }
  return users;
}

function writeBaselines(dir, accounts) {
  const folder = path.join(dir, 'baselines');
  mkdirSync(folder);
  writeFileSync(
    path.join(folder, '_defaults.yaml'),
    [
      'version: 1',
      'root: { mfa: optional }',
      'iam:',
      '  roles:',
      `    - { name: ${ROLE} }`,
      '    - { name: "role-*", trustedPrincipals: [ec2.amazonaws.com] }',
      'resources:',
      '  ec2.instance: [{ region: "*", description: "every instance: the bench measures, it does not judge" }]',
      '',
    ].join('\n'),
  );
  for (const { id, users } of accounts) {
    const lines = ['version: 1', `account: { id: "${id}" }`, ...(users.length ? ['iam:', '  users:'] : [])];
    for (const u of users) lines.push(`    - name: ${u.name}`, ...(u.keys.length ? [`      accessKeys: [${u.keys.map((k) => `{ id: ${k} }`).join(', ')}]`] : []));
    writeFileSync(path.join(folder, `${id}.yaml`), `${lines.join('\n')}\n`);
  }
  return folder;
}

const run = runNode;

/** One measured org run: wall time, peak RSS, the org report, and the accounts' API calls from their reports. */
async function orgAudit(root, endpoint, dir, folder, select, accountConcurrency) {
  const out = mkdtempSync(path.join(dir, 'out-'));
  const env = auditorEnv(endpoint, dir);
  const args = ['--import', './scripts/bench-rss.mjs', 'dist/bin/rollcall.js', 'audit', ...select, '-b', folder, '--out-dir', out, '--assume-role-name', ROLE, '--concurrency', PER_ACCOUNT_CONCURRENCY, '--account-concurrency', String(accountConcurrency)];
  const started = process.hrtime.bigint();
  const r = await run(root, args, env);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (![0, 1, 4].includes(r.status)) throw new Error(`org audit failed (${r.status}): ${r.stderr.slice(-3000)}`);
  const report = JSON.parse(readFileSync(path.join(out, 'org-report.json'), 'utf8'));
  if (report.summary.gaps > 0) throw new Error(`accounts not audited: ${JSON.stringify(report.accounts.filter((a) => a.gap))}`);
  let calls = 0;
  const regions = new Map();
  for (const a of report.accounts) {
    const own = JSON.parse(readFileSync(path.join(out, a.reports.json), 'utf8'));
    calls += own.inventory.apiCalls;
    regions.set(a.id, own.inventory.regions.filter((x) => x !== 'global'));
    for (const g of own.gaps) process.stderr.write(`  gap in ${a.id}: ${g.region} ${g.operation} ${g.code}: ${g.message}\n`);
  }
  rmSync(out, { recursive: true, force: true });
  return { wallMs, maxRssKb: Number(readFileSync(path.join(dir, 'rss'), 'utf8')), report, calls, regions };
}

/**
 * The org scenario. `cMin` is bench.mjs's floor for one account; the run's own
 * calls (GetCallerIdentity, with --org DescribeOrganization and ListAccounts
 * pages, one AssumeRole per account) are added at their floor. Returns the table's rows.
 */
export async function benchOrg({ root, runs, latency, replay, accountConcurrency, cMin }) {
  const size = Math.max(...SIZES);
  const aws = await startBenchAws();
  const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-bench-org-'));
  try {
    const t0 = Date.now();
    const ids = await seedOrganization(aws.emulator, size);
    const limit = pLimit(16);
    const accounts = await Promise.all(ids.map(async (id) => ({ id, users: id === MANAGEMENT ? [] : await seedAccount(aws.emulator, id, limit) })));
    const folder = writeBaselines(dir, accounts);
    const seedS = ((Date.now() - t0) / 1000).toFixed(1);
    process.stderr.write(`  org: ${ids.length} accounts seeded in ${seedS} s\n`);
    const members = ids.filter((id) => id !== MANAGEMENT);
    const selection = (n) => (n === size ? ['--org'] : ['--accounts', members.slice(0, n).join(',')]);

    // Warm-up, recorded: every account (the emulator answers).
    aws.mode({ latency, record: true, replay: false });
    const warm = await orgAudit(root, aws.endpoint, dir, folder, selection(size), accountConcurrency);
    const floorOf = (n, regionsOf) => {
      let floor = 1 + n + (n === size ? 1 + Math.ceil(size / 20) : 0); // the run's own: caller, one AssumeRole each; --org: DescribeOrganization (the run's fingerprint), ListAccounts pages
      for (const id of (n === size ? ids : members.slice(0, n))) {
        const a = accounts.find((x) => x.id === id);
        const perRegion = regionsOf.get(id).map((r) => ({ instances: ACCOUNT.instances[r] && id !== MANAGEMENT ? ACCOUNT.instances[r] : 0, spot: 0, functions: 0, tagged: 0 }));
        floor += cMin({ entities: a.users.length + (id === MANAGEMENT ? 0 : ACCOUNT.roles + 1), usersWithKeys: a.users.filter((u) => u.keys.length).length, regions: perRegion });
      }
      return floor;
    };
    const timed = new Map(SIZES.map((n) => [n, []]));
    for (let i = 0; i < runs; i++) {
      for (const n of SIZES) {
        aws.mode({ latency, record: false, replay });
        timed.get(n).push(await orgAudit(root, aws.endpoint, dir, folder, selection(n), accountConcurrency));
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    const oneMs = median(timed.get(1).map((x) => x.wallMs));
    const rows = SIZES.map((n) => {
      const passes = timed.get(n);
      const wall = median(passes.map((x) => x.wallMs));
      const own = 1 + n + (n === size ? 1 + Math.ceil(size / 20) : 0);
      const calls = passes[0].calls + own;
      const floor = floorOf(n, passes[0].regions);
      return {
        scenario: `org ${n}`,
        accounts: n,
        'seed s': seedS,
        'API calls': calls,
        C_min: floor,
        'calls/C_min': (calls / floor).toFixed(3),
        'audit s': (wall / 1000).toFixed(2),
        'audit n/1': (wall / oneMs).toFixed(2),
        'peak RSS': `${(Math.max(...passes.map((x) => x.maxRssKb)) / 1024).toFixed(0)} MiB`,
        'account conc.': accountConcurrency,
        violations: Object.values(passes[0].report.summary.fail).reduce((a, b) => a + b, 0),
      };
    });
    for (const n of SIZES) process.stderr.write(`  org ${n}: wall s ${timed.get(n).map((x) => (x.wallMs / 1000).toFixed(2)).join(' ')}\n`);
    process.stderr.write(`  org: warm-up (emulator answering) ${(warm.wallMs / 1000).toFixed(2)} s; replay misses: ${aws.misses()}\n`);
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await aws.stop();
  }
}
