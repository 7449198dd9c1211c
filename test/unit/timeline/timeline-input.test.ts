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
import { joinTimeline, liveWindow, readTimelineFile, readTimelineLive } from '../../../src/commands/timeline-input.js';
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
