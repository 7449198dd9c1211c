/**
 * Org mode against the emulator: an organization made with Organizations
 * (CreateOrganization, CreateAccount; one account closed), each member reached
 * through a role assumed with STS, each audited against its own baseline (its
 * file over _defaults.yaml). moto assumes any role, even one that does not
 * exist (its AssumeRole says so), so the account whose role is missing is
 * played by aws-sdk-client-mock on the run's STS client: AWS's AccessDenied
 * for that one role ARN, every other call sent to the emulator as it is.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  DescribeConfigurationAggregatorsCommand,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  SelectAggregateResourceConfigCommand,
  type AggregatedSourceStatus,
  type SelectAggregateResourceConfigCommandInput,
} from '@aws-sdk/client-config-service';
import { CreateUserCommand } from '@aws-sdk/client-iam';
import { CloseAccountCommand, CreateAccountCommand, CreateOrganizationCommand, DescribeOrganizationCommand, ListAccountsCommand, type ListAccountsCommandInput } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSServiceException, type AssumeRoleCommandInput, type GetCallerIdentityCommandInput } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { builtinRulesDir, loadRules } from '../../src/load/rules.js';
import { loadOrgReport } from '../../src/load/org-report.js';
import { loadReport } from '../../src/load/report.js';
import { checkBaselineFolder, readBaselineFolder } from '../../src/org/baselines.js';
import { permissionsPolicy } from '../../src/commands/permissions.js';
import { loadPrevious } from '../../src/commands/org-audit.js';
import { mergeShards } from '../../src/org/merge.js';
import { runStamp } from '../../src/org/fingerprint.js';
import { assumedRoleCredentials, roleArnIn } from '../../src/org/role-credentials.js';
import { runOrgAudit, type OrgRunInput } from '../../src/org/run.js';
import { shardOf } from '../../src/org/shard.js';
import { jsonChunks } from '../../src/report/json.js';
import { orgReportName, type OrgReport } from '../../src/report/org-report.js';
import { writeChunksAtomic } from '../../src/report/output.js';
import { InputError } from '../../src/errors.js';
import { resetEmulator } from '../helpers/emulator.js';
import { awsError } from '../helpers/regional.js';
import { tempDir } from '../helpers/temp.js';

const MANAGEMENT = '123456789012';
/** An account with a baseline that the organization does not list at all (it left: LeaveOrganization). */
const GONE = '999999999999';
const ROLE = 'OrganizationAccountAccessRole';
const NOW = new Date('2026-11-29T12:00:00Z');
const options = { ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' };
/** What the test itself calls with the run's clients to make the organization. */
const SEEDING = new Set(['organizations:CreateOrganization', 'organizations:CreateAccount', 'organizations:CloseAccount']);

interface Org {
  alpha: string;
  bravo: string;
  charlie: string;
  delta: string;
  echo: string;
}

/** The organization: five member accounts besides the management one; echo closed (SUSPENDED). */
async function makeOrg(management: AwsClients): Promise<Org> {
  const org = management.organizations();
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo'] as const;
  for (const name of names) await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
  const listed = (await org.send(new ListAccountsCommand({}))).Accounts ?? [];
  const ids = Object.fromEntries(names.map((n) => [n, listed.find((a) => a.Name === n)!.Id!])) as unknown as Org;
  await org.send(new CloseAccountCommand({ AccountId: ids.echo }));
  return ids;
}

/** Acts in a member account as the org run does: through its role. */
async function inAccount(management: AwsClients, accountId: string, act: (clients: AwsClients) => Promise<unknown>): Promise<void> {
  const clients = new AwsClients(options, assumedRoleCredentials(management.sts(), { roleArn: roleArnIn('aws', accountId, ROLE), sessionName: 'seed' }));
  try {
    await act(clients);
  } finally {
    clients.destroy();
  }
}

const baselineOf = (id: string, extra = '') => `version: 1\naccount: { id: "${id}" }\n${extra}`;

/** _defaults.yaml: the region, root, and the role every member has; each account's file adds its users. */
function writeBaselines(dir: string, org: Org): string {
  const folder = path.join(dir, 'baselines');
  mkdirSync(folder);
  writeFileSync(path.join(folder, '_defaults.yaml'), `version: 1\nregions: { allowed: [us-east-1] }\nroot: { mfa: optional, accessKeys: forbidden }\niam:\n  roles:\n    - name: ${ROLE}\n`);
  writeFileSync(path.join(folder, `${org.alpha}.yaml`), baselineOf(org.alpha, 'iam:\n  users:\n    - name: alice\n'));
  // bravo declares nobody: its user mallory is undeclared.
  writeFileSync(path.join(folder, `${org.bravo}.yaml`), baselineOf(org.bravo));
  // charlie has no baseline; delta has one, but its role is missing; echo is closed.
  writeFileSync(path.join(folder, `${org.delta}.yaml`), baselineOf(org.delta));
  writeFileSync(path.join(folder, `${org.echo}.yaml`), baselineOf(org.echo));
  writeFileSync(path.join(folder, `${MANAGEMENT}.yaml`), baselineOf(MANAGEMENT));
  writeFileSync(path.join(folder, `${GONE}.yaml`), baselineOf(GONE));
  return folder;
}

/** AWS's answer to AssumeRole for a role that does not exist (or does not trust the caller). */
function accessDenied(roleArn: string): STSServiceException {
  return new STSServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: `User: arn:aws:iam::${MANAGEMENT}:user/auditor is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
  });
}

describe('audit --org against the emulator', () => {
  let management: AwsClients;
  let org: Org;
  let restore: (() => void) | undefined;

  beforeEach(async () => {
    await resetEmulator();
    management = new AwsClients(options);
    org = await makeOrg(management);
    await inAccount(management, org.alpha, (c) => c.iam().send(new CreateUserCommand({ UserName: 'alice' })));
    await inAccount(management, org.bravo, (c) => c.iam().send(new CreateUserCommand({ UserName: 'mallory' })));
    // delta's role is missing: AssumeRole into it is refused; every other call reaches the emulator.
    const sts = management.sts();
    const send = sts.send.bind(sts) as (c: unknown) => Promise<unknown>;
    const missing = roleArnIn('aws', org.delta, ROLE);
    const mock = mockClient(sts);
    mock.on(AssumeRoleCommand).callsFake((input: AssumeRoleCommandInput) => (input.RoleArn === missing ? Promise.reject(accessDenied(missing)) : send(new AssumeRoleCommand(input))));
    mock.on(GetCallerIdentityCommand).callsFake((input: GetCallerIdentityCommandInput) => send(new GetCallerIdentityCommand(input)));
    restore = () => mock.restore();
  });

  afterEach(() => {
    restore?.();
    management.destroy();
  });

  function input(dir: string, extra: Partial<OrgRunInput> = {}): OrgRunInput {
    const folder = readBaselineFolder(writeBaselinesOnce(dir));
    const rules = loadRules([builtinRulesDir()]);
    const knownRules = { ids: new Set(rules.map((r) => r.id)), from: 'the built-in rules' };
    const defaults = checkBaselineFolder(folder, knownRules);
    const outDir = path.join(dir, 'out');
    mkdirSync(path.join(outDir, 'accounts'), { recursive: true });
    return {
      management,
      clientOptions: options,
      org: true,
      roleName: ROLE,
      sessionName: 'rollcall',
      folder,
      ...(defaults ? { defaults } : {}),
      rules,
      knownRules,
      now: NOW,
      regions: ['us-east-1'],
      concurrency: 8,
      accountConcurrency: 3,
      failOn: { severity: 'low', onlyNew: false },
      failOnText: 'low',
      outDir,
      log: process.env.ORG_TEST_LOG ? (m) => process.stderr.write(`${new Date().toISOString()} ${m}\n`) : () => {},
      ...extra,
    };
  }
  const written = new Set<string>();
  function writeBaselinesOnce(dir: string): string {
    const folder = path.join(dir, 'baselines');
    if (!written.has(dir)) {
      writeBaselines(dir, org);
      written.add(dir);
    }
    return folder;
  }

  it('audits each ACTIVE account through its role against its own baseline; a missing role or baseline is that account\'s gap', async () => {
    const dir = tempDir('rollcall-org-');
    const report = await runOrgAudit(input(dir));
    const byId = new Map(report.accounts.map((a) => [a.id, a]));
    // Every ACTIVE account, once, sorted by id; the closed one is not among them (its baseline is noted: the organization lists it SUSPENDED).
    // An account with a baseline that the organization does not list at all (it left) is a gap, never a note.
    expect(report.accounts.map((a) => a.id)).toEqual([MANAGEMENT, org.alpha, org.bravo, org.charlie, org.delta, GONE].sort());
    expect(report.notes).toEqual([`${org.echo}.yaml: the organization lists account ${org.echo} as SUSPENDED; not audited`]);
    expect(byId.get(GONE)).toMatchObject({ status: 'gap', exitCode: 4, gap: { reason: 'not-listed' }, baseline: [path.join(dir, 'baselines', '_defaults.yaml'), path.join(dir, 'baselines', `${GONE}.yaml`)] });
    expect(byId.get(GONE)!.gap!.message).toContain('does not return it at all');

    const alpha = byId.get(org.alpha)!;
    expect(alpha).toMatchObject({ status: 'audited', exitCode: 0, reports: { json: `accounts/${org.alpha}.json`, md: `accounts/${org.alpha}.md` } });
    expect(alpha.baseline).toEqual([path.join(dir, 'baselines', '_defaults.yaml'), path.join(dir, 'baselines', `${org.alpha}.yaml`)]);
    expect(alpha.summary!.fail).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

    const bravo = byId.get(org.bravo)!;
    expect(bravo).toMatchObject({ status: 'audited', exitCode: 1 });
    const bravoReport = loadReport(path.join(dir, 'out', bravo.reports!.json));
    expect(bravoReport.account.id).toBe(org.bravo);
    expect(bravoReport.caller).toContain(`:${org.bravo}:assumed-role/${ROLE}/`);
    expect(bravoReport.violations.filter((v) => v.status === 'fail').map((v) => `${v.ruleId} ${v.subject}`)).toEqual(['iam-user-undeclared user/mallory']);
    // alice lives in alpha only: each account is its own world, reached through its own role.
    expect(loadReport(path.join(dir, 'out', alpha.reports!.json)).inventory.found).toEqual(expect.arrayContaining([{ region: 'global', type: 'iam.user', count: 1 }]));

    expect(byId.get(org.charlie)).toMatchObject({ status: 'gap', exitCode: 4, gap: { reason: 'baseline' } });
    expect(byId.get(MANAGEMENT)).toMatchObject({ status: 'audited' });
    const delta = byId.get(org.delta)!;
    expect(delta).toMatchObject({ status: 'gap', exitCode: 4, gap: { reason: 'role' } });
    expect(delta.gap!.message).toContain(`cannot assume arn:aws:iam::${org.delta}:role/${ROLE} (sts:AssumeRole): AccessDenied`);
    expect(delta.reports).toBeUndefined();

    expect(report.summary).toMatchObject({ accounts: 6, audited: 3, gaps: 3 });
    expect(report.exitCode).toBe(1);

    // Least privilege: the run's own credentials made only the calls `rollcall permissions org` grants, each account's role only audit's.
    const granted = (command: string) => new Set<string>(permissionsPolicy(command).Statement[0]!.Action);
    const own = Object.keys(management.counter.snapshot()).filter((op) => !SEEDING.has(op));
    expect(own.sort()).toEqual(['organizations:DescribeOrganization', 'organizations:ListAccounts', 'sts:AssumeRole', 'sts:GetCallerIdentity']);
    for (const a of report.accounts.filter((x) => x.reports)) {
      const called = Object.keys(loadReport(path.join(dir, 'out', a.reports!.json)).inventory.apiCallsByOperation);
      expect(called.filter((op) => !granted('audit').has(op)), a.id).toEqual([]);
    }
  });

  it('--accounts: only those, and one the organization does not list is a gap', async () => {
    const dir = tempDir('rollcall-org-');
    const report = await runOrgAudit(input(dir, { accounts: [{ id: org.alpha }, { id: org.echo }] }));
    expect(report.accounts.map((a) => [a.id, a.status, a.gap?.reason])).toEqual(
      [
        [org.alpha, 'audited', undefined],
        [org.echo, 'gap', 'not-listed'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(report.exitCode).toBe(4);
  });

  it("each account is evaluated as audit evaluates one: a baseline declaring config.resource without --config is unknown, never a pass; the rules that need a timeline are named as not judged", async () => {
    const dir = tempDir('rollcall-org-');
    const run = input(dir, { accounts: [{ id: org.alpha }] });
    writeFileSync(path.join(dir, 'baselines', `${org.alpha}.yaml`), baselineOf(org.alpha, 'iam:\n  users:\n    - name: alice\nresources:\n  config.resource:\n    - { configType: "AWS::S3::Bucket" }\n'));
    const report = await runOrgAudit(run);
    const alpha = report.accounts[0]!;
    expect(alpha).toMatchObject({ status: 'audited', exitCode: 4 });
    const own = loadReport(path.join(dir, 'out', alpha.reports!.json));
    expect(own.gaps.map((g) => g.code)).toContain('ConfigNotRead');
    const configRules = own.violations.filter((v) => v.ruleId.startsWith('config-resource'));
    expect(configRules.length).toBeGreaterThan(0);
    expect(configRules.every((v) => v.status === 'unknown')).toBe(true);
    expect(own.notes.some((n) => /read the CloudTrail history and were not judged/.test(n) && n.includes('Org mode reads no timeline'))).toBe(true);
  });

  it("--config: each account's own AWS Config recorders are read, through its role", async () => {
    const dir = tempDir('rollcall-org-');
    const report = await runOrgAudit(input(dir, { accounts: [{ id: org.alpha }], config: { kind: 'account' } }));
    const alpha = report.accounts[0]!;
    expect(alpha.status).toBe('audited');
    const called = Object.keys(loadReport(path.join(dir, 'out', alpha.reports!.json)).inventory.apiCallsByOperation);
    expect(called.filter((op) => op.startsWith('config:')).length).toBeGreaterThan(0);
  });

  it('--previous: each account compared with its report in the previous org run; an account new since then has no drift of its own', async () => {
    const dir = tempDir('rollcall-org-');
    const first = await runOrgAudit(input(dir, { outDir: path.join(dir, 'first'), accounts: [{ id: org.alpha }, { id: org.bravo }] }));
    const firstFile = path.join(dir, 'first', 'org-report.json');
    writeChunksAtomic(firstFile, jsonChunks({ ...first }));
    // Overnight: an intruder's user in alpha; bravo's mallory is still there.
    await inAccount(management, org.alpha, (c) => c.iam().send(new CreateUserCommand({ UserName: 'eve' })));
    const previous = loadPrevious(firstFile);
    const second = await runOrgAudit(input(dir, { outDir: path.join(dir, 'second'), accounts: [{ id: org.alpha }, { id: org.bravo }, { id: MANAGEMENT }], previous, failOn: { severity: 'low', onlyNew: true }, failOnText: 'new' }));
    const byId = new Map(second.accounts.map((a) => [a.id, a]));
    expect(byId.get(org.alpha)).toMatchObject({ drift: { new: 1, known: 0, resolved: 0, unverified: 0 }, exitCode: 1 });
    expect(byId.get(org.bravo)).toMatchObject({ drift: { new: 0, known: 1, resolved: 0, unverified: 0 }, exitCode: 0 });
    // Not in the previous run: every finding is new, and there is nothing to compare.
    expect(byId.get(MANAGEMENT)!.drift).toBeUndefined();
    expect(second.previous).toBe(firstFile);
    expect(second.summary.drift).toEqual({ new: 1, known: 1, resolved: 0, unverified: 0 });
    const alpha = loadReport(path.join(dir, 'second', byId.get(org.alpha)!.reports!.json));
    expect(alpha.violations.filter((v) => v.drift === 'new').map((v) => v.subject)).toEqual(['user/eve']);
    expect(second.exitCode).toBe(1);
  });

  it('--previous: an account of the previous org run that the organization no longer lists is a gap; one it lists as closed is a note', async () => {
    const dir = tempDir('rollcall-org-');
    const first = await runOrgAudit(input(dir, { outDir: path.join(dir, 'first'), accounts: [{ id: org.alpha }] }));
    const LEFT = '888888888888';
    const earlier: OrgReport = { ...first, accounts: [...first.accounts, { id: LEFT, status: 'gap', gap: { reason: 'role', message: 'cannot assume' }, exitCode: 4 }, { id: org.echo, status: 'gap', gap: { reason: 'role', message: 'cannot assume' }, exitCode: 4 }] };
    const firstFile = path.join(dir, 'first', 'org-report.json');
    writeChunksAtomic(firstFile, jsonChunks({ ...earlier }));
    const previous = loadPrevious(firstFile);
    const second = await runOrgAudit(input(dir, { outDir: path.join(dir, 'second'), previous }));
    const left = second.accounts.find((a) => a.id === LEFT);
    expect(left).toMatchObject({ status: 'gap', exitCode: 4, gap: { reason: 'not-listed' } });
    expect(left!.gap!.message).toContain(firstFile);
    expect(second.accounts.find((a) => a.id === org.echo)).toBeUndefined();
    // Sharded like any account: in its own shard only.
    for (let index = 1; index <= 2; index++) {
      const shard = await runOrgAudit(input(dir, { outDir: path.join(dir, `shard-${index}`), previous, shard: { index, count: 2 }, rules: [] }));
      expect(shard.accounts.some((a) => a.id === LEFT)).toBe(shardOf(LEFT, 2) === index);
    }
  });

  /**
   * The run's own AWS Config aggregator (moto has no SelectAggregateResourceConfig
   * nor source statuses): aws-sdk-client-mock on the run's Config client, so
   * any call made through a member's role would reach the emulator instead and fail.
   */
  function aggregator(o: { sources: string[]; statuses: AggregatedSourceStatus[]; rows: Record<string, string[]>; failPage?: { account: string; page: number }; unreadable?: boolean }) {
    const m = mockClient(management.config('us-east-1'));
    const previous = restore;
    restore = () => {
      m.restore();
      previous?.();
    };
    m.on(DescribeConfigurationAggregatorsCommand).callsFake(() => {
      if (o.unreadable) throw awsError('AccessDeniedException', 'not authorized to perform config:DescribeConfigurationAggregators', 400);
      return { ConfigurationAggregators: [{ ConfigurationAggregatorName: 'org-agg', AccountAggregationSources: [{ AccountIds: o.sources, AllAwsRegions: true }] }] };
    });
    m.on(DescribeConfigurationAggregatorSourcesStatusCommand).resolves({ AggregatedSourceStatusList: o.statuses });
    const asked: { account: string; nextToken?: string; limit?: number }[] = [];
    m.on(SelectAggregateResourceConfigCommand).callsFake((input: SelectAggregateResourceConfigCommandInput) => {
      const account = /WHERE accountId = '(\d{12})'$/.exec(input.Expression ?? '')![1]!;
      asked.push({ account, ...(input.NextToken ? { nextToken: input.NextToken } : {}), ...(input.Limit !== undefined ? { limit: input.Limit } : {}) });
      const page = input.NextToken ? Number(input.NextToken) : 0;
      if (o.failPage?.account === account && o.failPage.page === page) throw awsError('ThrottlingException', 'Rate exceeded', 400);
      const rows = o.rows[account] ?? [];
      const limit = input.Limit ?? 100;
      return { Results: rows.slice(page * limit, (page + 1) * limit), ...((page + 1) * limit < rows.length ? { NextToken: String(page + 1) } : {}) };
    });
    return { m, asked };
  }

  const configRow = (account: string, type: string, id: string, o: { name?: string; region?: string } = {}) =>
    JSON.stringify({ resourceType: type, resourceId: id, ...(o.name ? { resourceName: o.name } : {}), awsRegion: o.region ?? 'us-east-1', accountId: account, tags: [], configurationItemStatus: 'OK' });
  const buckets = (account: string, n: number) => Array.from({ length: n }, (_, k) => configRow(account, 'AWS::S3::Bucket', `bucket-${account}-${k}`));
  const succeeded = (account: string): AggregatedSourceStatus => ({ SourceId: account, SourceType: 'ACCOUNT', AwsRegion: 'us-east-1', LastUpdateStatus: 'SUCCEEDED' });
  const configGaps = (file: string) => loadReport(file).gaps.filter((g) => g.type === 'config.resource').map((g) => [g.region, g.operation, g.code]);
  const configFound = (file: string) => loadReport(file).inventory.found.filter((f) => f.type === 'config.resource');

  it("--config-aggregator: the run's aggregator read once with its own credentials, each account's resources queried through it 100 a page and joined as audit joins them; an account it has no source for, or whose page fails, is that account's gap only", async () => {
    const dir = tempDir('rollcall-org-');
    // alpha: 150 buckets and its IAM user alice, whom the IAM collector lists too; bravo: 120 rows, its second page fails; the management account is no source.
    const { m, asked } = aggregator({
      sources: [org.alpha, org.bravo],
      statuses: [succeeded(org.alpha), succeeded(org.bravo), succeeded(org.charlie)],
      rows: { [org.alpha]: [...buckets(org.alpha, 150), configRow(org.alpha, 'AWS::IAM::User', 'AIDAALICE', { name: 'alice', region: 'global' })], [org.bravo]: buckets(org.bravo, 120) },
      failPage: { account: org.bravo, page: 1 },
    });
    const report = await runOrgAudit(input(dir, { accounts: [{ id: org.alpha }, { id: org.bravo }, { id: MANAGEMENT }], config: { kind: 'aggregator', name: 'org-agg', trusted: true } }));
    expect(report.accounts.map((a) => [a.id, a.status])).toEqual([MANAGEMENT, org.alpha, org.bravo].sort().map((id) => [id, 'audited']));

    // The calls: 2 coverage reads for the run, then max(1, ceil(N/100)) queries per account: alpha 151 rows (2), bravo 2 (the second fails), the management account 0 rows (1).
    expect(m.commandCalls(DescribeConfigurationAggregatorsCommand)).toHaveLength(1);
    expect(m.commandCalls(DescribeConfigurationAggregatorSourcesStatusCommand)).toHaveLength(1);
    const queries = (account: string) => asked.filter((a) => a.account === account).map((a) => [a.limit, a.nextToken ?? null]);
    expect(queries(org.alpha)).toEqual([[100, null], [100, '1']]);
    expect(queries(org.bravo)).toEqual([[100, null], [100, '1']]);
    expect(queries(MANAGEMENT)).toEqual([[100, null]]);
    expect(asked).toHaveLength(5);

    const out = (id: string) => path.join(dir, 'out', 'accounts', `${id}.json`);
    // alpha: its 150 buckets as config.resource; alice once, as the IAM collector's record (the join drops Config's copy); trusted, no gap.
    expect(configGaps(out(org.alpha))).toEqual([]);
    expect(configFound(out(org.alpha))).toEqual([{ region: 'us-east-1', type: 'config.resource', count: 150 }]);
    expect(loadReport(out(org.alpha)).inventory.found).toEqual(expect.arrayContaining([{ region: 'global', type: 'iam.user', count: 1 }]));
    expect(loadReport(out(org.alpha)).notes.some((n) => n.startsWith('AWS Config was read through the aggregator org-agg, its coverage accepted with --config-aggregator-trusted'))).toBe(true);
    // bravo: the failing page drops its earlier one; a gap everywhere for it, and for it alone.
    expect(configGaps(out(org.bravo))).toEqual([['global', 'config:SelectAggregateResourceConfig', 'ThrottlingException']]);
    expect(configFound(out(org.bravo))).toEqual([]);
    // The management account is no source of the aggregator: its region is a gap, never an empty pass.
    expect(configGaps(out(MANAGEMENT))).toEqual([['us-east-1', 'config:DescribeConfigurationAggregatorSourcesStatus', 'NotAggregated']]);
    expect(report.accounts.find((a) => a.id === MANAGEMENT)!.collectionGaps).toBe(1);
    // No member's role called the aggregator: their calls are the account's own collection.
    for (const id of [org.alpha, org.bravo, MANAGEMENT]) {
      const called = Object.keys(loadReport(out(id)).inventory.apiCallsByOperation);
      expect(called.filter((op) => /Aggregat/.test(op) && op !== 'config:SelectAggregateResourceConfig'), id).toEqual([]);
    }
  });

  it('--config-aggregator: an aggregator the run cannot read is a Config gap for every account, never a crash, and no account is queried', async () => {
    const dir = tempDir('rollcall-org-');
    const { asked } = aggregator({ sources: [org.alpha], statuses: [], rows: {}, unreadable: true });
    const report = await runOrgAudit(input(dir, { accounts: [{ id: org.alpha }, { id: org.bravo }], config: { kind: 'aggregator', name: 'org-agg' } }));
    expect(report.accounts.map((a) => a.status)).toEqual(['audited', 'audited']);
    for (const a of report.accounts) {
      expect(configGaps(path.join(dir, 'out', a.reports!.json))).toEqual([['global', 'config:DescribeConfigurationAggregators', 'AccessDeniedException']]);
    }
    expect(asked).toEqual([]);
  });

  it("--config-aggregator with --shard: each shard reads the aggregator once and queries only its own accounts; report merge still equals the unsharded run", async () => {
    const dir = tempDir('rollcall-org-');
    const accounts = [org.alpha, org.bravo, org.charlie, MANAGEMENT];
    const { m, asked } = aggregator({ sources: accounts, statuses: accounts.map(succeeded), rows: Object.fromEntries(accounts.map((id) => [id, buckets(id, 3)])) });
    const config = { kind: 'aggregator' as const, name: 'org-agg', trusted: true };
    const whole = await runOrgAudit(input(dir, { outDir: path.join(dir, 'whole'), config }));
    const wholeQueries = asked.splice(0).map((a) => a.account);
    m.resetHistory();
    const shardsDir = path.join(dir, 'shards');
    const shards: { file: string; report: OrgReport }[] = [];
    for (let index = 1; index <= 2; index++) {
      const report = await runOrgAudit(input(dir, { shard: { index, count: 2 }, outDir: shardsDir, config }));
      const queried = asked.splice(0).map((a) => a.account);
      expect(queried.every((id) => shardOf(id, 2) === index)).toBe(true);
      const file = path.join(shardsDir, `${orgReportName({ index, count: 2 })}.json`);
      writeChunksAtomic(file, jsonChunks({ ...report }));
      shards.push({ file, report: loadOrgReport(file) });
    }
    // Two coverage reads per shard, once each; every account queried once over the shards, as in the whole run.
    expect(m.commandCalls(DescribeConfigurationAggregatorsCommand)).toHaveLength(2);
    expect(wholeQueries.sort()).toEqual(accounts.filter((id) => whole.accounts.some((a) => a.id === id && a.reports)).sort());
    const merged = mergeShards(shards, shardsDir);
    const undigested = (r: OrgReport) => ({ ...r, accounts: r.accounts.map((a) => (a.reports ? { ...a, reports: { json: a.reports.json, md: a.reports.md } } : a)) });
    expect(undigested(merged)).toEqual(undigested(whole));
  });

  it('the shards are a partition, and report merge of the shards is the unsharded run\'s org report', async () => {
    const dir = tempDir('rollcall-org-');
    const whole = await runOrgAudit(input(dir, { outDir: path.join(dir, 'whole') }));
    const shardsDir = path.join(dir, 'shards');
    const count = 3;
    const shards: { file: string; report: OrgReport }[] = [];
    for (let index = 1; index <= count; index++) {
      const report = await runOrgAudit(input(dir, { shard: { index, count }, outDir: shardsDir }));
      for (const a of report.accounts) expect(shardOf(a.id, count)).toBe(index);
      const file = path.join(shardsDir, `${orgReportName({ index, count })}.json`);
      writeChunksAtomic(file, jsonChunks({ ...report }));
      shards.push({ file, report: loadOrgReport(file) });
    }
    // Every account in exactly one shard.
    const ids = shards.flatMap((s) => s.report.accounts.map((a) => a.id));
    expect(ids.sort()).toEqual(whole.accounts.map((a) => a.id));
    expect(new Set(ids).size).toBe(ids.length);

    const merged = mergeShards(shards, shardsDir);
    // The accounts' reports' digests are each run's own (their API call counts may differ): the rest is the same.
    const undigested = (r: OrgReport) => ({ ...r, accounts: r.accounts.map((a) => (a.reports ? { ...a, reports: { json: a.reports.json, md: a.reports.md } } : a)) });
    expect(undigested(merged)).toEqual(undigested(whole));
    expect(merged.run).toEqual(whole.run);
    // The accounts' own reports find the same in either run (the calls made, and notes on what the run re-checked, may differ).
    for (const a of whole.accounts.filter((x) => x.reports)) {
      const found = (file: string) => {
        const r = loadReport(file);
        return { account: r.account, baseline: r.baseline, summary: r.summary, violations: r.violations, gaps: r.gaps };
      };
      expect(found(path.join(shardsDir, a.reports!.json))).toEqual(found(path.join(dir, 'whole', a.reports!.json)));
    }
  });
  /** Clients acting as one account's role, destroyed after the test. */
  function actingAs(accountId: string): AwsClients {
    const clients = new AwsClients(options, assumedRoleCredentials(management.sts(), { roleArn: roleArnIn('aws', accountId, ROLE), sessionName: 'ci' }));
    const previous = restore;
    restore = () => {
      clients.destroy();
      previous?.();
    };
    return clients;
  }

  /**
   * A delegated administrator lists the organization's accounts as its
   * management account does; moto lists none to a member, so its ListAccounts
   * is the management account's answer (aws-sdk-client-mock). Its
   * DescribeOrganization reaches the emulator as the member.
   */
  function asDelegatedAdministrator(clients: AwsClients): void {
    const own = clients.organizations();
    const send = own.send.bind(own) as (c: unknown) => Promise<unknown>;
    const managementSend = management.organizations().send.bind(management.organizations()) as (c: unknown) => Promise<unknown>;
    const m = mockClient(own);
    m.on(ListAccountsCommand).callsFake((input: ListAccountsCommandInput) => managementSend(new ListAccountsCommand(input)));
    m.on(DescribeOrganizationCommand).callsFake(() => send(new DescribeOrganizationCommand({})));
    const previous = restore;
    restore = () => {
      m.restore();
      previous?.();
    };
  }

  async function shardReport(dir: string, index: number, extra: Partial<OrgRunInput>): Promise<{ file: string; report: OrgReport }> {
    const shardsDir = path.join(dir, 'shards');
    mkdirSync(path.join(shardsDir, 'accounts'), { recursive: true });
    const report = await runOrgAudit(input(dir, { shard: { index, count: 2 }, outDir: shardsDir, rules: [], ...extra }));
    const file = path.join(shardsDir, `${orgReportName({ index, count: 2 })}.json`);
    writeChunksAtomic(file, jsonChunks({ ...report }));
    return { file, report: loadOrgReport(file) };
  }

  it("--org: the run's fingerprint is the organization's, so shards run as different accounts of one organization merge; a shard of another organization is refused", async () => {
    const dir = tempDir('rollcall-org-');
    const id = (await management.organizations().send(new DescribeOrganizationCommand({}))).Organization!.Id!;
    // moto gives accounts random ids: the delegated administrator runs the shard that holds alpha, so it audits at least one account.
    const delegatedShard = shardOf(org.alpha, 2);
    const first = await shardReport(dir, 3 - delegatedShard, {});
    expect(first.report.run!.fingerprint).toBe(runStamp({ organization: id, regions: ['us-east-1'], ruleIds: [] }).fingerprint);

    // The other shard as another account of the organization (a delegated administrator): the same run.
    const delegated = actingAs(org.alpha);
    asDelegatedAdministrator(delegated);
    const second = await shardReport(dir, delegatedShard, { management: delegated });
    expect(second.report.run).toEqual(first.report.run);
    expect(second.report.accounts.length).toBeGreaterThan(0);
    expect(mergeShards([first, second], path.join(dir, 'shards')).run).toEqual(first.report.run);

    // Shard 2 as the management account of another organization: another run, refused.
    const stranger = actingAs('222222222222');
    await stranger.organizations().send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const other = await shardReport(path.join(dir, 'other'), 2, { management: stranger });
    expect(other.report.run!.fingerprint).not.toBe(first.report.run!.fingerprint);
    let refused: unknown;
    try {
      mergeShards([first, other], path.join(dir, 'shards'));
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).problems.map((p) => p.path)).toContain('/run/fingerprint');
  });

  it("--org: an organization the run cannot describe leaves the caller's account in the fingerprint, and says so; --accounts alone: the accounts named, whoever the caller", async () => {
    const dir = tempDir('rollcall-org-');
    const organizations = management.organizations();
    const send = organizations.send.bind(organizations) as (c: unknown) => Promise<unknown>;
    const m = mockClient(organizations);
    m.on(ListAccountsCommand).callsFake((input: ListAccountsCommandInput) => send(new ListAccountsCommand(input)));
    m.on(DescribeOrganizationCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform organizations:DescribeOrganization', 400));
    const logged: string[] = [];
    const denied = await runOrgAudit(input(dir, { outDir: path.join(dir, 'denied'), rules: [], log: (line) => logged.push(line) }));
    m.restore();
    expect(denied.run!.fingerprint).toBe(runStamp({ caller: MANAGEMENT, regions: ['us-east-1'], ruleIds: [] }).fingerprint);
    expect(logged.join('\n')).toContain(`the run's fingerprint names the caller's account ${MANAGEMENT} instead`);

    const accounts = [{ id: org.alpha }, { id: org.bravo }];
    const asManagement = await runOrgAudit(input(dir, { outDir: path.join(dir, 'm'), org: false, accounts, rules: [] }));
    const asMember = await runOrgAudit(input(dir, { outDir: path.join(dir, 'a'), org: false, accounts, rules: [], management: actingAs(org.charlie) }));
    expect(asMember.run).toEqual(asManagement.run);
    expect(asManagement.run!.fingerprint).toBe(runStamp({ regions: ['us-east-1'], ruleIds: [], accounts: [org.alpha, org.bravo] }).fingerprint);
  });
});
