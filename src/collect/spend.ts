/**
 * The account's spend since the incident began, from Cost Explorer: one
 * GetCostAndUsage over the whole window, grouped by REGION and SERVICE, at
 * MONTHLY granularity (the fewest results: one per month and group), followed
 * through NextPageToken. Each request costs money on AWS ($0.01), so that is
 * the whole cost: ceil(groups x months / page) requests, one on most accounts,
 * and only when the baseline sets `incident.since`.
 *
 * Spend is evidence, never a precondition: a Cost Explorer that cannot be
 * read (access denied, not enabled, throttled past the retries, a window older
 * than it keeps) is recorded with its error and the collection goes on; a
 * failure on a later page drops the earlier ones, as a partial bill would
 * look whole.
 */
import { GetCostAndUsageCommand, type CostExplorerClient, type GetCostAndUsageCommandOutput } from '@aws-sdk/client-cost-explorer';
import { errorCode, errorMessage } from '../answers/error-info.js';
import type { Baseline } from '../model/baseline.js';
import { SPEND_METRIC, spendWindow, type Spend, type SpendCost } from '../model/spend.js';

export const SPEND_OPERATION = 'ce:GetCostAndUsage';

/** More pages than any account's groups fill: a service that keeps answering a token is a fault, not a bill. */
const MAX_PAGES = 1000;

export interface SpendContext {
  /** `incident.since`, as the baseline gave it (an ISO-8601 date-time). */
  since: string;
  /** The end of the window: the collection's time, or `incident.until` when that came first. */
  until: Date;
}

/**
 * The window an audit reads (each read costs money on AWS), from the
 * baseline: from incident.since to now, or to incident.until when that came
 * first; none without incident.since.
 */
export function spendContext(baseline: Baseline, now: Date): SpendContext | undefined {
  const { since, until } = baseline.incident ?? {};
  if (since === undefined) return undefined;
  const end = until !== undefined && Date.parse(until) < now.getTime() ? new Date(until) : now;
  return { since, until: end };
}

/** Whether `since` is a time at all (the baseline's schema checks its shape; this guards a saved or hand-made value). */
const parsed = (since: string): Date | null => {
  const d = new Date(since);
  return Number.isNaN(d.getTime()) ? null : d;
};

export async function collectSpend(ce: CostExplorerClient, ctx: SpendContext): Promise<Spend> {
  const since = parsed(ctx.since);
  const window = since ? spendWindow(since, ctx.until) : null;
  const base = { since: ctx.since, metric: SPEND_METRIC } as const;
  if (!window) {
    // Nothing to ask: the incident starts after the window ends. No call, no cost.
    const day = (since ?? ctx.until).toISOString().slice(0, 10);
    return { ...base, start: day, end: day, costs: [] };
  }
  const totals = new Map<string, SpendCost>();
  let estimated = false;
  try {
    const seen = new Set<string>();
    let token: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES) throw Object.assign(new Error(`Cost Explorer was still paging after ${MAX_PAGES} pages`), { name: 'TooManyPages' });
      const answer: GetCostAndUsageCommandOutput = await ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: window.start, End: window.end },
          Granularity: 'MONTHLY',
          Metrics: [SPEND_METRIC],
          GroupBy: [
            { Type: 'DIMENSION', Key: 'REGION' },
            { Type: 'DIMENSION', Key: 'SERVICE' },
          ],
          ...(token ? { NextPageToken: token } : {}),
        }),
      );
      for (const period of answer.ResultsByTime ?? []) {
        if (period.Estimated === true) estimated = true;
        for (const group of period.Groups ?? []) add(totals, group.Keys ?? [], group.Metrics?.[SPEND_METRIC]);
      }
      token = answer.NextPageToken || undefined;
      if (!token) break;
      if (seen.has(token)) throw Object.assign(new Error('Cost Explorer answered the same page token twice'), { name: 'PagingLoop' });
      seen.add(token);
    }
  } catch (err) {
    return { ...base, ...window, error: spendError(err) };
  }
  const costs = [...totals.values()].map((c) => ({ ...c, amount: round(c.amount) }));
  costs.sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : a.service < b.service ? -1 : a.service > b.service ? 1 : a.unit < b.unit ? -1 : 1));
  return { ...base, ...window, costs, ...(estimated ? { estimated } : {}) };
}

const spendError = (err: unknown) => ({ operation: SPEND_OPERATION, code: errorCode(err), message: errorMessage(err) });

/** A collector that threw (a bug: it records failures) still says the spend could not be read, never crashes the collection. */
export function spendFailed(ctx: SpendContext, err: unknown): Spend {
  const day = ctx.until.toISOString().slice(0, 10);
  return { since: ctx.since, start: day, end: day, metric: SPEND_METRIC, error: spendError(err) };
}

/** Sums of decimal strings in binary floating point: rounded to what a bill can show, and more. */
const round = (n: number): number => Math.round(n * 1e8) / 1e8;

/** One group of one month into the totals, by region, service and currency. An amount that is not a number is left out, not guessed. */
function add(totals: Map<string, SpendCost>, keys: string[], metric: { Amount?: string; Unit?: string } | undefined): void {
  const [region = '', service = ''] = keys;
  const amount = Number(metric?.Amount);
  if (metric?.Amount === undefined || metric.Amount.trim() === '' || !Number.isFinite(amount)) return;
  const unit = metric.Unit ?? '';
  const key = JSON.stringify([region, service, unit]);
  const total = totals.get(key);
  if (total) total.amount += amount;
  else totals.set(key, { region, service, amount, unit });
}
