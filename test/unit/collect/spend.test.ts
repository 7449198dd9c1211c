/**
 * The spend collector's paging and failures, with Cost Explorer mocked (the
 * emulator's answers are registered in advance: test/integration/spend.test.ts
 * runs the collector against it end to end).
 */
import { CostExplorerClient, GetCostAndUsageCommand, type GetCostAndUsageCommandInput } from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { collectSpend, spendContext, spendFailed } from '../../../src/collect/spend.js';
import { spendWindow } from '../../../src/model/spend.js';

const ce = mockClient(CostExplorerClient);
afterEach(() => ce.reset());

const client = () => new CostExplorerClient({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const group = (region: string, service: string, amount: string, unit = 'USD') => ({ Keys: [region, service], Metrics: { UnblendedCost: { Amount: amount, Unit: unit } } });
const UNTIL = new Date('2026-11-29T16:30:00Z');

describe('the spend window', () => {
  it('is whole UTC days: the day of since included, the day after until excluded', () => {
    expect(spendWindow(new Date('2026-11-01T23:59:00Z'), UNTIL)).toEqual({ start: '2026-11-01', end: '2026-11-30' });
    // The last day of a month ends on the first of the next: Cost Explorer takes an end up to the start of next month.
    expect(spendWindow(new Date('2026-10-05T00:00:00Z'), new Date('2026-11-30T23:00:00Z'))).toEqual({ start: '2026-10-05', end: '2026-12-01' });
    expect(spendWindow(new Date('2026-11-29T10:00:00+05:00'), UNTIL)).toEqual({ start: '2026-11-29', end: '2026-11-30' });
    expect(spendWindow(new Date('2026-12-01T00:00:00Z'), UNTIL)).toBeNull();
  });
});

describe('the spend an audit asks for', () => {
  const b = (incident?: { since?: string; until?: string }) => ({ version: 1 as const, account: { id: '123456789012' }, ...(incident ? { incident } : {}) });

  it('none without incident.since; to now, or to incident.until when that is past', () => {
    expect(spendContext(b(), UNTIL)).toBeUndefined();
    expect(spendContext(b({ until: '2026-11-20T00:00:00Z' }), UNTIL)).toBeUndefined();
    expect(spendContext(b({ since: '2026-11-01T00:00:00Z' }), UNTIL)).toEqual({ since: '2026-11-01T00:00:00Z', until: UNTIL });
    expect(spendContext(b({ since: '2026-11-01T00:00:00Z', until: '2026-12-01T00:00:00Z' }), UNTIL)).toEqual({ since: '2026-11-01T00:00:00Z', until: UNTIL });
    expect(spendContext(b({ since: '2026-11-01T00:00:00Z', until: '2026-11-10T06:00:00Z' }), UNTIL)).toEqual({ since: '2026-11-01T00:00:00Z', until: new Date('2026-11-10T06:00:00Z') });
  });
});

describe('collectSpend', () => {
  it('asks once for the window grouped by region and service, follows NextPageToken, and sums each group over the months', async () => {
    ce.on(GetCostAndUsageCommand)
      .resolvesOnce({
        ResultsByTime: [
          { TimePeriod: { Start: '2026-10-20', End: '2026-11-01' }, Estimated: false, Groups: [group('us-east-1', 'AWS Lambda', '0.10'), group('ap-south-1', 'Amazon Elastic Compute Cloud - Compute', '100.25')] },
        ],
        NextPageToken: 'page-2',
      })
      .resolvesOnce({
        ResultsByTime: [
          { TimePeriod: { Start: '2026-11-01', End: '2026-11-30' }, Estimated: true, Groups: [group('us-east-1', 'AWS Lambda', '0.20'), group('NoRegion', 'Tax', '3.5'), group('global', 'Amazon Route 53', 'not a number')] },
        ],
      });
    const spend = await collectSpend(client(), { since: '2026-10-20T08:00:00Z', until: UNTIL });

    const calls = ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input as GetCostAndUsageCommandInput);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toEqual({
      TimePeriod: { Start: '2026-10-20', End: '2026-11-30' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy: [
        { Type: 'DIMENSION', Key: 'REGION' },
        { Type: 'DIMENSION', Key: 'SERVICE' },
      ],
    });
    expect(calls[1]).toEqual({ ...calls[0], NextPageToken: 'page-2' });
    expect(spend).toEqual({
      since: '2026-10-20T08:00:00Z',
      start: '2026-10-20',
      end: '2026-11-30',
      metric: 'UnblendedCost',
      estimated: true,
      costs: [
        { region: 'NoRegion', service: 'Tax', amount: 3.5, unit: 'USD' },
        { region: 'ap-south-1', service: 'Amazon Elastic Compute Cloud - Compute', amount: 100.25, unit: 'USD' },
        // 0.1 + 0.2, without binary noise.
        { region: 'us-east-1', service: 'AWS Lambda', amount: 0.3, unit: 'USD' },
      ],
    });
  });

  it('AccessDenied (or Cost Explorer not enabled) is recorded with its code and message, never thrown', async () => {
    ce.on(GetCostAndUsageCommand).rejects(Object.assign(new Error('User: arn:aws:iam::123456789012:user/audit is not authorized to perform: ce:GetCostAndUsage'), { name: 'AccessDeniedException' }));
    const spend = await collectSpend(client(), { since: '2026-11-01T00:00:00Z', until: UNTIL });
    expect(spend).toEqual({
      since: '2026-11-01T00:00:00Z',
      start: '2026-11-01',
      end: '2026-11-30',
      metric: 'UnblendedCost',
      error: { operation: 'ce:GetCostAndUsage', code: 'AccessDeniedException', message: expect.stringContaining('not authorized') },
    });
    expect(spend.costs).toBeUndefined();
  });

  it('a failure on a later page drops the earlier pages: a partial bill must not look whole', async () => {
    ce.on(GetCostAndUsageCommand)
      .resolvesOnce({ ResultsByTime: [{ Groups: [group('us-east-1', 'AWS Lambda', '5')] }], NextPageToken: 'p2' })
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'LimitExceededException' }));
    const spend = await collectSpend(client(), { since: '2026-11-01T00:00:00Z', until: UNTIL });
    expect(spend.costs).toBeUndefined();
    expect(spend.error).toMatchObject({ code: 'LimitExceededException' });
  });

  it('a page token answered twice is a fault, not an endless bill', async () => {
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [], NextPageToken: 'again' });
    const spend = await collectSpend(client(), { since: '2026-11-01T00:00:00Z', until: UNTIL });
    expect(spend.error).toMatchObject({ code: 'PagingLoop' });
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(2);
  });

  it('an incident that starts after the window asks nothing (each request costs money)', async () => {
    const spend = await collectSpend(client(), { since: '2026-12-05T00:00:00Z', until: UNTIL });
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(0);
    expect(spend).toMatchObject({ costs: [] });
    expect(spend.error).toBeUndefined();
  });

  it('a collector that threw still yields an error, never a crash', () => {
    expect(spendFailed({ since: '2026-11-01T00:00:00Z', until: UNTIL }, new TypeError('boom'))).toMatchObject({ error: { operation: 'ce:GetCostAndUsage', code: 'TypeError', message: 'boom' } });
  });
});
