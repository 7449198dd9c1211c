/**
 * `--timeline` as audit and plan read it: live over the audited regions
 * (LookupEvents on mocks: the emulator lacks it), a region that fails being
 * blind, not passed; a file written before events said what they name is
 * joined to nothing and makes every history rule unknown.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { joinTimeline, liveWindow, readTimelineFile, rulesJudged, unattributedRulesNote } from '../../../src/commands/timeline-input.js';
import { readTimelineLive } from '../../../src/commands/timeline-live.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import { InputError } from '../../../src/errors.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import type { TimelineClients } from '../../../src/timeline/timeline.js';
import { ctRecord, type RecordSpec } from '../../helpers/cloudtrail-records.js';
import { awsError } from '../../helpers/regional.js';
import { ACCOUNT, NOW, baseline, instance, inventory, role } from '../../helpers/resources.js';
import { tempDir } from '../../helpers/temp.js';

const EXPOSED = 'AKIAEXPOSED000000001';
const b = baseline({ incident: { exposedKeys: [EXPOSED], since: '2026-11-22T00:00:00Z' } });
const roleArn = `arn:aws:iam::${ACCOUNT}:role/escalate`;
const RECORDS: Record<string, RecordSpec[]> = {
  'us-east-1': [
    { time: '2026-11-22T09:00:00Z', source: 'iam.amazonaws.com', name: 'CreateRole', user: 'ci', keyId: EXPOSED, request: { roleName: 'escalate' }, response: { role: { arn: roleArn } } },
    { time: '2026-11-22T09:05:00Z', source: 'sts.amazonaws.com', name: 'AssumeRole', user: 'ci', keyId: EXPOSED, readOnly: true, request: { roleArn, roleSessionName: 'x' }, response: { credentials: { accessKeyId: 'ASIAROLE000000000001', expiration: '2026-11-22T21:05:00Z' } } },
  ],
  'eu-west-1': [{ time: '2026-11-22T09:10:00Z', region: 'eu-west-1', source: 'ec2.amazonaws.com', name: 'RunInstances', user: 'ci', keyId: EXPOSED, response: { instancesSet: { items: [{ instanceId: 'i-west' }] } } }],
};

const made: CloudTrailClient[] = [];
beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  for (const c of made.splice(0)) c.destroy();
});

/** Clients whose LookupEvents answers each region's records in the series that holds them; `failing` regions refuse. */
function clients(failing: string[] = []): TimelineClients {
  const byRegion = new Map<string, CloudTrailClient>();
  return {
    cloudtrail(region) {
      let c = byRegion.get(region);
      if (c) return c;
      c = new CloudTrailClient({ region });
      made.push(c);
      mockClient(c)
        .on(LookupEventsCommand)
        .callsFake((input: LookupEventsCommandInput) => {
          if (failing.includes(region)) throw awsError('AccessDeniedException', 'not allowed');
          const a = input.LookupAttributes![0]!;
          const hits = (RECORDS[region] ?? []).filter((r) => (a.AttributeKey === 'ReadOnly' ? !r.readOnly : a.AttributeValue === r.name));
          return { Events: hits.map((r) => ({ CloudTrailEvent: JSON.stringify(ctRecord(r)) })) };
        });
      byRegion.set(region, c);
      return c;
    },
    ec2: () => {
      throw new Error('not used');
    },
    s3: () => {
      throw new Error('not used');
    },
    options: { region: 'us-east-1' },
    counter: { snapshot: () => ({}) },
  };
}

const resources = [role('escalate', ['*']), instance('i-west', 'eu-west-1')];
const inv = { ...inventory(resources), regions: ['global', 'us-east-1', 'eu-west-1'] };
const rules = loadRules([builtinRulesDir()]).filter((r) => r.id === 'iam-role-attacker-session-active');

async function live(failing: string[] = []) {
  const logged: string[] = [];
  const reading = readTimelineLive(clients(failing), ACCOUNT, inv.regions, liveWindow(b, 'b.yaml', NOW), NOW, (m) => logged.push(m));
  await vi.runAllTimersAsync();
  return { read: await reading, logged };
}

describe('--timeline live', () => {
  it('reads the incident window over the audited regions, and the history rules judge it', async () => {
    const { read } = await live();
    expect(read.window).toEqual({ since: '2026-11-22T00:00:00.000Z', until: NOW.toISOString() });
    expect(read.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(read.events.map((e) => e.name).sort()).toEqual(['AssumeRole', 'CreateRole', 'RunInstances']);
    const history = joinTimeline(read, inv, b, NOW);
    expect(history.notes[0]).toBe('CloudTrail timeline CloudTrail (LookupEvents): 3 events from 2026-11-22T00:00:00.000Z to 2026-11-22T12:00:00.000Z, 3 of them traced to the exposed keys.');
    const { violations } = evaluate({ inventory: inv, baseline: b, rules, now: NOW, history });
    expect(violations.map((v) => [v.status, v.subject])).toEqual([['fail', 'role/escalate']]);
  });

  it('a region LookupEvents refuses is a gap: the IAM history rules are unknown, never passed', async () => {
    const { read } = await live(['eu-west-1']);
    expect(read.gaps.length).toBeGreaterThan(0);
    expect(read.gaps.every((g) => g.region === 'eu-west-1' && g.operation.startsWith('cloudtrail:LookupEvents'))).toBe(true);
    const history = joinTimeline(read, inv, b, NOW);
    const { violations } = evaluate({ inventory: inv, baseline: b, rules, now: NOW, history });
    expect(violations.map((v) => [v.status, v.subject])).toEqual([['unknown', 'role/*']]);
    expect(violations[0]!.message).toMatch(/^Cannot evaluate: the CloudTrail timeline is incomplete \(cloudtrail:LookupEvents .*AccessDeniedException.* in eu-west-1\)$/);
  });

  it('needs incident.since: an input error naming the baseline', () => {
    const e = (() => {
      try {
        liveWindow(baseline(), 'b.yaml', NOW);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).problems[0]).toMatchObject({ file: 'b.yaml', path: '/incident' });
    // a closed incident ends the window at its end
    expect(liveWindow(baseline({ incident: { since: '2026-11-01T00:00:00Z', until: '2026-11-05T00:00:00Z' } }), 'b.yaml', NOW).until.toISOString()).toBe('2026-11-05T00:00:00.000Z');
  });
});

describe('--timeline FILE', () => {
  it('a file written before events said what they name joins nothing and makes the history rules unknown everywhere', () => {
    vi.useRealTimers();
    const file = path.join(tempDir(), 'old.json');
    const event = { time: '2026-11-22T09:05:00.000Z', region: 'us-east-1', source: 'sts.amazonaws.com', name: 'AssumeRole', category: 'credentials', actor: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ci`, accessKeyId: EXPOSED }, targets: [roleArn] };
    const actor = { key: `arn:aws:iam::${ACCOUNT}:user/ci`, type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ci`, accessKeyIds: [EXPOSED], events: [event] };
    writeFileSync(file, JSON.stringify({ format: 1, accountId: ACCOUNT, window: { since: '2026-11-22T00:00:00.000Z', until: NOW.toISOString() }, source: { kind: 'lookup', lookupCalls: 6 }, regions: ['us-east-1', 'eu-west-1'], records: 1, events: 1, complete: true, gaps: [], notes: [], actors: [actor] }));
    const read = readTimelineFile(file, b, 'b.yaml');
    expect(read.withoutSubjects).toBe(true);
    const history = joinTimeline(read, inv, b, NOW);
    const { violations } = evaluate({ inventory: inv, baseline: b, rules, now: NOW, history });
    expect(violations.map((v) => [v.status, v.subject])).toEqual([['unknown', 'role/*']]);
    expect(violations[0]!.message).toContain('written by an earlier rollcall');
  });
});

describe('--timeline live with --regions that leave out where IAM records its events', () => {
  it("reads the partition's IAM region too, so IAM's history is not blind", async () => {
    const narrowed = { ...inv, regions: ['global', 'eu-west-1'] };
    const reading = readTimelineLive(clients(), ACCOUNT, narrowed.regions, liveWindow(b, 'b.yaml', NOW), NOW, () => {});
    await vi.runAllTimersAsync();
    const read = await reading;
    expect(read.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(read.events.map((e) => e.name).sort()).toEqual(['AssumeRole', 'CreateRole', 'RunInstances']);
    const history = joinTimeline(read, narrowed, b, NOW);
    expect(history.blind.global).toBeUndefined();
    expect(evaluate({ inventory: narrowed, baseline: b, rules, now: NOW, history }).violations.map((v) => [v.status, v.subject])).toEqual([['fail', 'role/escalate']]);
  });

  it("an inventory of another partition is judged against that partition's IAM region", () => {
    const cn = { ...inv, caller: { ...inv.caller, arn: `arn:aws-cn:iam::${ACCOUNT}:user/auditor` }, regions: ['global', 'cn-north-1'] };
    const read = { events: [], window: { since: '2026-11-22T00:00:00.000Z', until: NOW.toISOString() }, gaps: [], withoutSubjects: false, source: 'x', sourceKind: 'lookup' as const, seeds: [] };
    expect(joinTimeline({ ...read, regions: ['cn-north-1'] }, cn, b, NOW).blind.global).toBeUndefined();
    expect(joinTimeline({ ...read, regions: ['us-east-1', 'cn-northwest-1'] }, { ...cn, regions: ['global', 'cn-northwest-1'] }, b, NOW).blind.global).toEqual(["IAM's events are recorded in cn-north-1, which the timeline did not read"]);
  });
});

describe('a timeline file', () => {
  beforeEach(() => vi.useRealTimers());

  function write(o: { source?: object; until?: string; regions?: string[]; provenance?: object; events?: object[] }) {
    const file = path.join(tempDir(), 't.json');
    const events = o.events ?? [];
    const actor = { key: `arn:aws:iam::${ACCOUNT}:user/ci`, type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ci`, accessKeyIds: [EXPOSED], events };
    writeFileSync(
      file,
      JSON.stringify({
        format: 1, accountId: ACCOUNT, window: { since: '2026-11-22T00:00:00.000Z', until: o.until ?? NOW.toISOString() }, source: o.source ?? { kind: 'lookup', lookupCalls: 6 },
        regions: o.regions ?? ['us-east-1', 'eu-west-1'], records: events.length, events: events.length, complete: true, gaps: [], notes: [], actors: events.length > 0 ? [actor] : [],
        ...(o.provenance ? { provenance: o.provenance } : {}),
      }),
    );
    return file;
  }
  const assumed = {
    time: '2026-11-22T09:05:00.000Z', region: 'us-east-1', source: 'sts.amazonaws.com', name: 'AssumeRole', category: 'credentials',
    actor: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ci`, accessKeyId: EXPOSED }, targets: [roleArn], subjects: [{ kind: 'role', id: roleArn }],
    issued: { kind: 'session', accessKeyId: 'ASIAROLE000000000001', expiration: '2026-11-22T21:05:00Z' },
  };

  it('written with --regions that leave out us-east-1 is blind for IAM', () => {
    // audit --regions eu-west-1 with a file written by rollcall timeline --regions eu-west-1: every region audited was read
    const narrowed = { ...inv, regions: ['global', 'eu-west-1'] };
    const read = readTimelineFile(write({ regions: ['eu-west-1'] }), b, 'b.yaml');
    const { violations } = evaluate({ inventory: narrowed, baseline: b, rules, now: NOW, history: joinTimeline(read, narrowed, b, NOW) });
    expect(violations.map((v) => [v.status, v.subject])).toEqual([['unknown', 'role/*']]);
  });

  it("from a trail's bucket says so, so a stopped trail's silence is blindness", () => {
    const stop = { time: '2026-11-22T08:00:00.000Z', region: 'us-east-1', source: 'cloudtrail.amazonaws.com', name: 'StopLogging', category: 'defence-evasion', actor: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ci`, accessKeyId: EXPOSED }, targets: ['main'], subjects: [{ kind: 'trail', id: 'main' }] };
    const read = readTimelineFile(write({ source: { kind: 'trail-bucket', bucket: 'logs', prefix: '' }, events: [stop] }), b, 'b.yaml');
    expect(read.sourceKind).toBe('trail-bucket');
    expect(joinTimeline(read, inv, b, NOW).blind.everywhere).toMatch(/^trail main stopped logging at 2026-11-22T08:00:00.000Z/);
  });

  it('ending days before the inventory on an open incident is blind everywhere', () => {
    const read = readTimelineFile(write({ until: '2026-11-19T12:00:00.000Z' }), b, 'b.yaml');
    const history = joinTimeline(read, inv, b, NOW);
    expect(history.blind.everywhere).toMatch(/run rollcall timeline again, or use --timeline live$/);
  });

  it('without exposed keys to follow, the rules that read who the attacker is are not judged, with a note; the trail rule is', () => {
    const all = loadRules([builtinRulesDir()]);
    const noKeys = baseline({ incident: { since: '2026-11-22T00:00:00Z' } });
    const read = readTimelineFile(write({ events: [assumed] }), noKeys, 'b.yaml');
    const history = joinTimeline(read, inv, noKeys, NOW);
    expect(history.unattributed).toMatch(/incident\.exposedKeys/);
    const judged = rulesJudged(all, history).map((r) => r.id);
    for (const id of ['iam-role-attacker-session-active', 'iam-user-attacker-session-active', 'root-attacker-session-active', 'iam-declared-changed-by-attacker', 'iam-declared-role-changed-by-attacker']) expect(judged).not.toContain(id);
    expect(judged).toContain('cloudtrail-trail-selectors-changed-during-incident');
    const note = unattributedRulesNote(all, history)!;
    expect(note).toContain('incident.exposedKeys');
    expect(note).toContain('--key');
    expect(note).toContain('iam-role-attacker-session-active');
    expect(note).not.toContain('cloudtrail-trail-selectors-changed-during-incident');
    // with the keys, every rule is judged and no note is made
    const withKeys = joinTimeline(readTimelineFile(write({ events: [assumed] }), b, 'b.yaml'), inv, b, NOW);
    expect(rulesJudged(all, withKeys)).toHaveLength(all.length);
    expect(unattributedRulesNote(all, withKeys)).toBeUndefined();
  });

  it('written with --key follows those keys again, even when the baseline names none', () => {
    const noKeys = baseline({ incident: { since: '2026-11-22T00:00:00Z' } });
    const provenance = { seeds: [EXPOSED], unseenSeeds: [], events: 1, footholds: [], sessions: [] };
    const history = joinTimeline(readTimelineFile(write({ events: [assumed], provenance }), noKeys, 'b.yaml'), inv, noKeys, NOW);
    expect(history.unattributed).toBeUndefined();
    const { violations } = evaluate({ inventory: inv, baseline: noKeys, rules, now: NOW, history });
    expect(violations.map((v) => [v.status, v.subject])).toEqual([['fail', 'role/escalate']]);
  });
});
