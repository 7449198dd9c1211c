/**
 * An AWS Config aggregator as an inventory source, for the account audited:
 * one query for its resources in every region the aggregator holds.
 * (Organization runs read each account's own recorders with --config; an
 * aggregator read for many accounts at once would need its account list in
 * chunks, since Config's SQL expression is at most 4,096 characters: some 240
 * account ids. That path had no caller and is gone.)
 *
 * Calls, in the aggregator's region: DescribeConfigurationAggregators (1),
 * DescribeConfigurationAggregatorSourcesStatus (ceil(S/100) for S account x
 * region sources of the whole aggregator) and SelectAggregateResourceConfig,
 * 100 a page: `1 + ceil(S/100) + max(1, ceil(N/100))` for the account's N
 * resources, whatever the number of regions.
 *
 * Coverage: a region scanned that the aggregator has no source for, or whose
 * last update FAILED or is OUTDATED, is a gap for the account in that
 * region. One that SUCCEEDED is a gap too (AggregatorCoverageUnverified):
 * the aggregator says what the account last sent, not whether its recorder
 * still runs or which types it records (a stopped or deleted recorder sends
 * nothing, and its source still says SUCCEEDED). With `trusted`
 * (--config-aggregator-trusted) the user accepts the aggregator's word for
 * those regions, and a note says so; --config reads the recorders
 * themselves. An aggregator that cannot be read or queried is a gap in
 * `global` for the account (rules on Config's resources are then unknown
 * everywhere), never a crash.
 */
import {
  DescribeConfigurationAggregatorsCommand,
  paginateDescribeConfigurationAggregatorSourcesStatus,
  paginateSelectAggregateResourceConfig,
  type AggregatedSourceStatus,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import { aggregateQuery, CONFIG_PAGE_SIZE, configResourceOf } from '../answers/config.js';
import { operationOf } from '../aws/call-kind.js';
import type { Gap } from '../model/inventory.js';
import type { Resource } from '../model/resource.js';
import { boundedPages } from './config-pages.js';
import { gapOf } from './listing.js';
import type { RegionalResult } from './regional.js';

/** How an inventory says Config was read through an aggregator (collect/config.ts configRead looks for it). */
export const AGGREGATOR_NOTE = 'AWS Config was read through the aggregator';

/** One account's resources, at 100 a page: 50,000 pages is 5 million resources, past any account. */
const MAX_PAGES = 50_000;
/** The aggregator's sources, one per account and region, 100 a page: 10,000 pages is a million sources. */
const MAX_SOURCE_PAGES = 10_000;

export interface AggregateAsk {
  /** The account audited (its id). */
  account: string;
  /** The regions scanned: coverage is checked for each, and resources elsewhere are left out (IAM's `global` stays). */
  regions: readonly string[];
  /** Accept a source whose last update SUCCEEDED as full coverage (--config-aggregator-trusted); otherwise it is a gap. */
  trusted?: boolean;
}

/** A gap in `global` for the account, when the aggregator itself could not be read: rules on Config's resources are unknown everywhere. */
const blind = (operation: string, err: unknown): RegionalResult & { notes: string[] } => ({ resources: [], gaps: [gapOf('config.resource', 'global', operation, err)], notes: [] });

const noSource = (name: string, account: string, region: string): Gap => ({
  type: 'config.resource',
  region,
  operation: 'config:DescribeConfigurationAggregatorSourcesStatus',
  code: 'NotAggregated',
  message: `the AWS Config aggregator ${name} has no source for account ${account} in ${region}`,
});

function sourceGap(name: string, s: AggregatedSourceStatus, account: string, region: string, trusted: boolean): Gap | null {
  if (s.LastUpdateStatus === 'SUCCEEDED') {
    if (trusted) return null;
    return {
      type: 'config.resource',
      region,
      operation: 'config:DescribeConfigurationAggregatorSourcesStatus',
      code: 'AggregatorCoverageUnverified',
      message: `the AWS Config aggregator ${name} last collected account ${account} in ${region}, but cannot say whether its recorder there is running or which types it records: read the account's recorders with --config, or accept the aggregator's word with --config-aggregator-trusted`,
    };
  }
  const when = s.LastUpdateTime ? ` (last update ${s.LastUpdateTime.toISOString()})` : '';
  const why = s.LastErrorCode ? `: ${s.LastErrorCode}${s.LastErrorMessage ? ` ${s.LastErrorMessage}` : ''}` : '';
  return {
    type: 'config.resource',
    region,
    operation: 'config:DescribeConfigurationAggregatorSourcesStatus',
    code: s.LastUpdateStatus === 'OUTDATED' ? 'AggregationOutdated' : 'AggregationFailed',
    message: `the AWS Config aggregator ${name} ${s.LastUpdateStatus === 'OUTDATED' ? 'holds outdated data' : 'failed to collect'} for account ${account} in ${region}${when}${why}`,
  };
}

export async function collectAggregated(config: ConfigServiceClient, name: string, ask: AggregateAsk): Promise<RegionalResult & { notes: string[] }> {
  try {
    const { ConfigurationAggregators: found = [] } = await config.send(new DescribeConfigurationAggregatorsCommand({ ConfigurationAggregatorNames: [name] }));
    if (found.length === 0) throw Object.assign(new Error(`no AWS Config aggregator named ${name}`), { name: 'NoSuchConfigurationAggregatorException' });
  } catch (err) {
    return blind(`config:${operationOf(err) ?? 'DescribeConfigurationAggregators'}`, err);
  }

  const statuses: AggregatedSourceStatus[] = [];
  try {
    const pager = paginateDescribeConfigurationAggregatorSourcesStatus({ client: config, pageSize: CONFIG_PAGE_SIZE, stopOnSameToken: true }, { ConfigurationAggregatorName: name, Limit: CONFIG_PAGE_SIZE });
    for await (const page of boundedPages(pager, MAX_SOURCE_PAGES, 'DescribeConfigurationAggregatorSourcesStatus')) {
      statuses.push(...(page.AggregatedSourceStatusList ?? []).filter((s) => s.SourceId === ask.account));
    }
  } catch (err) {
    return blind('config:DescribeConfigurationAggregatorSourcesStatus', err);
  }

  const scanned = new Set(ask.regions);
  const mine = new Map<string, Resource>();
  try {
    const pager = paginateSelectAggregateResourceConfig(
      { client: config, pageSize: CONFIG_PAGE_SIZE, stopOnSameToken: true },
      { ConfigurationAggregatorName: name, Expression: aggregateQuery(ask.account), Limit: CONFIG_PAGE_SIZE },
    );
    for await (const page of boundedPages(pager, MAX_PAGES, 'SelectAggregateResourceConfig')) {
      for (const row of page.Results ?? []) {
        const r = configResourceOf(row, `aggregator:${name}`, {});
        if (!r || r.accountId !== ask.account || (r.region !== 'global' && !scanned.has(r.region))) continue;
        mine.set(`${r.region}|${r.id}`, r);
      }
    }
  } catch (err) {
    return blind('config:SelectAggregateResourceConfig', err);
  }

  const gaps: Gap[] = [];
  for (const region of ask.regions) {
    const status = statuses.find((s) => s.AwsRegion === region);
    const gap = status ? sourceGap(name, status, ask.account, region, ask.trusted === true) : noSource(name, ask.account, region);
    if (gap) gaps.push(gap);
  }
  return {
    resources: [...mine.values()],
    gaps,
    notes: [
      ask.trusted
        ? `${AGGREGATOR_NOTE} ${name}, its coverage accepted with --config-aggregator-trusted: it says what each region last sent, not whether its recorder is running or which types it records (--config reads that in the account itself).`
        : `${AGGREGATOR_NOTE} ${name}: it says what each region last sent, not whether its recorder is running or which types it records, so each region is a gap (AggregatorCoverageUnverified) unless --config-aggregator-trusted accepts its word; --config reads the recorders in the account itself.`,
    ],
  };
}
