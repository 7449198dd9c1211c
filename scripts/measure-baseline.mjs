// Measures `rollcall baseline init --inventory` (the CLI as a user runs it) on
// inventories shaped like the benchmark's iam-heavy and medium accounts
// (scripts/bench.mjs: same counts of users, keys, roles, instances, functions
// and tagged volumes), generated here, not collected: collecting is what
// `npm run bench` measures for audit, and init collects the same way. Prints
// init's wall time, the baseline's size, and the audit of that inventory
// against it: its violations by relation (unexpected must be 0).
// Not a test (timings depend on the machine): `npm run build` first, then
// `node scripts/measure-baseline.mjs`. Removes its temporary folder.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ACCOUNT = '123456789012';
const FOUR = ['us-east-1', 'eu-west-1', 'ap-south-1', 'sa-east-1'];
const at = '2026-11-01T00:00:00.000Z';
const base = (type, id, region, props, tags = {}) => ({ type, id, region, accountId: ACCOUNT, tags, props });

function inventory(s) {
  const resources = [base('account.root', 'root', 'global', { mfaEnabled: true, accessKeysPresent: false, signingCertificatesPresent: false, passwordLastUsed: null, accessKey1Active: null, accessKey2Active: null })];
  for (let i = 0; i < s.users; i++) {
    const name = `user-${String(i).padStart(5, '0')}`;
    const keys = s.keys[i % s.keys.length];
    resources.push(base('iam.user', name, 'global', { name, userId: `AIDA${i}`, path: '/', createDate: at, passwordEnabled: false, passwordLastUsed: null, mfaActive: false, accessKeyCount: keys, activeAccessKeyCount: keys, groups: [], attachedPolicies: [], inlinePolicies: [], permissionsBoundary: null }));
    for (let k = 0; k < keys; k++) {
      const id = `AKIA${String(i * 2 + k).padStart(16, '0')}`;
      resources.push(base('iam.accessKey', id, 'global', { user: name, status: 'Active', createDate: at, lastUsedDate: null, lastUsedService: null, lastUsedRegion: null, lastActivity: at }));
    }
  }
  for (let i = 0; i < s.roles; i++) {
    const name = `role-${i}`;
    resources.push(base('iam.role', name, 'global', { name, roleId: `AROA${i}`, path: '/', createDate: at, trustPolicy: {}, trustedPrincipals: ['ec2.amazonaws.com'], attachedPolicies: [], inlinePolicies: [], permissionsBoundary: null, lastUsedDate: null, serviceLinked: false, instanceProfiles: [] }));
  }
  FOUR.forEach((region, r) => {
    for (let i = 0; i < (s.instances ?? 0) / 4; i++) {
      const id = `i-${String(r * 100000 + i).padStart(17, '0')}`;
      resources.push(base('ec2.instance', id, region, { state: 'running', instanceType: 't3.micro', launchTime: at, imageId: 'ami-12c6146b', keyName: null, name: null, instanceProfileArn: null, roles: [], lifecycle: 'on-demand', spotRequestId: null, vpcId: null, subnetId: null, publicIp: null, privateIp: null }));
    }
    for (let i = 0; i < (s.functions ?? 0) / 4; i++) {
      const name = `bench-${i}`;
      resources.push(base('lambda.function', name, region, { name, runtime: 'nodejs20.x', roleArn: `arn:aws:iam::${ACCOUNT}:role/bench-lambda`, roles: ['bench-lambda'], handler: 'index.handler', lastModified: at, codeSize: 22, memorySize: 128, timeout: 3, packageType: 'Zip' }));
    }
    for (let i = 0; i < (s.volumes ?? 0) / 4; i++) {
      const arn = `arn:aws:ec2:${region}:${ACCOUNT}:volume/vol-${String(r * 100000 + i).padStart(17, '0')}`;
      resources.push(base('tagged.resource', arn, region, { service: 'ec2', resourceType: 'volume', name: arn.split('/')[1] }, { bench: String(i) }));
    }
  });
  return { format: 1, accountId: ACCOUNT, caller: { account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/bench`, userId: 'AIDABENCH' }, collectedAt: at, regions: ['global', ...FOUR], resources, gaps: [], notes: [], apiCalls: {} };
}

const SCENARIOS = {
  medium: { users: 200, keys: [2, 1, 1, 1], roles: 20, instances: 500, functions: 200, volumes: 5000 },
  'iam-heavy': { users: 2000, keys: [2, 1], roles: 1000 },
};

const dir = mkdtempSync(join(tmpdir(), 'rollcall-measure-'));
try {
  for (const [name, s] of Object.entries(SCENARIOS)) {
    const inv = join(dir, `${name}.json`);
    const out = join(dir, `${name}.yaml`);
    const data = inventory(s);
    writeFileSync(inv, JSON.stringify(data));
    const t0 = process.hrtime.bigint();
    const init = spawnSync(process.execPath, ['dist/bin/rollcall.js', 'baseline', 'init', '-q', '--inventory', inv, '-o', out], { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (init.status !== 0) throw new Error(`init failed (${init.status}): ${init.stderr}`);
    const report = spawnSync(process.execPath, ['dist/bin/rollcall.js', 'audit', '-q', '--baseline', out, '--inventory', inv, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const violations = JSON.parse(report.stdout).violations;
    const rules = new Map();
    for (const f of spawnSync('ls', ['rules/compromise', 'rules/hygiene'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.endsWith('.yaml'))) {
      const path = ['compromise', 'hygiene'].map((p) => `rules/${p}/${f}`).find((p) => { try { statSync(p); return true; } catch { return false; } });
      rules.set(f.replace(/\.yaml$/, ''), /^relation: (\w+)/m.exec(readFileSync(path, 'utf8'))?.[1]);
    }
    const byRelation = {};
    for (const v of violations) byRelation[rules.get(v.ruleId)] = (byRelation[rules.get(v.ruleId)] ?? 0) + 1;
    const text = readFileSync(out, 'utf8');
    console.log(`${name}: ${data.resources.length} resources; baseline init ${(ms / 1000).toFixed(2)} s (process start included); ${(statSync(out).size / 1024).toFixed(0)} KiB, ${text.split('\n').length} lines; audit after init: ${violations.length} violations ${JSON.stringify(byRelation)}, unexpected: ${byRelation.unexpected ?? 0}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
