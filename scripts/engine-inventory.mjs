// Generates a large saved inventory and its baseline, for the engine's bench
// (bench-engine.mjs) and for measuring by hand:
//   node scripts/engine-inventory.mjs DIR [--resources N] [--format json|json-compact|jsonl|jsonl.gz] [--undeclared]
// Writes DIR/inventory.<ext> and DIR/baseline.yaml. The default is the issue's
// account of a million resources: 5,000 users (one key each), 300,000
// instances and 690,000 tagged resources, spread over four regions, with
// `json` written as `rollcall collect -o` writes it (indented, ~420 MB).
// Deterministic: the same arguments give the same files. The baseline
// declares most of it (users and their keys by id, instances by tag
// selectors per region), so a few thousand violations come out of every
// built-in rule that applies; --undeclared declares nothing, so every
// resource is a violation (a report of a million).
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export const ACCOUNT = '123456789012';
const NOW = Date.parse('2026-11-22T12:00:00Z');
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1', 'sa-east-1'];
/** Allowed by the baseline; the fourth region holds an intruder's share. */
const ALLOWED = REGIONS.slice(0, 3);
const TEAMS = ['web', 'api', 'batch', 'data', 'ml', 'ops'];
const SERVICES = [
  ['ec2', 'volume', 'vol-'],
  ['s3', '', 'bucket-'],
  ['sns', '', 'topic-'],
  ['sqs', '', 'queue-'],
  ['dynamodb', 'table', 'table-'],
  ['ec2', 'security-group', 'sg-'],
];

const iso = (ms) => new Date(ms).toISOString();
const hex = (n, width) => n.toString(16).padStart(width, '0');

/** How many of each type, for `total` resources in the proportions (users and their keys 1% of it). */
export function sizes(total = 1_000_000) {
  const users = Math.max(1, Math.round(total * 0.005));
  const keys = users;
  const instances = Math.max(1, Math.round(total * 0.3));
  const tagged = Math.max(0, total - users - keys - instances);
  return { users, keys, instances, tagged };
}

function user(i) {
  const name = `user-${String(i).padStart(5, '0')}`;
  return {
    type: 'iam.user',
    id: name,
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    region: 'global',
    accountId: ACCOUNT,
    tags: {},
    props: {
      name,
      userId: `AIDA${hex(i, 16).toUpperCase()}`,
      path: '/',
      createDate: iso(NOW - (400 + (i % 300)) * 86_400_000),
      passwordEnabled: i % 10 === 0,
      passwordLastUsed: null,
      mfaActive: i % 20 !== 0,
      accessKeyCount: 1,
      activeAccessKeyCount: 1,
      groups: [],
      attachedPolicies: [],
      inlinePolicies: [],
      permissionsBoundary: null,
    },
  };
}

const keyId = (i) => `AKIA${hex(i, 16).toUpperCase()}`;

function accessKey(i) {
  const createDate = iso(NOW - (10 + (i % 200)) * 86_400_000);
  const lastUsedDate = i % 7 === 0 ? null : iso(NOW - (i % 40) * 86_400_000);
  return {
    type: 'iam.accessKey',
    id: keyId(i),
    region: 'global',
    accountId: ACCOUNT,
    tags: {},
    props: {
      user: `user-${String(i).padStart(5, '0')}`,
      status: 'Active',
      createDate,
      lastUsedDate,
      lastUsedService: lastUsedDate ? 's3' : null,
      lastUsedRegion: lastUsedDate ? 'us-east-1' : null,
      lastActivity: lastUsedDate ?? createDate,
    },
  };
}

/** One in 100 instances has no team tag (undeclared); one in 250 is in the region nobody allowed. */
function instance(i) {
  const id = `i-${hex(i, 17)}`;
  const region = i % 250 === 7 ? REGIONS[3] : ALLOWED[i % ALLOWED.length];
  const team = TEAMS[i % TEAMS.length];
  const tags = i % 100 === 3 ? { Name: `miner-${i}` } : { Name: `${team}-${i}`, team, env: i % 2 ? 'prod' : 'staging' };
  const role = i % 50 === 0 ? 'unknown-role' : `${team}-instance`;
  return {
    type: 'ec2.instance',
    id,
    arn: `arn:aws:ec2:${region}:${ACCOUNT}:instance/${id}`,
    region,
    accountId: ACCOUNT,
    tags,
    props: {
      state: i % 97 === 0 ? 'terminated' : i % 13 === 0 ? 'stopped' : 'running',
      instanceType: i % 100 === 3 ? 'p3.16xlarge' : 't3.micro',
      launchTime: iso(NOW - (i % 500) * 3_600_000),
      imageId: `ami-${hex(i % 40, 8)}`,
      keyName: i % 3 === 0 ? `key-${team}` : null,
      name: tags.Name,
      instanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/${role}`,
      roles: [role],
      lifecycle: i % 9 === 0 ? 'spot' : 'on-demand',
      spotRequestId: null,
      vpcId: `vpc-${hex(i % 16, 8)}`,
      subnetId: `subnet-${hex(i % 64, 8)}`,
      publicIp: null,
      privateIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    },
  };
}

function tagged(i) {
  const [service, resourceType, prefix] = SERVICES[i % SERVICES.length];
  const region = i % 500 === 11 ? REGIONS[3] : ALLOWED[i % ALLOWED.length];
  const name = `${prefix}${hex(i, 12)}`;
  const arn = resourceType ? `arn:aws:${service}:${region}:${ACCOUNT}:${resourceType}/${name}` : `arn:aws:${service}:${region}:${ACCOUNT}:${name}`;
  return {
    type: 'tagged.resource',
    id: arn,
    arn,
    region,
    accountId: ACCOUNT,
    tags: { owner: TEAMS[i % TEAMS.length], cost: `cc-${i % 100}` },
    props: { service, resourceType, name },
  };
}

function root() {
  return {
    type: 'account.root',
    id: 'root',
    region: 'global',
    accountId: ACCOUNT,
    tags: {},
    props: { mfaEnabled: true, accessKeysPresent: false, signingCertificatesPresent: false, passwordLastUsed: null, accessKey1Active: null, accessKey2Active: null },
  };
}

function role(name, service) {
  return {
    type: 'iam.role',
    id: name,
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    region: 'global',
    accountId: ACCOUNT,
    tags: {},
    props: {
      name,
      roleId: `AROA${name.toUpperCase().replace(/[^A-Z]/g, '')}`,
      path: '/',
      createDate: iso(NOW - 90 * 86_400_000),
      trustPolicy: {},
      trustedPrincipals: [service],
      attachedPolicies: [],
      inlinePolicies: [],
      permissionsBoundary: null,
      lastUsedDate: null,
      serviceLinked: false,
      instanceProfiles: [name],
    },
  };
}

/** Every resource, in the order a collection lists them: IAM first, then each region's. */
export function* resources(total = 1_000_000) {
  const n = sizes(total);
  yield root();
  for (const t of TEAMS) yield role(`${t}-instance`, 'ec2.amazonaws.com');
  yield role('unknown-role', 'ec2.amazonaws.com');
  for (let i = 0; i < n.users; i++) yield user(i);
  for (let i = 0; i < n.keys; i++) yield accessKey(i);
  for (let i = 0; i < n.instances; i++) yield instance(i);
  for (let i = 0; i < n.tagged; i++) yield tagged(i);
}

/** The inventory's fields other than its resources. */
export function header() {
  return {
    format: 1,
    accountId: ACCOUNT,
    caller: { account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/auditor`, userId: 'AIDAAUDITOR' },
    collectedAt: iso(NOW),
    regions: ['global', ...REGIONS],
    gaps: [],
    notes: [],
    apiCalls: { 'sts:GetCallerIdentity': 1 },
  };
}

/** The baseline: every user but one in 500 with its key by id; instances by team tag per allowed region; the roles but one. */
export function baselineYaml(total = 1_000_000, { undeclared = false } = {}) {
  const n = sizes(total);
  const lines = ['version: 1', `account: { id: "${ACCOUNT}", alias: engine-bench }`, `regions: { allowed: [${ALLOWED.join(', ')}] }`, 'root: { mfa: required }'];
  if (undeclared) return lines.join('\n') + '\n';
  lines.push('iam:', '  users:');
  for (let i = 0; i < n.users; i++) {
    if (i % 500 === 499) continue;
    lines.push(`    - { name: user-${String(i).padStart(5, '0')}, accessKeys: [{ id: ${keyId(i)}, maxAgeDays: 180 }] }`);
  }
  lines.push('  roles:');
  for (const t of TEAMS) lines.push(`    - { name: ${t}-instance, trustedPrincipals: [ec2.amazonaws.com] }`);
  lines.push('resources:', '  ec2.instance:');
  for (const r of ALLOWED) for (const t of TEAMS) lines.push(`    - { region: ${r}, tags: { team: ${t} }, max: ${Math.ceil(n.instances / 10)} }`);
  lines.push(
    'exceptions:',
    '  - { rule: iam-access-key-unused, subject: "accessKey/AKIA0000000000000*", reason: "SEC-1: build keys", expires: 2099-01-01 }',
    '  - { rule: resource-region-not-allowed, subject: "tagged/sa-east-1/arn:aws:s3*", reason: "SEC-2: the archive", expires: 2099-01-01 }',
  );
  return lines.join('\n') + '\n';
}

/**
 * Writes the inventory: `json` as `rollcall collect -o` writes it
 * (JSON.stringify with an indent of 2, resources included), `jsonl` as one
 * header line and one line per resource, `jsonl.gz` the same, gzipped.
 */
export async function writeInventory(file, { total = 1_000_000, format = 'json' } = {}) {
  mkdirSync(path.dirname(file), { recursive: true });
  if (format === 'json' || format === 'json-compact') {
    const fd = openSync(file, 'w');
    try {
      const { gaps, notes, apiCalls, ...head } = header();
      if (format === 'json-compact') {
        const text = JSON.stringify({ ...head, resources: [], gaps, notes, apiCalls });
        const [before, after] = text.split('"resources":[]');
        let buffer = `${before}"resources":[`;
        let first = true;
        for (const r of resources(total)) {
          buffer += `${first ? '' : ','}${JSON.stringify(r)}`;
          first = false;
          if (buffer.length > 1 << 20) {
            writeSync(fd, buffer);
            buffer = '';
          }
        }
        writeSync(fd, `${buffer}]${after}\n`);
        return;
      }
      const open = JSON.stringify(head, null, 2).slice(0, -2);
      let buffer = `${open},\n  "resources": [`;
      let first = true;
      for (const r of resources(total)) {
        buffer += `${first ? '' : ','}\n    ${JSON.stringify(r, null, 2).replace(/\n/g, '\n    ')}`;
        first = false;
        if (buffer.length > 1 << 20) {
          writeSync(fd, buffer);
          buffer = '';
        }
      }
      const tail = JSON.stringify({ gaps, notes, apiCalls }, null, 2).slice(1).replace(/^\n/, '');
      buffer += `\n  ],\n${tail}\n`;
      writeSync(fd, buffer);
    } finally {
      closeSync(fd);
    }
    return;
  }
  const out = createWriteStream(file);
  const sink = format === 'jsonl.gz' ? createGzip() : out;
  if (sink !== out) sink.pipe(out);
  const write = async (text) => {
    if (!sink.write(text)) await once(sink, 'drain');
  };
  await write(JSON.stringify(header()) + '\n');
  let buffer = '';
  for (const r of resources(total)) {
    buffer += JSON.stringify(r) + '\n';
    if (buffer.length > 1 << 20) {
      await write(buffer);
      buffer = '';
    }
  }
  await write(buffer);
  sink.end();
  await once(out, 'close');
}

export const EXTENSIONS = { json: 'json', 'json-compact': 'compact.json', jsonl: 'jsonl', 'jsonl.gz': 'jsonl.gz' };

/** Writes DIR/inventory.<ext> and DIR/baseline.yaml; returns their paths. */
export async function generate(dir, { total = 1_000_000, format = 'json', undeclared = false } = {}) {
  const inventory = path.join(dir, `inventory.${EXTENSIONS[format]}`);
  const baseline = path.join(dir, undeclared ? 'baseline-undeclared.yaml' : 'baseline.yaml');
  await writeInventory(inventory, { total, format });
  writeFileSync(baseline, baselineYaml(total, { undeclared }));
  return { inventory, baseline };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const dir = args[0];
  if (!dir || dir.startsWith('--')) throw new Error('usage: node scripts/engine-inventory.mjs DIR [--resources N] [--format json|json-compact|jsonl|jsonl.gz] [--undeclared]');
  const o = { total: 1_000_000, format: 'json', undeclared: false };
  for (let i = 1; i < args.length; i++) {
    if (args[i] === '--resources') o.total = Number(args[++i]);
    else if (args[i] === '--format') o.format = args[++i];
    else if (args[i] === '--undeclared') o.undeclared = true;
    else throw new Error(`unknown argument ${args[i]}`);
  }
  if (!EXTENSIONS[o.format]) throw new Error(`--format: json, jsonl or jsonl.gz, not ${o.format}`);
  const t0 = Date.now();
  const written = await generate(dir, o);
  console.log(`${written.inventory} and ${written.baseline} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
