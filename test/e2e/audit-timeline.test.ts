/**
 * The issue's multi-hop scenario end to end, with the built CLI against the
 * emulator: the exposed key's user creates a user, whose key creates a role
 * and starts instances in two regions; a session is obtained with AssumeRole
 * (the new key) and another with GetSessionToken (the exposed key). Each call
 * is a real SDK call to the emulator, and its record is written to a trail
 * bucket in CloudTrail's format; then `rollcall timeline` reads the bucket,
 * `audit --timeline` shows the evidence (the attacker's creations marked,
 * with their hop), and `plan --timeline` revokes the assumed role's sessions
 * and quarantines the user whose session token the attacker holds.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ctRecord, type RecordSpec } from '../helpers/cloudtrail-records.js';
import { resetEmulator } from '../helpers/emulator.js';
import { ACCOUNT } from '../helpers/resources.js';
import { tempDir } from '../helpers/temp.js';

const BUCKET = 'trail-logs';
const REGIONS = 'us-east-1,eu-west-1';
type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const clients: { destroy(): void }[] = [];
const made = <T extends { destroy(): void }>(c: T): T => {
  clients.push(c);
  return c;
};
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});
beforeEach(resetEmulator);

/** CloudTrail spells an AssumeRole expiration out, in UTC: `Nov 29, 2026, 5:00:00 PM`. */
function spelled(d: Date): string {
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** The log file a record goes into: its region and day, in the documented layout. */
const logKey = (region: string, time: string, n: number) => {
  const [y, m, d] = time.slice(0, 10).split('-');
  return `AWSLogs/${ACCOUNT}/CloudTrail/${region}/${y}/${m}/${d}/${ACCOUNT}_CloudTrail_${region}_${y}${m}${d}T0000Z_${n}.json.gz`;
};

/** Seeds the scenario with real calls, and returns the records CloudTrail would have written for them. */
async function seedScenario(since: Date) {
  const iam = made(new IAMClient({ region: 'us-east-1' }));
  await iam.send(new CreateUserCommand({ UserName: 'leaky' }));
  const exposedKey = (await iam.send(new CreateAccessKeyCommand({ UserName: 'leaky' }))).AccessKey!;
  const exposed: Creds = { accessKeyId: exposedKey.AccessKeyId!, secretAccessKey: exposedKey.SecretAccessKey! };

  // Hop 0: the exposed key makes a user and gives it a key.
  const asExposed = made(new IAMClient({ region: 'us-east-1', credentials: exposed }));
  const backdoorUser = (await asExposed.send(new CreateUserCommand({ UserName: 'backdoor' }))).User!;
  const backdoorKey = (await asExposed.send(new CreateAccessKeyCommand({ UserName: 'backdoor' }))).AccessKey!;
  const backdoor: Creds = { accessKeyId: backdoorKey.AccessKeyId!, secretAccessKey: backdoorKey.SecretAccessKey! };

  // Hop 1: the new key makes a role anyone may assume and starts instances in two regions.
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] });
  const role = (await made(new IAMClient({ region: 'us-east-1', credentials: backdoor })).send(new CreateRoleCommand({ RoleName: 'escalate', AssumeRolePolicyDocument: trust }))).Role!;
  const run = async (region: string) =>
    (await made(new EC2Client({ region, credentials: backdoor })).send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, InstanceType: 'c5.large' }))).Instances![0]!.InstanceId!;
  const east = await run('us-east-1');
  const west = await run('eu-west-1');

  // Sessions: the new key assumes the role; the exposed key gets a session token for its own user.
  const assumed = await made(new STSClient({ region: 'us-east-1', credentials: backdoor })).send(new AssumeRoleCommand({ RoleArn: role.Arn!, RoleSessionName: 'x', DurationSeconds: 3600 }));
  const token = await made(new STSClient({ region: 'us-east-1', credentials: exposed })).send(new GetSessionTokenCommand({ DurationSeconds: 43_200 }));

  let minute = 0;
  const at = () => new Date(since.getTime() + 60_000 * (minute += 1)).toISOString();
  const by = (user: string, key: Creds): Pick<RecordSpec, 'user' | 'keyId'> => ({ user, keyId: key.accessKeyId });
  const iamSource = 'iam.amazonaws.com';
  const records: RecordSpec[] = [
    { time: at(), source: iamSource, name: 'CreateUser', ...by('leaky', exposed), ip: '198.51.100.66', agent: 'attack-kit/1.0', request: { userName: 'backdoor' }, response: { user: { userName: 'backdoor', arn: backdoorUser.Arn } } },
    { time: at(), source: iamSource, name: 'CreateAccessKey', ...by('leaky', exposed), request: { userName: 'backdoor' }, response: { accessKey: { accessKeyId: backdoor.accessKeyId, userName: 'backdoor', status: 'Active' } } },
    { time: at(), source: iamSource, name: 'CreateRole', ...by('backdoor', backdoor), request: { roleName: 'escalate' }, response: { role: { roleName: 'escalate', arn: role.Arn } } },
    { time: at(), region: 'us-east-1', source: 'ec2.amazonaws.com', name: 'RunInstances', ...by('backdoor', backdoor), response: { instancesSet: { items: [{ instanceId: east }] } } },
    { time: at(), region: 'eu-west-1', source: 'ec2.amazonaws.com', name: 'RunInstances', ...by('backdoor', backdoor), response: { instancesSet: { items: [{ instanceId: west }] } } },
    {
      time: at(),
      source: 'sts.amazonaws.com',
      name: 'AssumeRole',
      ...by('backdoor', backdoor),
      readOnly: true,
      request: { roleArn: role.Arn, roleSessionName: 'x' },
      response: { credentials: { accessKeyId: assumed.Credentials!.AccessKeyId, sessionToken: 'NEVER-PRINTED', expiration: spelled(assumed.Credentials!.Expiration!) }, assumedRoleUser: { arn: assumed.AssumedRoleUser!.Arn } },
    },
    {
      time: at(),
      source: 'sts.amazonaws.com',
      name: 'GetSessionToken',
      ...by('leaky', exposed),
      readOnly: true,
      response: { credentials: { accessKeyId: token.Credentials!.AccessKeyId, sessionToken: 'NEVER-PRINTED', expiration: token.Credentials!.Expiration!.toISOString() } },
    },
  ];
  return { exposed: exposed.accessKeyId, backdoor: backdoor.accessKeyId, east, west, assumedKey: assumed.Credentials!.AccessKeyId!, tokenKey: token.Credentials!.AccessKeyId!, records };
}

async function writeTrail(records: RecordSpec[]): Promise<void> {
  const s3 = made(new S3Client({ region: 'us-east-1', forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const files = new Map<string, Record<string, unknown>[]>();
  for (const r of records) {
    const k = logKey(r.region ?? 'us-east-1', r.time, 1);
    files.set(k, [...(files.get(k) ?? []), ctRecord(r)]);
  }
  for (const [Key, list] of files) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: gzipSync(JSON.stringify({ Records: list })) }));
}

interface ReportViolation {
  ruleId: string;
  subject: string;
  status: string;
  fingerprint: string;
  evidence?: { created?: { name: string; attacker: boolean; hop?: number; sourceIp?: string; userAgent?: string; actor: { arn?: string; accessKeyId?: string } }; attackerChanges: unknown[]; sessions: { accessKeyId: string; how: string }[] };
}

describe('audit and plan --timeline on the multi-hop scenario', () => {
  it('the audit shows who made what (the attacker marked, with its hop); the plan revokes the role sessions and quarantines the token user', async () => {
    const since = new Date(Date.now() - 30 * 60_000);
    const s = await seedScenario(since);
    await writeTrail(s.records);
    const dir = tempDir();
    const baseline = path.join(dir, 'baseline.yaml');
    writeFileSync(
      baseline,
      [
        'version: 1',
        `account: { id: "${ACCOUNT}" }`,
        'regions: { allowed: [us-east-1, eu-west-1] }',
        'iam:',
        '  users:',
        `    - { name: leaky, accessKeys: [{ id: ${s.exposed} }] }`,
        'incident:',
        `  since: ${since.toISOString()}`,
        `  exposedKeys: [${s.exposed}]`,
        '',
      ].join('\n'),
    );

    const timeline = path.join(dir, 'timeline.json');
    const t = await runCli(['timeline', '-b', baseline, '--trail-bucket', `s3://${BUCKET}`, '--regions', REGIONS, '--format', 'json', '-o', timeline, '-q']);
    expect(t.code, t.stderr).toBe(0);
    expect(readFileSync(timeline, 'utf8')).not.toContain('NEVER-PRINTED');

    const out = path.join(dir, 'report.json');
    const audit = await runCli(['audit', '-b', baseline, '--timeline', timeline, '--regions', REGIONS, '--format', 'json', '-o', out, '-q']);
    expect(audit.code, audit.stderr).toBe(1);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { violations: ReportViolation[]; notes: string[] };
    const of = (rule: string, subject: string) => {
      const v = report.violations.find((x) => x.ruleId === rule && x.subject === subject);
      if (!v) throw new Error(`no ${rule} on ${subject}: ${report.violations.map((x) => `${x.ruleId} ${x.subject}`).join(', ')}`);
      return v;
    };
    // hop 0: the exposed key made the user, from its address and tool
    expect(of('iam-user-undeclared', 'user/backdoor').evidence!.created).toMatchObject({
      name: 'CreateUser',
      attacker: true,
      hop: 0,
      sourceIp: '198.51.100.66',
      userAgent: 'attack-kit/1.0',
      actor: { arn: `arn:aws:iam::${ACCOUNT}:user/leaky`, accessKeyId: s.exposed },
    });
    expect(of('iam-access-key-undeclared', `accessKey/${s.backdoor}`).evidence!.created).toMatchObject({ name: 'CreateAccessKey', attacker: true, hop: 0 });
    // hop 1: the new key made the role and the instances in both regions
    expect(of('iam-role-undeclared', 'role/escalate').evidence!.created).toMatchObject({ name: 'CreateRole', attacker: true, hop: 1, actor: { accessKeyId: s.backdoor } });
    for (const [region, id] of [['us-east-1', s.east], ['eu-west-1', s.west]] as const) {
      expect(of('ec2-instance-undeclared', `instance/${region}/${id}`).evidence!.created).toMatchObject({ name: 'RunInstances', attacker: true, hop: 1 });
    }
    // the sessions: the role's, and the exposed key's own user's session token
    const roleSessions = of('iam-role-attacker-session-active', 'role/escalate');
    expect(roleSessions.status).toBe('fail');
    expect(roleSessions.evidence!.sessions).toEqual([expect.objectContaining({ accessKeyId: s.assumedKey, how: 'AssumeRole' })]);
    const userTokens = of('iam-user-attacker-session-active', 'user/leaky');
    expect(userTokens.evidence!.sessions).toEqual([expect.objectContaining({ accessKeyId: s.tokenKey, how: 'GetSessionToken' })]);
    expect(report.notes.some((n) => n.startsWith(`CloudTrail timeline ${timeline}: 7 events`))).toBe(true);

    const md = await runCli(['audit', '-b', baseline, '--timeline', timeline, '--regions', REGIONS, '-q']);
    expect(md.stdout).toContain('  - created by `CreateUser`');
    expect(md.stdout).toContain('**the attacker** (hop 1');

    const plan = path.join(dir, 'plan.json');
    const planned = await runCli(['plan', '-b', baseline, '--timeline', timeline, '--regions', REGIONS, '-o', plan, '-q']);
    expect(planned.code, planned.stderr).toBe(0);
    const steps = (JSON.parse(readFileSync(plan, 'utf8')) as { steps: { id: string; because: string[] }[] }).steps;
    const step = (id: string) => {
      const found = steps.find((x) => x.id === id);
      if (!found) throw new Error(`no step ${id}: ${steps.map((x) => x.id).join(', ')}`);
      return found;
    };
    expect(step('revokeRoleSessions role/escalate').because).toContain(roleSessions.fingerprint);
    // leaky is declared: only its session token calls for its quarantine
    expect(step('quarantineUser user/leaky').because).toEqual([userTokens.fingerprint]);

    // Without a timeline: no evidence, and the report says which rules were not judged.
    const plain = await runCli(['audit', '-b', baseline, '--regions', REGIONS, '--format', 'json', '-q']);
    const without = JSON.parse(plain.stdout) as { violations: ReportViolation[]; notes: string[] };
    expect(without.violations.some((v) => v.evidence !== undefined)).toBe(false);
    expect(without.violations.some((v) => v.ruleId === 'iam-role-attacker-session-active')).toBe(false);
    expect(without.notes.some((n) => /rule\(s\) read the CloudTrail history and were not judged \(no --timeline\)/.test(n))).toBe(true);

    // No exposed key to follow (neither the baseline nor the timeline names one): the rules that read who the attacker is
    // are not judged, as without a timeline, and the report says why; the trail rule, which does not, still is.
    const noKeys = path.join(dir, 'no-keys.yaml');
    writeFileSync(noKeys, readFileSync(baseline, 'utf8').replace(/^ {2}exposedKeys: .*\n/m, ''));
    const unkeyed = path.join(dir, 'unkeyed.json');
    expect((await runCli(['timeline', '-b', noKeys, '--trail-bucket', `s3://${BUCKET}`, '--regions', REGIONS, '--format', 'json', '-o', unkeyed, '-q'])).code).toBe(0);
    const blindAudit = await runCli(['audit', '-b', noKeys, '--timeline', unkeyed, '--regions', REGIONS, '--format', 'json', '-q']);
    const unattributed = JSON.parse(blindAudit.stdout) as { violations: ReportViolation[]; notes: string[] };
    for (const rule of ['iam-role-attacker-session-active', 'iam-user-attacker-session-active']) expect(unattributed.violations.some((v) => v.ruleId === rule)).toBe(false);
    expect(unattributed.notes.some((n) => n.includes('incident.exposedKeys') && n.includes('iam-role-attacker-session-active'))).toBe(true);

    // `timeline --regions eu-west-1` reads us-east-1 too, where IAM's events are recorded, so IAM is judged.
    const west = path.join(dir, 'west.json');
    expect((await runCli(['timeline', '-b', baseline, '--trail-bucket', `s3://${BUCKET}`, '--regions', 'eu-west-1', '--format', 'json', '-o', west, '-q'])).code).toBe(0);
    const westTimeline = JSON.parse(readFileSync(west, 'utf8')) as { regions: string[]; actors: { events: { region: string }[] }[] };
    expect(westTimeline.regions).toEqual(['eu-west-1', 'us-east-1']);
    const judged = JSON.parse((await runCli(['audit', '-b', baseline, '--timeline', west, '--regions', 'eu-west-1', '--format', 'json', '-q'])).stdout) as { violations: ReportViolation[] };
    expect(judged.violations.filter((v) => v.ruleId === 'iam-role-attacker-session-active').map((v) => [v.status, v.subject])).toEqual([['fail', 'role/escalate']]);
    // A timeline that did not read us-east-1 (written before that, or by hand) is blind for IAM: unknown, never a pass.
    westTimeline.regions = ['eu-west-1'];
    for (const a of westTimeline.actors) a.events = a.events.filter((e) => e.region !== 'us-east-1');
    westTimeline.actors = westTimeline.actors.filter((a) => a.events.length > 0);
    writeFileSync(west, JSON.stringify(westTimeline));
    const westAudit = await runCli(['audit', '-b', baseline, '--timeline', west, '--regions', 'eu-west-1', '--format', 'json', '-q']);
    const westReport = JSON.parse(westAudit.stdout) as { violations: ReportViolation[]; notes: string[] };
    expect(westReport.violations.filter((v) => v.ruleId === 'iam-role-attacker-session-active').map((v) => [v.status, v.subject])).toEqual([['unknown', 'role/*']]);
    expect(westReport.notes.some((n) => n.includes('blind for IAM and the root user'))).toBe(true);
  });

  it('--timeline live without incident.since, and a timeline of another account, are input errors (exit 2, nothing written)', async () => {
    const dir = tempDir();
    const baseline = path.join(dir, 'baseline.yaml');
    writeFileSync(baseline, `version: 1\naccount: { id: "${ACCOUNT}" }\n`);
    const live = await runCli(['audit', '-b', baseline, '--timeline', 'live', '-q']);
    expect(live.code).toBe(2);
    expect(live.stderr).toContain('incident.since');
    expect(live.stderr).not.toMatch(/\n\s+at /);
    const other = path.join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ format: 1, accountId: '999999999999', window: { since: '2026-11-01T00:00:00.000Z', until: '2026-11-02T00:00:00.000Z' }, source: { kind: 'lookup', lookupCalls: 0 }, regions: [], records: 0, events: 0, complete: true, gaps: [], notes: [], actors: [] }));
    const wrong = await runCli(['plan', '-b', baseline, '--timeline', other, '-o', path.join(dir, 'plan.json'), '-q']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('999999999999');
  });
});
