/**
 * An AWS Config aggregator as an inventory source, in the account that holds
 * it: its description and its sources' statuses read once (readAggregator),
 * then, for each account audited, one query for that account's resources in
 * every region the aggregator holds (collectAggregated). One account
 * (`audit --config-aggregator`) reads both with its own clients; an org run
 * (`audit --org --config-aggregator`) reads the aggregator once with the
 * run's own credentials (src/org/config-aggregator.ts) and queries it for each
 * account in turn, never through the account's assumed role. Config's SQL
 * expression is at most 4,096 characters, and one query per account keeps
 * memory bounded by the largest account: `WHERE accountId = 'ID'`, the id
 * checked to be 12 digits (answers/config.ts aggregateQuery).
 *
 * Calls, in the aggregator's region: DescribeConfigurationAggregators (1),
 * DescribeConfigurationAggregatorSourcesStatus (ceil(S/100) for S account x
 * region sources of the whole aggregator), once per run, and for each
 * account SelectAggregateResourceConfig, 100 a page: `1 + ceil(S/100) + sum
 * over accounts of max(1, ceil(N_a/100))` for account a's N_a resources,
 * whatever the number of regions. An aggregator that cannot be read costs no
 * query.
 *
 * Coverage, for each account and region scanned: the aggregator's
 * description says whether the account is a source there
 * (AccountAggregationSources: its ids, all regions or those listed;
 * OrganizationAggregationSource: every account of the organization, all
 * regions or those listed); its sources' statuses say how the last
 * collection went. A region the aggregator has no source for, one it names
 * but reports no status for, or whose last update FAILED or is OUTDATED is a
 * gap for the account in that region. One that SUCCEEDED is a gap too
 * (AggregatorCoverageUnverified): the aggregator says what the account last
 * sent, not whether its recorder still runs or which types it records (a
 * stopped or deleted recorder sends nothing, and its source still says
 * SUCCEEDED). With `trusted` (--config-aggregator-trusted) the user accepts
 * the aggregator's word for those regions, and a note says so; --config
 * reads the recorders themselves. An organization source covers an account
 * only where the run knows the account is in the organization (`member`: the
 * account that holds the aggregator, or an org run that listed the
 * organization); otherwise only a status of that account's own vouches for it.
 * An aggregator that cannot be read or queried is a gap in `global` for the
 * account (rules on Config's resources are then unknown everywhere), never a
 * crash.
 */
import {
  DescribeConfigurationAggregatorsCommand,
  paginateDescribeConfigurationAggregatorSourcesStatus,
  SelectAggregateResourceConfigCommand,
  type AggregatedSourceStatus,
  type ConfigServiceClient,
  type ConfigurationAggregator,
  type SelectAggregateResourceConfigCommandOutput,
} from '@aws-sdk/client-config-service';
import { aggregateQuery, CONFIG_PAGE_SIZE, configResourceOf } from '../answers/config.js';
import { operationOf } from '../aws/call-kind.js';
import { countCalls, type CallCounter } from '../aws/call-counter.js';
import type { Gap } from '../model/inventory.js';
import type { Resource } from '../model/resource.js';
import { boundedPages } from './config-pages.js';
import { gapOf } from './listing.js';
import type { RegionalResult } from './regional.js';

import { AGGREGATOR_NOTE } from './config-read.js';
export { AGGREGATOR_NOTE };

/** One account's resources, at 100 a page: 50,000 pages is 5 million resources, past any account. */
const MAX_PAGES = 50_000;
/** The aggregator's sources, one per account and region, 100 a page: 10,000 pages is a million sources. */
const MAX_SOURCE_PAGES = 10_000;

/** Which regions a source covers: every one, or those listed. */
type Regions = 'all' | ReadonlySet<string>;

/** What an aggregator says of itself, read once for every account a run audits through it. */
export type AggregatorView =
  | {
      name: string;
      readable: true;
      /** AccountAggregationSources: these accounts, in these regions. */
      accounts: readonly { ids: ReadonlySet<string>; regions: Regions }[];
      /** OrganizationAggregationSource: every account of the organization, in these regions. */
      organization?: Regions;
      /** The statuses kept (the accounts asked about, and the organization's), by `${SourceType}|${SourceId or ''}|${region}`. */
      statuses: ReadonlyMap<string, AggregatedSourceStatus>;
    }
  /** It could not be read: this gap (in `global`) for every account. */
  | { name: string; readable: false; gap: Gap };

const accountKey = (account: string, region: string) => `ACCOUNT|${account}|${region}`;
const organizationKey = (region: string) => `ORGANIZATION||${region}`;

const regionsOf = (s: { AllAwsRegions?: boolean | undefined; AwsRegions?: string[] | undefined }): Regions => (s.AllAwsRegions ? 'all' : new Set(s.AwsRegions ?? []));
const covers = (regions: Regions, region: string) => regions === 'all' || regions.has(region);

function describedSources(found: ConfigurationAggregator): Pick<Extract<AggregatorView, { readable: true }>, 'accounts' | 'organization'> {
  const accounts = (found.AccountAggregationSources ?? []).map((s) => ({ ids: new Set(s.AccountIds ?? []), regions: regionsOf(s) }));
  const org = found.OrganizationAggregationSource;
  return { accounts, ...(org ? { organization: regionsOf(org) } : {}) };
}

/**
 * The aggregator's description and its sources' statuses: two reads (the
 * statuses paged, 100 a page), whatever the number of accounts. Statuses are
 * kept only for the accounts `keep` accepts (and the organization's), so
 * memory is bounded by the accounts asked about. A read that fails is the view's gap.
 */
export async function readAggregator(config: ConfigServiceClient, name: string, keep: (account: string) => boolean): Promise<AggregatorView> {
  let found: ConfigurationAggregator;
  try {
    const { ConfigurationAggregators: all = [] } = await config.send(new DescribeConfigurationAggregatorsCommand({ ConfigurationAggregatorNames: [name] }));
    const named = all.find((a) => a.ConfigurationAggregatorName === name) ?? all[0];
    if (!named) throw Object.assign(new Error(`no AWS Config aggregator named ${name}`), { name: 'NoSuchConfigurationAggregatorException' });
    found = named;
  } catch (err) {
    return { name, readable: false, gap: gapOf('config.resource', 'global', `config:${operationOf(err) ?? 'DescribeConfigurationAggregators'}`, err) };
  }

  const statuses = new Map<string, AggregatedSourceStatus>();
  try {
    const pager = paginateDescribeConfigurationAggregatorSourcesStatus({ client: config, pageSize: CONFIG_PAGE_SIZE, stopOnSameToken: true }, { ConfigurationAggregatorName: name, Limit: CONFIG_PAGE_SIZE });
    for await (const page of boundedPages(pager, MAX_SOURCE_PAGES, 'DescribeConfigurationAggregatorSourcesStatus')) {
      for (const s of page.AggregatedSourceStatusList ?? []) {
        if (typeof s.AwsRegion !== 'string') continue;
        if (s.SourceType === 'ORGANIZATION') statuses.set(organizationKey(s.AwsRegion), s);
        else if (typeof s.SourceId === 'string' && keep(s.SourceId)) statuses.set(accountKey(s.SourceId, s.AwsRegion), s);
      }
    }
  } catch (err) {
    return { name, readable: false, gap: gapOf('config.resource', 'global', 'config:DescribeConfigurationAggregatorSourcesStatus', err) };
  }
  return { name, readable: true, ...describedSources(found), statuses };
}

const coverageGap = (region: string, code: string, message: string): Gap => ({ type: 'config.resource', region, operation: 'config:DescribeConfigurationAggregatorSourcesStatus', code, message });

function statusGap(name: string, s: AggregatedSourceStatus, account: string, region: string, trusted: boolean): Gap | null {
  const of = s.SourceType === 'ORGANIZATION' ? `the organization (account ${account})` : `account ${account}`;
  if (s.LastUpdateStatus === 'SUCCEEDED') {
    if (trusted) return null;
    return coverageGap(
      region,
      'AggregatorCoverageUnverified',
      `the AWS Config aggregator ${name} last collected ${of} in ${region}, but cannot say whether its recorder there is running or which types it records: read the account's recorders with --config, or accept the aggregator's word with --config-aggregator-trusted`,
    );
  }
  const when = s.LastUpdateTime instanceof Date && !Number.isNaN(s.LastUpdateTime.getTime()) ? ` (last update ${s.LastUpdateTime.toISOString()})` : '';
  const why = s.LastErrorCode ? `: ${s.LastErrorCode}${s.LastErrorMessage ? ` ${s.LastErrorMessage}` : ''}` : '';
  const outdated = s.LastUpdateStatus === 'OUTDATED';
  return coverageGap(region, outdated ? 'AggregationOutdated' : 'AggregationFailed', `the AWS Config aggregator ${name} ${outdated ? 'holds outdated data' : 'failed to collect'} for ${of} in ${region}${when}${why}`);
}

/**
 * The gaps in Config's coverage of one account, region by region (pure): none
 * where a status of the account's own (or, for an organization source and a
 * member, the organization's) SUCCEEDED and `trusted` accepts it.
 */
export function coverageGaps(view: Extract<AggregatorView, { readable: true }>, account: string, regions: readonly string[], o: { trusted: boolean; member: boolean }): Gap[] {
  const gaps: Gap[] = [];
  for (const region of regions) {
    const own = view.statuses.get(accountKey(account, region));
    const named = view.accounts.some((s) => s.ids.has(account) && covers(s.regions, region));
    const organization = view.organization !== undefined && covers(view.organization, region);
    let gap: Gap | null;
    if (own) gap = statusGap(view.name, own, account, region, o.trusted);
    else if (named) gap = coverageGap(region, 'NotAggregated', `the AWS Config aggregator ${view.name} names account ${account} as a source in ${region}, but reports no status for it: what it holds of the account there cannot be vouched for`);
    else if (organization && o.member) {
      const org = view.statuses.get(organizationKey(region));
      gap = org
        ? statusGap(view.name, org, account, region, o.trusted)
        : coverageGap(region, 'NotAggregated', `the AWS Config aggregator ${view.name} aggregates the organization in ${region}, but reports no status for it there: what it holds of account ${account} cannot be vouched for`);
    } else if (organization) {
      gap = coverageGap(region, 'NotAggregated', `the AWS Config aggregator ${view.name} aggregates an organization, and this run cannot tell whether account ${account} is in it (the organization was not listed: add --org), nor has a status of the account's own in ${region}`);
    } else gap = coverageGap(region, 'NotAggregated', `the AWS Config aggregator ${view.name} has no source for account ${account} in ${region}`);
    if (gap) gaps.push(gap);
  }
  return gaps;
}

/** One account's pages of the aggregator's query; each call also counted in `counter` (the account's), when given. */
async function* accountPages(config: ConfigServiceClient, name: string, account: string, counter: CallCounter | undefined): AsyncGenerator<SelectAggregateResourceConfigCommandOutput> {
  const expression = aggregateQuery(account);
  let token: string | undefined;
  do {
    const command = new SelectAggregateResourceConfigCommand({ ConfigurationAggregatorName: name, Expression: expression, Limit: CONFIG_PAGE_SIZE, ...(token ? { NextToken: token } : {}) });
    if (counter) countCalls(command, 'config', counter, 'rollcallAccountCallCounter');
    const page = await config.send(command);
    yield page;
    token = page.NextToken;
  } while (token);
}

/** An aggregator read once for an org run: the run's client, what the aggregator said of itself, and whether the run's accounts are known members of the organization. */
export interface SharedAggregator {
  client: ConfigServiceClient;
  view: AggregatorView;
  member: boolean;
}

export interface AggregateAsk {
  /** The account audited (its id). */
  account: string;
  /** The regions scanned: coverage is checked for each, and resources elsewhere are left out (IAM's `global` stays). */
  regions: readonly string[];
  /** Accept a source whose last update SUCCEEDED as full coverage (--config-aggregator-trusted); otherwise it is a gap. */
  trusted?: boolean;
  /** The aggregator as read once for the whole run (org mode); absent, it is read now, for this account alone. */
  view?: AggregatorView;
  /** Whether the account is known to be in the aggregator's organization (default: it holds the aggregator, so it is). */
  member?: boolean;
  /** The account's own call counter, which the aggregator's client (the run's, not the account's) does not feed. */
  counter?: CallCounter;
}

/** A gap in `global` for the account, when the aggregator itself could not be read or queried: rules on Config's resources are unknown everywhere. */
const blind = (gap: Gap): RegionalResult & { notes: string[] } => ({ resources: [], gaps: [{ ...gap }], notes: [] });

export async function collectAggregated(config: ConfigServiceClient, name: string, ask: AggregateAsk): Promise<RegionalResult & { notes: string[] }> {
  const view = ask.view ?? (await readAggregator(config, name, (id) => id === ask.account));
  if (!view.readable) return blind(view.gap);

  const scanned = new Set(ask.regions);
  const mine = new Map<string, Resource>();
  try {
    for await (const page of boundedPages(accountPages(config, name, ask.account, ask.counter), MAX_PAGES, 'SelectAggregateResourceConfig')) {
      for (const row of page.Results ?? []) {
        const r = configResourceOf(row, `aggregator:${name}`, {});
        if (!r || r.accountId !== ask.account || (r.region !== 'global' && !scanned.has(r.region))) continue;
        mine.set(`${r.region}|${r.id}`, r);
      }
    }
  } catch (err) {
    return blind(gapOf('config.resource', 'global', 'config:SelectAggregateResourceConfig', err));
  }

  const trusted = ask.trusted === true;
  return {
    resources: [...mine.values()],
    gaps: coverageGaps(view, ask.account, ask.regions, { trusted, member: ask.member ?? true }),
    notes: [
      trusted
        ? `${AGGREGATOR_NOTE} ${name}, its coverage accepted with --config-aggregator-trusted: it says what each region last sent, not whether its recorder is running or which types it records (--config reads that in the account itself).`
        : `${AGGREGATOR_NOTE} ${name}: it says what each region last sent, not whether its recorder is running or which types it records, so each region is a gap (AggregatorCoverageUnverified) unless --config-aggregator-trusted accepts its word; --config reads the recorders in the account itself.`,
    ],
  };
}
