/**
 * The CloudTrail collector, run once per scan: the account's trails and what
 * they add up to (`account.cloudtrail`).
 *
 * The fewest calls that are correct: ListTrails, asked once, names every
 * trail of the account in every region with its home region (an organization
 * trail too); DescribeTrails, once per home region with the ARNs homed there,
 * says which are multi-region; then GetTrailStatus and GetEventSelectors for
 * each trail that can log a scanned region (homed in one, or multi-region),
 * in its home region. That is `ceil(T/page) + H + 2T'` calls, where H is the
 * number of regions trails are homed in (usually one). Asking DescribeTrails
 * in every scanned region instead would cost R calls where this costs H, and
 * would miss a multi-region trail homed in a region `--regions` left out.
 *
 * Any failure is a gap, never a throw: a failed ListTrails blinds every
 * trail rule (a gap in `global`), a failed DescribeTrails or per-trail read
 * the trails of that home region; and any gap leaves out the account's
 * summary (its own gap, in `global`), so a rule on it is unknown rather than
 * judged on some of the trails. A trail deleted between the calls is left
 * out, as gone.
 */
import { paginateListTrails, type CloudTrailClient, type TrailInfo } from '@aws-sdk/client-cloudtrail';
import { cloudTrailAccount, describeTrails, readTrailState } from '../answers/cloudtrail.js';
import { operationOf } from '../aws/call-kind.js';
import type { Gap } from '../model/inventory.js';
import type { ConfigSource } from './config.js';
import type { Resource } from '../model/resource.js';
import { gapOf } from './listing.js';
import type { RegionalResult } from './regional.js';

/** What an account-wide collector is told: the account, the regions scanned, and where to ask account-wide lists. */
export interface AccountWideContext {
  accountId: string;
  now: Date;
  /** The regions scanned. */
  regions: readonly string[];
  /** The region account-wide lists are asked in (the client's default region). */
  region: string;
  /** Where AWS Config is read (--config, --config-aggregator: collect/config.ts); absent, it is not. */
  config?: ConfigSource;
}

const byId = (a: Resource, b: Resource) => (a.region < b.region ? -1 : a.region > b.region ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export async function collectCloudTrail(cloudtrail: (region: string) => CloudTrailClient, ctx: AccountWideContext): Promise<RegionalResult> {
  const gaps: Gap[] = [];
  const summaryGap = (operation: string, err: unknown) => gapOf('account.cloudtrail', 'global', operation, err);

  const listed: TrailInfo[] = [];
  try {
    for await (const page of paginateListTrails({ client: cloudtrail(ctx.region) }, {})) listed.push(...(page.Trails ?? []));
  } catch (err) {
    return { resources: [], gaps: [gapOf('cloudtrail.trail', 'global', 'cloudtrail:ListTrails', err), summaryGap('cloudtrail:ListTrails', err)] };
  }

  const homes = new Map<string, string[]>();
  for (const t of listed) {
    if (!t.TrailARN || !t.HomeRegion) continue;
    const arns = homes.get(t.HomeRegion) ?? [];
    if (!arns.includes(t.TrailARN)) arns.push(t.TrailARN);
    homes.set(t.HomeRegion, arns);
  }

  const scanned = new Set(ctx.regions);
  const perHome = await Promise.all(
    [...homes].map(async ([home, arns]): Promise<Resource[]> => {
      const client = cloudtrail(home);
      let trails;
      try {
        trails = await describeTrails(client, arns);
      } catch (err) {
        gaps.push(gapOf('cloudtrail.trail', home, 'cloudtrail:DescribeTrails', err), summaryGap('cloudtrail:DescribeTrails', err));
        return [];
      }
      // A single-region trail of a region not scanned logs nothing the scan covers.
      const relevant = trails.filter((t) => t.IsMultiRegionTrail === true || scanned.has(home));
      const read = await Promise.all(
        relevant.map((t) =>
          readTrailState(client, ctx.accountId, { ...t, HomeRegion: t.HomeRegion ?? home }).catch((err: unknown) => {
            const operation = `cloudtrail:${operationOf(err) ?? 'GetTrailStatus'}`;
            gaps.push(gapOf('cloudtrail.trail', home, operation, err), summaryGap(operation, err));
            return null;
          }),
        ),
      );
      // A region with a gap yields nothing: its list would look complete.
      return gaps.some((g) => g.type === 'cloudtrail.trail' && g.region === home) ? [] : read.filter((r): r is Resource => r != null);
    }),
  );

  const unique = [...new Map(gaps.map((g) => [`${g.type}|${g.region}|${g.operation}`, g])).values()];
  const trails = perHome.flat().sort(byId);
  return { resources: unique.length === 0 ? [...trails, cloudTrailAccount(ctx.accountId, trails)] : trails, gaps: unique };
}
