/**
 * CloudTrail against the emulator: the collector reads trails homed in two
 * regions (one of them multi-region) at the floor of calls, reads a
 * multi-region trail homed in a region the scan leaves out, and turns a
 * CloudTrail that cannot be read into gaps that make the rules unknown. Then
 * the loop: an intruder's StopLogging during the incident is found by the
 * built-in rules, the plan restarts logging first, apply restarts it, a new
 * audit is clean, and undo stops it again.
 *
 * moto differs from AWS here: a new trail has no event selectors (AWS gives
 * it one that records every management event), so the tests put theirs; and
 * ListTrails answers the trails of the region asked plus the multi-region
 * trails of the others, where AWS lists every trail of the account (the
 * mocked tests in test/unit/collect/cloudtrail.test.ts show that path).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudTrailClient, CreateTrailCommand, GetTrailStatusCommand, PutEventSelectorsCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { executor as startTrailLogging } from '../../src/apply/executors/startTrailLogging.js';
import { undoJournal } from '../../src/apply/undo.js';
import { DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/collect/collect.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../src/load/rules.js';
import type { Baseline } from '../../src/model/baseline.js';
import type { Inventory } from '../../src/model/inventory.js';
import { makePlan } from '../../src/plan/planner.js';
import { freePort } from '../../scripts/moto.mjs';
import { emulatorEndpoint, resetEmulator } from '../helpers/emulator.js';
import { CountingClients } from '../helpers/requests.js';
import { ACCOUNT } from '../helpers/resources.js';

const RULES = loadRules([builtinRulesDir()]);
const arnOf = (region: string, name: string) => `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;

/**
 * A bucket in the emulator: the project has no S3 client, and moto's S3
 * takes a path-style PUT whose Authorization header names the service (it
 * checks no signature).
 */
async function createBucket(name: string): Promise<void> {
  const auth = `AWS4-HMAC-SHA256 Credential=${process.env.AWS_ACCESS_KEY_ID}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0`;
  const res = await fetch(`${emulatorEndpoint()}/${name}`, { method: 'PUT', headers: { Authorization: auth } });
  if (!res.ok) throw new Error(`the emulator did not create bucket ${name}: ${res.status}`);
}

const ctClients: CloudTrailClient[] = [];
const ct = (region: string) => {
  const c = new CloudTrailClient({ region });
  ctClients.push(c);
  return c;
};

/** A trail that logs, with a selector for every management event, read and write (moto gives a new trail none). */
async function trail(region: string, name: string, multiRegion: boolean): Promise<void> {
  await createBucket(`${name}-logs`);
  const c = ct(region);
  await c.send(new CreateTrailCommand({ Name: name, S3BucketName: `${name}-logs`, IsMultiRegionTrail: multiRegion, EnableLogFileValidation: true }));
  await c.send(new PutEventSelectorsCommand({ TrailName: name, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }));
  await c.send(new StartLoggingCommand({ Name: name }));
}

let clients: CountingClients | undefined;
let dir: string;
beforeEach(async () => {
  await resetEmulator();
  dir = mkdtempSync(path.join(tmpdir(), 'rollcall-cloudtrail-'));
});
afterEach(() => {
  clients?.destroy();
  clients = undefined;
  for (const c of ctClients.splice(0)) c.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function collect(regions: string[], endpoints: Record<string, string> = {}): Promise<Inventory> {
  clients?.destroy();
  clients = new CountingClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1', endpoints, maxAttempts: 2 });
  return collectInventory(clients, { now: new Date(), regions });
}

const trailsOf = (inv: Inventory) => inv.resources.filter((r) => r.type === 'cloudtrail.trail');
const cloudtrailCalls = () => Object.fromEntries(Object.entries(clients!.requests.snapshot()).filter(([op]) => op.startsWith('cloudtrail:')));

describe('CloudTrail collector (emulator)', () => {
  it('reads the trails homed in two regions, one multi-region, at 1 ListTrails + 1 DescribeTrails per home region + 2 calls per trail', async () => {
    await trail('eu-west-1', 'org-main', true);
    await trail('us-east-1', 'local', false);
    await ct('us-east-1').send(new StopLoggingCommand({ Name: 'local' }));

    const inv = await collect(['us-east-1', 'eu-west-1']);
    expect(inv.gaps).toEqual([]);
    const trails = trailsOf(inv);
    expect(trails.map((t) => [t.region, t.id, t.arn, t.props.multiRegion, t.props.logging])).toEqual([
      ['eu-west-1', 'org-main', arnOf('eu-west-1', 'org-main'), true, true],
      ['us-east-1', 'local', arnOf('us-east-1', 'local'), false, false],
    ]);
    expect(trails[0]!.props).toMatchObject({
      homeRegion: 'eu-west-1',
      s3Bucket: 'org-main-logs',
      logFileValidation: true,
      managementEventsRead: true,
      managementEventsWrite: true,
      advancedEventSelectors: false,
      organizationTrail: false,
      ownerAccountId: ACCOUNT,
      stopLoggingTime: null,
    });
    expect(trails[0]!.props.startLoggingTime).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(trails[1]!.props.stopLoggingTime).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(inv.resources.find((r) => r.type === 'account.cloudtrail')?.props).toEqual({
      trails: 2,
      multiRegionTrails: [arnOf('eu-west-1', 'org-main')],
      loggingMultiRegionTrails: [arnOf('eu-west-1', 'org-main')],
    });
    expect(cloudtrailCalls()).toEqual({ 'cloudtrail:ListTrails': 1, 'cloudtrail:DescribeTrails': 2, 'cloudtrail:GetTrailStatus': 2, 'cloudtrail:GetEventSelectors': 2 });
    // Each trail is read in its home region.
    expect(clients!.requestsIn('eu-west-1')).toMatchObject({ 'cloudtrail:DescribeTrails': 1, 'cloudtrail:GetTrailStatus': 1, 'cloudtrail:GetEventSelectors': 1 });
  });

  it('reads a multi-region trail homed in a region the scan leaves out', async () => {
    await trail('eu-west-1', 'org-main', true);
    const inv = await collect(['us-east-1']);
    expect(inv.gaps).toEqual([]);
    expect(trailsOf(inv).map((t) => `${t.region} ${t.id}`)).toEqual(['eu-west-1 org-main']);
    expect(inv.resources.find((r) => r.type === 'account.cloudtrail')?.props.loggingMultiRegionTrails).toEqual([arnOf('eu-west-1', 'org-main')]);
  });

  it('CloudTrail unreadable: gaps, no summary, and the rules on trails and on the account are unknown, never a pass', async () => {
    await trail('us-east-1', 'local', false);
    const refused = `http://127.0.0.1:${await freePort()}`;
    const inv = await collect(['us-east-1'], { 'cloudtrail@us-east-1': refused });
    expect(inv.gaps.map((g) => `${g.type} ${g.region} ${g.operation} ${g.code}`)).toEqual([
      'cloudtrail.trail global cloudtrail:ListTrails connection refused',
      'account.cloudtrail global cloudtrail:ListTrails connection refused',
    ]);
    expect(inv.resources.filter((r) => r.type === 'cloudtrail.trail' || r.type === 'account.cloudtrail')).toEqual([]);

    const baseline: Baseline = { version: 1, account: { id: ACCOUNT }, cloudtrail: { multiRegionLogging: 'required' }, incident: { since: '2026-01-01T00:00:00Z' } };
    const { violations } = evaluate({ inventory: inv, baseline, rules: RULES, now: new Date() });
    const ct = violations.filter((v) => v.ruleId.startsWith('cloudtrail-'));
    expect(ct.map((v) => `${v.ruleId} ${v.status} ${v.subject}`).sort()).toEqual([
      'cloudtrail-logging-stopped-during-incident unknown trail/*',
      'cloudtrail-multi-region-logging-missing unknown cloudtrail/*',
      'cloudtrail-trail-not-logging unknown trail/*',
      'cloudtrail-trail-undeclared unknown trail/*',
    ]);
  });

  it("a home region's reads failing leave a gap for that region's trails and for the summary; the other region's trails stand", async () => {
    await trail('eu-west-1', 'org-main', true);
    await trail('us-east-1', 'local', false);
    const refused = `http://127.0.0.1:${await freePort()}`;
    const inv = await collect(['us-east-1', 'eu-west-1'], { 'cloudtrail@eu-west-1': refused });
    expect(inv.gaps.map((g) => `${g.type} ${g.region} ${g.operation} ${g.code}`)).toEqual([
      'cloudtrail.trail eu-west-1 cloudtrail:DescribeTrails connection refused',
      'account.cloudtrail global cloudtrail:DescribeTrails connection refused',
    ]);
    expect(trailsOf(inv).map((t) => `${t.region} ${t.id}`)).toEqual(['us-east-1 local']);
    expect(inv.resources.some((r) => r.type === 'account.cloudtrail')).toBe(false);
  });
});

describe('startTrailLogging: an intruder stopped the trail during the incident (emulator, real collector, rules, planner, apply and undo)', () => {
  const baseline: Baseline = {
    version: 1,
    account: { id: ACCOUNT },
    cloudtrail: { multiRegionLogging: 'required' },
    resources: { 'cloudtrail.trail': [{ name: 'org-main', region: 'us-east-1' }] },
    // A day back: moto's stop time is whole seconds, and the window must hold it whatever the clock.
    incident: { since: new Date(Date.now() - 86_400_000).toISOString() },
  };
  const isLogging = async () => (await ct('us-east-1').send(new GetTrailStatusCommand({ Name: 'org-main' }))).IsLogging;

  async function audit() {
    const now = new Date();
    const inventory = await collect(['us-east-1']);
    expect(inventory.gaps).toEqual([]);
    const { violations } = evaluate({ inventory, baseline, rules: RULES, now });
    return { inventory, violations, now };
  }

  it('audit finds it, the plan restarts logging first, apply restarts it, a new audit is clean, undo stops it again', async () => {
    await trail('us-east-1', 'org-main', true);
    await ct('us-east-1').send(new StopLoggingCommand({ Name: 'org-main' }));

    const { inventory, violations, now } = await audit();
    const found = violations.filter((v) => v.ruleId.startsWith('cloudtrail-')).map((v) => `${v.ruleId} ${v.status} ${v.subject}`);
    expect(found.sort()).toEqual([
      'cloudtrail-logging-stopped-during-incident fail trail/us-east-1/org-main',
      'cloudtrail-multi-region-logging-missing fail cloudtrail/account',
      'cloudtrail-trail-not-logging fail trail/us-east-1/org-main',
    ]);

    const { plan } = makePlan({ inventory, baseline, violations, now, version: '0.0.0-test', destructive: false });
    const start = plan.steps.find((s) => s.action === 'startTrailLogging')!;
    expect(start).toMatchObject({ id: 'startTrailLogging trail/us-east-1/org-main', reversible: true, target: { arn: arnOf('us-east-1', 'org-main'), region: 'us-east-1' } });
    expect(start.precondition).toEqual({ exists: true, props: { multiRegion: true, s3Bucket: 'org-main-logs', logging: false } });
    expect(plan.steps[0]!.id).toBe(start.id);
    expect(plan.steps.filter((s) => s.action === 'startTrailLogging')).toHaveLength(1);

    // What apply re-reads is what the collector read: the same mapping, props equal.
    const collected = inventory.resources.find((r) => r.type === 'cloudtrail.trail' && r.id === 'org-main')!;
    const observed = await startTrailLogging.observe(start, { clients: clients!, accountId: ACCOUNT, now, secretsDir: dir, log: () => {}, intend: () => {} });
    expect(observed).toEqual({ exists: true, props: collected.props });

    const only = { ...plan, steps: [{ ...start, dependsOn: [] }] };
    const applied = await applyPlan(only, { clients: clients!, planFile: path.join(dir, 'plan.json'), secretsDir: path.join(dir, 'secrets'), out: () => {}, log: () => {} });
    expect(applied.steps.map((s) => [s.id, s.status])).toEqual([[start.id, 'done']]);
    expect(await isLogging()).toBe(true);

    const again = await audit();
    expect(again.violations.filter((v) => v.ruleId.startsWith('cloudtrail-') && v.ruleId !== 'cloudtrail-trail-undeclared')).toEqual([]);

    const undone = await undoJournal({ clients: clients!, journalFile: applied.journalFile });
    expect(undone.exitCode).toBe(0);
    expect(undone.steps.map((s) => [s.id, s.status])).toEqual([[start.id, 'undone']]);
    expect(await isLogging()).toBe(false);
  });

  it('a trail found logging at apply time is left alone, and there is nothing to undo', async () => {
    await trail('us-east-1', 'org-main', true);
    await ct('us-east-1').send(new StopLoggingCommand({ Name: 'org-main' }));
    const { inventory, violations, now } = await audit();
    const { plan } = makePlan({ inventory, baseline, violations, now, version: '0.0.0-test', destructive: false });
    const start = plan.steps.find((s) => s.action === 'startTrailLogging')!;
    await ct('us-east-1').send(new StartLoggingCommand({ Name: 'org-main' }));

    const applied = await applyPlan({ ...plan, steps: [{ ...start, dependsOn: [] }] }, { clients: clients!, planFile: path.join(dir, 'plan.json'), secretsDir: path.join(dir, 'secrets'), out: () => {}, log: () => {} });
    expect(applied.steps.map((s) => s.status)).toEqual(['already']);
    const undone = await undoJournal({ clients: clients!, journalFile: applied.journalFile });
    expect(undone.steps.filter((s) => s.status === 'undone')).toEqual([]);
    expect(await isLogging()).toBe(true);
  });
});
