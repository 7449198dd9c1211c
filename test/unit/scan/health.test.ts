import { DescribeAffectedEntitiesCommand, DescribeEventsCommand, HealthClient } from '@aws-sdk/client-health';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { Findings } from '../../../src/scan/findings.js';
import { EXPOSED_EVENT_TYPE, readExposedKeyEvents } from '../../../src/scan/health.js';
import { fakeKeyId } from '../../helpers/fake-keys.js';

// The emulator has no AWS Health: its answers are mocked.
const health = mockClient(HealthClient);
afterEach(() => health.reset());

const arn = (i: number) => `arn:aws:health:global::event/SECURITY/AWS_RISK_CREDENTIALS_EXPOSED/AWS_RISK_CREDENTIALS_EXPOSED_${i}`;

describe('AWS Health exposed-key events', () => {
  it('pages the events, asks for their entities 10 event ARNs at a time (paged too), and keeps the entities that are key ids', async () => {
    const keys = Array.from({ length: 12 }, () => fakeKeyId());
    health
      .on(DescribeEventsCommand)
      .resolvesOnce({ events: Array.from({ length: 11 }, (_, i) => ({ arn: arn(i), startTime: new Date(Date.UTC(2026, 10, 1 + i)) })), nextToken: 'p2' })
      .resolvesOnce({ events: [{ arn: arn(11), startTime: new Date(Date.UTC(2026, 10, 20)) }] });
    health.on(DescribeAffectedEntitiesCommand).callsFake((input: { filter: { eventArns: string[] }; nextToken?: string }) => {
      const arns = input.filter.eventArns;
      expect(arns.length).toBeLessThanOrEqual(10);
      // The first event's page has a second page with a value that is not a key id.
      if (arns.includes(arn(0)) && !input.nextToken) return { entities: arns.slice(0, 5).map((a) => ({ eventArn: a, entityValue: keys[Number(a.split('_').pop())] })), nextToken: 'e2' };
      if (arns.includes(arn(0))) return { entities: [...arns.slice(5).map((a) => ({ eventArn: a, entityValue: keys[Number(a.split('_').pop())] })), { eventArn: arn(0), entityValue: 'UNKNOWN' }] };
      return { entities: arns.map((a) => ({ eventArn: a, entityValue: keys[Number(a.split('_').pop())] })) };
    });

    const read = await readExposedKeyEvents(new HealthClient({ region: 'us-east-1' }));
    expect(read.note).toBeUndefined();
    expect(read.reports.map((r) => r.keyId).sort()).toEqual([...keys].sort());
    expect(read.reports.find((r) => r.eventArn === arn(11))).toEqual({ keyId: keys[11], eventArn: arn(11), startTime: '2026-11-20T00:00:00.000Z' });
    expect(health.commandCalls(DescribeEventsCommand)[0]!.args[0].input).toMatchObject({ filter: { eventTypeCodes: [EXPOSED_EVENT_TYPE] } });
    expect(health.commandCalls(DescribeEventsCommand)[1]!.args[0].input).toMatchObject({ nextToken: 'p2' });
    expect(health.commandCalls(DescribeAffectedEntitiesCommand)).toHaveLength(3);
  });

  it('no support plan (SubscriptionRequiredException), or another failure: no keys and a note, never a crash or a secret', async () => {
    health.on(DescribeEventsCommand).rejects(Object.assign(new Error('AWS Premium Support Subscription is required to use this service.'), { name: 'SubscriptionRequiredException' }));
    const none = await readExposedKeyEvents(new HealthClient({ region: 'us-east-1' }));
    expect(none).toEqual({ reports: [], note: expect.stringContaining('needs a Business, Enterprise On-Ramp or Enterprise support plan') });

    health.reset();
    const secret = `Ab1${'x'.repeat(37)}`;
    health.on(DescribeEventsCommand).rejects(Object.assign(new Error(`denied for key=${secret}`), { name: 'AccessDeniedException' }));
    const denied = await readExposedKeyEvents(new HealthClient({ region: 'us-east-1' }));
    expect(denied.reports).toEqual([]);
    expect(denied.note).toContain('AccessDeniedException');
    expect(denied.note).not.toContain(secret);
  });

  it('a key AWS reports joins the findings, with its event, beside any place it was found in code', () => {
    const key = fakeKeyId();
    const f = new Findings();
    f.add({ keyId: key, kind: 'long-term', line: 1, column: 1 }, { file: 'a' });
    f.addReported(key, { eventArn: arn(1), startTime: '2026-11-01T00:00:00.000Z' });
    const onlyAws = fakeKeyId();
    f.addReported(onlyAws, { eventArn: arn(2) });
    const by = new Map(f.keys().map((k) => [k.keyId, k]));
    expect(by.get(key)).toEqual({ keyId: key, kind: 'long-term', locations: [{ file: 'a', line: 1 }], reportedByAws: [{ eventArn: arn(1), startTime: '2026-11-01T00:00:00.000Z' }] });
    expect(by.get(onlyAws)).toEqual({ keyId: onlyAws, kind: 'long-term', locations: [], reportedByAws: [{ eventArn: arn(2) }] });
  });
});
