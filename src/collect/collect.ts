import pLimit from 'p-limit';
import { callerIdentity } from '../answers/caller-identity.js';
import type { AwsClients } from '../aws/clients.js';
import { parseCallerArn } from '../model/caller.js';
import { INVENTORY_FORMAT, type CallerIdentity, type Inventory } from '../model/inventory.js';
import { RESOURCE_TYPE_NAMES, RESOURCE_TYPES, type ResourceType } from '../model/resource.js';
import { ACCOUNT_WIDE_SERVICES, isAccountScope, REGIONAL_SERVICES, type AccountWideService, type ProgressEvent, type RegionalService } from '../progress/events.js';
import { ACCOUNT_COLLECTORS, COLLECTOR_TYPES, REGIONAL, REGIONAL_COLLECTORS } from './collectors.js';
import { COLLECT_CONCURRENCY } from './concurrency.js';
import type { RoleTrust } from './iam-entities.js';
import { collectIam } from './iam.js';
import type { ConfigSource } from './config.js';
import { joinConfig, ranKey } from './config-join.js';
import { joinResources } from './join.js';
import { gapOf } from './listing.js';
import type { RegionalContext } from '../answers/regional.js';
import type { RegionalResult } from './regional.js';
import { discoverRegions } from './regions.js';
import { spotFleetGate } from './spot-fleet-gate.js';
import { collectSpend, spendFailed, type SpendContext } from './spend.js';

export interface CollectOptions {
  now: Date;
  log?: (message: string) => void;
  /** Only these regions (--regions); default: every region enabled in the account. */
  regions?: string[];
  /** Collectors running at once, IAM and every region x service alike. */
  concurrency?: number;
  onProgress?: (event: ProgressEvent) => void;
  /** Read the spend over this window from Cost Explorer (audit does, when the baseline sets incident.since): collect/spend.ts. */
  spend?: SpendContext;
  /** Read AWS Config too (--config, --config-aggregator): collect/config.ts. Without it, no Config call is made. */
  config?: ConfigSource;
}

/** A collector that threw (a bug: they return gaps) still yields a gap for every type of its service, never a crash or a silent hole. */
function thrown(service: RegionalService | AccountWideService | 'iam', region: string, err: unknown): RegionalResult {
  const types = RESOURCE_TYPE_NAMES.filter((t) => RESOURCE_TYPES[t].service === service);
  return { resources: [], gaps: types.map((t) => gapOf(t, region, `${service}:collect`, err)) };
}

/**
 * Builds the live inventory: the caller, the regions to scan, then IAM and every
 * region x service under one bounded concurrency, then the join (tags, roles,
 * duplicates). Collectors turn failures into gaps.
 */
export async function collectInventory(clients: AwsClients, options: CollectOptions, caller?: CallerIdentity): Promise<Inventory> {
  const log = options.log ?? (() => {});
  const emit = options.onProgress ?? (() => {});
  const started = performance.now();
  const who = caller ?? (await callerIdentity(clients));
  log(`account ${who.account} as ${who.arn}`);
  const limit = pLimit(options.concurrency ?? COLLECT_CONCURRENCY);

  type Result = RegionalResult & { notes?: string[] };
  /**
   * One service in one scope, whose parts each take a slot only when they can
   * run (a part may wait for a gate first, holding no slot): progress starts
   * with its first part and ends with its last.
   */
  const run = async (scope: string, service: ProgressEvent['service'], parts: Promise<(() => Promise<Result>) | null>[]): Promise<Result> => {
    let begun = false;
    const results = await Promise.all(
      parts.map(async (part) => {
        const collect = await part;
        if (!collect) return { resources: [], gaps: [] } as Result;
        return limit(async (): Promise<Result> => {
          if (!begun) emit({ scope, service, state: 'start' });
          begun = true;
          return collect().catch((err: unknown) => thrown(service, isAccountScope(scope) ? 'global' : scope, err));
        });
      }),
    );
    const result: Result = { resources: results.flatMap((r) => r.resources), gaps: results.flatMap((r) => r.gaps), notes: results.flatMap((r) => r.notes ?? []) };
    const first = result.gaps[0];
    emit({ scope, service, state: first ? 'failed' : 'done', resources: result.resources.length, ...(first ? { error: `${first.code}: ${first.message}` } : {}) });
    return result;
  };

  // Collectors that wait for the IAM roles; settled by then at the latest, whatever IAM did.
  let rolesKnown!: (roles: RoleTrust[] | null) => void;
  const roles = new Promise<RoleTrust[] | null>((resolve) => (rolesKnown = resolve));
  const gates = { spotFleets: roles.then(spotFleetGate) };
  const partition = parseCallerArn(who.arn)?.partition ?? 'aws';
  const events = { cloudtrail: (region: string) => clients.cloudtrail(region), partition };
  const collectingIam = () => collectIam(clients.iam(), { accountId: who.account, now: options.now, log, onRoles: rolesKnown, events }).finally(() => rolesKnown(null));

  // IAM starts at once; the regions are listed meanwhile.
  const iam = run('iam', 'iam', [Promise.resolve(collectingIam)]);
  // Evidence beside the rest, never waited on by it: one call on most accounts (collect/spend.ts).
  const spending = options.spend
    ? collectSpend(clients.costExplorer(partition === 'aws-cn' ? 'cn-northwest-1' : 'us-east-1'), options.spend).catch((err: unknown) => spendFailed(options.spend!, err))
    : undefined;
  const plan = await discoverRegions(clients.ec2(clients.options.region), options.regions, partition).catch((err: unknown) => {
    rolesKnown(null);
    throw err;
  });
  const skipped = plan.skipped.filter((s) => s.reason === 'not-opted-in').length;
  log(`scanning ${plan.regions.length} region${plan.regions.length === 1 ? '' : 's'}${skipped ? ` (${skipped} not opted in)` : ''}`);
  // The (type, region) pairs a collector ran for: where a gate skipped one, Config's record of its resources is all there is (collect/config-join.ts).
  const ran = new Set<string>();
  const running = (types: readonly ResourceType[], regions: readonly string[]) => types.forEach((t) => regions.forEach((r) => ran.add(ranKey(t, r))));
  running(COLLECTOR_TYPES.iam, ['global']);
  running(COLLECTOR_TYPES.cloudtrail, ['global', ...plan.regions]);
  const regional = plan.regions.flatMap((region) =>
    REGIONAL_SERVICES.map((service) => {
      const ctx: RegionalContext = { accountId: who.account, region, now: options.now };
      const { now, afterRoles } = REGIONAL[service];
      now.forEach((name) => running(REGIONAL_COLLECTORS[name].types, [region]));
      const parts: Promise<(() => Promise<Result>) | null>[] = now.map((name) => Promise.resolve(() => REGIONAL_COLLECTORS[name].collect(clients, ctx)));
      if (afterRoles) {
        parts.push(
          gates[afterRoles.gate].then((g) => {
            if (!g.list) return null;
            running(REGIONAL_COLLECTORS[afterRoles.collector].types, [region]);
            return () => REGIONAL_COLLECTORS[afterRoles.collector].collect(clients, ctx);
          }),
        );
      }
      return run(region, service, parts);
    }),
  );
  // Account-wide services (CloudTrail; AWS Config when asked) once, over the regions scanned.
  const config = options.config;
  const accountWide = ACCOUNT_WIDE_SERVICES.filter((service) => service !== 'config' || config).map((service) =>
    run(service, service, [
      Promise.resolve(() =>
        ACCOUNT_COLLECTORS[service].collect(clients, { accountId: who.account, now: options.now, regions: plan.regions, region: clients.options.region, ...(config ? { config } : {}) }),
      ),
    ]),
  );
  const gateNotes = plan.regions.length ? [await gates.spotFleets].flatMap((g) => (g.list ? [] : [g.note])) : [];
  const results = await Promise.all([iam, ...regional, ...accountWide]);
  const spend = await spending;
  const gaps = results.flatMap((r) => r.gaps);
  const scopes = `IAM and ${plan.regions.length} region${plan.regions.length === 1 ? '' : 's'}`;
  log(`collected ${scopes} in ${((performance.now() - started) / 1000).toFixed(2)} s with ${clients.counter.total} API calls`);
  return {
    format: INVENTORY_FORMAT,
    accountId: who.account,
    caller: who,
    collectedAt: options.now.toISOString(),
    regions: ['global', ...plan.regions],
    skippedRegions: plan.skipped,
    resources: joinConfig(joinResources(results.flatMap((r) => r.resources), gaps), gaps, ran),
    gaps,
    notes: [...results.flatMap((r) => r.notes ?? []), ...gateNotes, ...plan.notes],
    apiCalls: clients.counter.snapshot(),
    ...(spend ? { spend } : {}),
  };
}
