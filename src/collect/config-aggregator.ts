/**
 * An AWS Config aggregator as an inventory source: one query for every
 * account and region it aggregates, split per account, so a run over an
 * organization asks once and hands each account its own list (and a run over
 * one account asks only for that account).
 *
 * Calls, in the aggregator's region: DescribeConfigurationAggregators (1),
 * DescribeConfigurationAggregatorSourcesStatus (ceil(S/100) for S account x
 * region sources) and SelectAggregateResourceConfig, 100 a page:
 * `2 + ceil(S/100) - 1 + max(1, ceil(N/100))` for N resources over every
 * account asked, whatever the number of regions.
 *
 * Coverage: an (account, region) asked that the aggregator has no source for,
 * or whose last update FAILED or is OUTDATED, is a gap for that account in
 * that region. The aggregator does not say whether a member's recorder runs
 * or which types it records: a note says so (--config reads that in the
 * account itself). An aggregator that cannot be read or queried is a gap in
 * `global` for every account asked (rules on Config's resources are then
 * unknown everywhere), never a crash.
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
import { gapOf } from './listing.js';
import type { RegionalResult } from './regional.js';

/** How an inventory says Config was read through an aggregator (collect/config.ts configRead looks for it). */
export const AGGREGATOR_NOTE = 'AWS Config was read through the aggregator';

/** Pages past this are a fault of the service, not an organization. */
const MAX_PAGES = 1_000_000;

export interface AggregateAsk {
  /** The accounts to read (ids), or every account the aggregator has. */
  accounts: readonly string[] | 'all';
  /** The regions scanned: coverage is checked for each, and resources elsewhere are left out (IAM's `global` stays). */
  regions: readonly string[];
}

export interface AggregateRead {
  /** Per account asked (or found, with `all`): its resources and gaps. */
  accounts: Map<string, RegionalResult>;
  notes: string[];
}

/** Gaps for every account asked when the aggregator itself could not be read. */
function blind(ask: AggregateAsk, operation: string, err: unknown, found: Iterable<string> = []): AggregateRead {
  const ids = ask.accounts === 'all' ? [...found] : ask.accounts;
  return { accounts: new Map(ids.map((a) => [a, { resources: [], gaps: [gapOf('config.resource', 'global', operation, err)] }])), notes: [] };
}

const noSource = (name: string, account: string, region: string): Gap => ({
  type: 'config.resource',
  region,
  operation: 'config:DescribeConfigurationAggregatorSourcesStatus',
  code: 'NotAggregated',
  message: `the AWS Config aggregator ${name} has no source for account ${account} in ${region}`,
});

function sourceGap(name: string, s: AggregatedSourceStatus, account: string, region: string): Gap | null {
  if (s.LastUpdateStatus === 'SUCCEEDED') return null;
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

export async function collectAggregated(config: ConfigServiceClient, name: string, ask: AggregateAsk): Promise<AggregateRead> {
  try {
    const { ConfigurationAggregators: found = [] } = await config.send(new DescribeConfigurationAggregatorsCommand({ ConfigurationAggregatorNames: [name] }));
    if (found.length === 0) throw Object.assign(new Error(`no AWS Config aggregator named ${name}`), { name: 'NoSuchConfigurationAggregatorException' });
  } catch (err) {
    return blind(ask, `config:${operationOf(err) ?? 'DescribeConfigurationAggregators'}`, err);
  }

  const statuses: AggregatedSourceStatus[] = [];
  try {
    for await (const page of paginateDescribeConfigurationAggregatorSourcesStatus({ client: config, pageSize: CONFIG_PAGE_SIZE }, { ConfigurationAggregatorName: name, Limit: CONFIG_PAGE_SIZE })) {
      statuses.push(...(page.AggregatedSourceStatusList ?? []));
    }
  } catch (err) {
    return blind(ask, 'config:DescribeConfigurationAggregatorSourcesStatus', err, statuses.flatMap((s) => (s.SourceId ? [s.SourceId] : [])));
  }

  const scanned = new Set(ask.regions);
  const byAccount = new Map<string, Map<string, Resource>>();
  try {
    let pages = 0;
    const pager = paginateSelectAggregateResourceConfig(
      { client: config, pageSize: CONFIG_PAGE_SIZE },
      { ConfigurationAggregatorName: name, Expression: aggregateQuery(ask.accounts), Limit: CONFIG_PAGE_SIZE },
    );
    for await (const page of pager) {
      if (++pages > MAX_PAGES) throw Object.assign(new Error(`AWS Config was still paging after ${MAX_PAGES} pages`), { name: 'TooManyPages' });
      for (const row of page.Results ?? []) {
        const r = configResourceOf(row, `aggregator:${name}`, {});
        if (!r || (r.region !== 'global' && !scanned.has(r.region))) continue;
        if (ask.accounts !== 'all' && !ask.accounts.includes(r.accountId)) continue;
        const mine = byAccount.get(r.accountId) ?? new Map<string, Resource>();
        mine.set(`${r.region}|${r.id}`, r);
        byAccount.set(r.accountId, mine);
      }
    }
  } catch (err) {
    return blind(ask, 'config:SelectAggregateResourceConfig', err, [...statuses.flatMap((s) => (s.SourceId ? [s.SourceId] : [])), ...byAccount.keys()]);
  }

  const accounts = ask.accounts === 'all' ? [...new Set([...statuses.flatMap((s) => (s.SourceId && /^\d{12}$/.test(s.SourceId) ? [s.SourceId] : [])), ...byAccount.keys()])].sort() : [...ask.accounts];
  const read = new Map<string, RegionalResult>();
  for (const account of accounts) {
    const gaps: Gap[] = [];
    for (const region of ask.regions) {
      const status = statuses.find((s) => s.SourceId === account && s.AwsRegion === region);
      const gap = status ? sourceGap(name, status, account, region) : noSource(name, account, region);
      if (gap) gaps.push(gap);
    }
    read.set(account, { resources: [...(byAccount.get(account)?.values() ?? [])], gaps });
  }
  return {
    accounts: read,
    notes: [`${AGGREGATOR_NOTE} ${name}: it says what each account and region last sent, not whether its recorder is running or which types it records (--config reads that in the account itself).`],
  };
}
