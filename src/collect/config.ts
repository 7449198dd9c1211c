/**
 * AWS Config as an inventory source, read once per scan when asked
 * (--config: the account's own recorders; --config-aggregator NAME: an
 * aggregator, see config-aggregator.ts): every resource Config records, as
 * `config.resource`, untagged ones and types rollcall has no collector for
 * included, and one `config.resourceType` per type no collector lists.
 *
 * The fewest calls: in each scanned region, DescribeConfigurationRecorders
 * (is there a recorder, and what does its recording group leave out), then,
 * where there is one, DescribeConfigurationRecorderStatus (is it recording)
 * and the advanced query SelectResourceConfig, 100 resources a page (its
 * maximum), through NextToken: `R + sum over recorded regions of
 * (1 + max(1, ceil(N_r/100)))`. ListDiscoveredResources would need one call
 * per resource type per region (some 400 types, so thousands of calls), and
 * carries no tags.
 *
 * Coverage is checked, never assumed: a region with no recorder, a recorder
 * that is not recording or whose last recording failed, or one whose recording group leaves types out is a
 * gap for config.resource there (rules on Config's resources are unknown
 * there, and the rule on undeclared types everywhere). A query that fails
 * is a gap, and drops that region's earlier pages: a partial list must not
 * look whole.
 */
import {
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  paginateSelectResourceConfig,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import { ACCOUNT_QUERY, CONFIG_PAGE_SIZE, configResourceOf, configTypesOf, recorderCoverage, withRegionPresence } from '../answers/config.js';
import { operationOf } from '../aws/call-kind.js';
import type { CallCounter } from '../aws/call-counter.js';
import type { Baseline } from '../model/baseline.js';
import type { Gap, Inventory } from '../model/inventory.js';
import type { Resource } from '../model/resource.js';
import type { AccountWideContext } from './cloudtrail.js';
import { AGGREGATOR_NOTE, collectAggregated, type SharedAggregator } from './config-aggregator.js';
import { boundedPages } from './config-pages.js';
import { gapOf } from './listing.js';
import type { RegionalResult } from './regional.js';

/**
 * Where AWS Config is read: the account's own recorders, region by region, or
 * an aggregator (in the run's region), asked for this account. `shared`: an
 * org run's aggregator, read once with the run's own client (never the
 * account's role) and queried for each account through it.
 */
export type ConfigSource = { kind: 'account' } | { kind: 'aggregator'; name: string; trusted?: boolean; shared?: SharedAggregator };

/** One region's resources, at 100 a page: 20,000 pages is 2 million resources in one region, past any account; more is a fault of the service. */
const MAX_PAGES = 20_000;

/** One region's recorder and resources: the resources, and the gap that makes them incomplete (or why they could not be read). */
export async function collectConfigRegion(config: ConfigServiceClient, accountId: string, region: string): Promise<RegionalResult> {
  const gap = (operation: string, err: unknown): Gap => gapOf('config.resource', region, operation, err);
  let coverage;
  try {
    const { ConfigurationRecorders: recorders = [] } = await config.send(new DescribeConfigurationRecordersCommand({}));
    const statuses = recorders.length === 0 ? [] : ((await config.send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus ?? []);
    coverage = recorderCoverage(region, recorders, statuses);
  } catch (err) {
    // Without the recorder's state, nothing Config says there can be trusted as complete: no query.
    return { resources: [], gaps: [gap(`config:${operationOf(err) ?? 'DescribeConfigurationRecorders'}`, err)] };
  }
  const operation = coverage?.code === 'ConfigurationRecorderStopped' || coverage?.code === 'ConfigRecorderFailing' ? 'config:DescribeConfigurationRecorderStatus' : 'config:DescribeConfigurationRecorders';
  const gaps: Gap[] = coverage ? [{ type: 'config.resource', region, operation, code: coverage.code, message: coverage.message }] : [];
  if (coverage?.code === 'NoConfigurationRecorder') return { resources: [], gaps };
  const found = new Map<string, Resource>();
  try {
    const pager = paginateSelectResourceConfig({ client: config, pageSize: CONFIG_PAGE_SIZE, stopOnSameToken: true }, { Expression: ACCOUNT_QUERY, Limit: CONFIG_PAGE_SIZE });
    for await (const page of boundedPages(pager, MAX_PAGES, 'SelectResourceConfig')) {
      for (const row of page.Results ?? []) {
        const r = configResourceOf(row, 'recorder', { accountId, region });
        // The account's own recorder answers for its region (and IAM's global types): anything else is not this scan's.
        if (r && r.accountId === accountId && (r.region === region || r.region === 'global')) found.set(`${r.region}|${r.id}`, r);
      }
    }
  } catch (err) {
    return { resources: [], gaps: [...gaps, gap('config:SelectResourceConfig', err)] };
  }
  return { resources: [...found.values()], gaps };
}

const order = (a: Resource, b: Resource) => (a.region < b.region ? -1 : a.region > b.region ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Config's resources of the account in the scanned regions, with the types
 * they add up to. IAM's global types may come from several regions' recorders:
 * one record each. `counter`: the account's, fed the queries a shared
 * aggregator's client makes for it.
 */
export async function collectConfig(config: (region: string) => ConfigServiceClient, ctx: AccountWideContext, source: ConfigSource, counter?: CallCounter): Promise<RegionalResult & { notes: string[] }> {
  if (source.kind === 'aggregator') {
    const { shared } = source;
    const read = await collectAggregated(shared ? shared.client : config(ctx.region), source.name, {
      account: ctx.accountId,
      regions: ctx.regions,
      ...(source.trusted ? { trusted: true } : {}),
      // The run's client counts its own calls; the account's inventory counts the queries made for it.
      ...(shared ? { view: shared.view, member: shared.member, ...(counter ? { counter } : {}) } : {}),
    });
    return { ...withTypes(ctx, read.resources, read.gaps), notes: read.notes };
  }
  const results = await Promise.all(ctx.regions.map((region) => collectConfigRegion(config(region), ctx.accountId, region)));
  const unique = new Map<string, Resource>();
  for (const r of results.flatMap((x) => x.resources)) if (!unique.has(`${r.region}|${r.id}`)) unique.set(`${r.region}|${r.id}`, r);
  return { ...withTypes(ctx, [...unique.values()], results.flatMap((x) => x.gaps)), notes: [] };
}

/**
 * The resources, sorted, marked with whether their type is in every region
 * read in full (the scanned regions without a gap for config.resource), with
 * their types' summaries; a gap for config.resource is one for the types too
 * (the rule on them needs every region).
 */
function withTypes(ctx: AccountWideContext, resources: Resource[], gaps: Gap[]): RegionalResult {
  const blind = new Set(gaps.filter((g) => g.type === 'config.resource').map((g) => g.region));
  const read = blind.has('global') ? [] : ctx.regions.filter((r) => !blind.has(r));
  const sorted = withRegionPresence([...resources].sort(order), read);
  return { resources: [...sorted, ...configTypesOf(sorted, ctx.accountId)], gaps };
}

export { configRead, withConfigUnread } from './config-read.js';
