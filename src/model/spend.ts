/**
 * The account's spend since the incident began, as Cost Explorer reports it:
 * evidence of unauthorized usage (AWS's notice points at the Bills page),
 * never a precondition for anything. Collected once per audit when the
 * baseline sets `incident.since` (collect/spend.ts); judged against the
 * baseline by report/spend.ts.
 */

/** The metric asked for: what was charged, before credits and discounts are spread. */
export const SPEND_METRIC = 'UnblendedCost';

/** The cost of one service in one region over the window. */
export interface SpendCost {
  /**
   * Cost Explorer's REGION dimension: a region name, or a value that is no
   * region (`global` for CloudFront, Route 53 and the like; `NoRegion` for
   * tax, support and marketplace charges).
   */
  region: string;
  /** Cost Explorer's SERVICE dimension, as the Bills page names it (`Amazon Elastic Compute Cloud - Compute`). */
  service: string;
  /** Summed over the window; negative for a credit or refund. */
  amount: number;
  /** The currency, `USD` on most accounts. */
  unit: string;
}

/** Why the spend could not be read. */
export interface SpendError {
  /** `ce:GetCostAndUsage` */
  operation: string;
  /** AccessDeniedException, DataUnavailableException, LimitExceededException, a network failure... */
  code: string;
  message: string;
}

/** What an inventory holds about the spend: the window asked, and the costs or why there are none. */
export interface Spend {
  /** `incident.since`, as the baseline gave it. */
  since: string;
  /** The window as Cost Explorer takes it, whole UTC days: `start` (the day of `since`) included, `end` excluded, YYYY-MM-DD. */
  start: string;
  end: string;
  metric: typeof SPEND_METRIC;
  /** By region and service, when read; absent when it could not be. */
  costs?: SpendCost[];
  /** Cost Explorer marked some of it as estimated (the current month's figures are, until the bill closes). */
  estimated?: boolean;
  /** Present when the spend could not be read. */
  error?: SpendError;
}

/** A YYYY-MM-DD day, UTC. */
export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * The window Cost Explorer is asked for: from the day `since` falls on (its
 * whole day: Cost Explorer counts whole days) to the end of the day of `until`
 * (the end of collection, or `incident.until` when that came first).
 * `null` when it would be empty (since after until).
 */
export function spendWindow(since: Date, until: Date): { start: string; end: string } | null {
  if (since.getTime() > until.getTime()) return null;
  const end = new Date(Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), until.getUTCDate() + 1));
  return { start: utcDay(since), end: utcDay(end) };
}
