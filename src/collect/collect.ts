import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import type { AwsClients } from '../aws/clients.js';
import { AwsFailure } from '../errors.js';
import { INVENTORY_FORMAT, type CallerIdentity, type Inventory } from '../model/inventory.js';
import { RESOURCE_TYPE_NAMES, RESOURCE_TYPES } from '../model/resource.js';
import { REGIONAL_SERVICES, type ProgressEvent, type RegionalService } from '../progress/events.js';
import { redact } from '../redact.js';
import { collectEc2 } from './ec2.js';
import { collectIam } from './iam.js';
import { joinResources } from './join.js';
import { collectLambda } from './lambda.js';
import { gapOf } from './listing.js';
import type { RegionalContext, RegionalResult } from './regional.js';
import { discoverRegions } from './regions.js';
import { collectTagged } from './tagging.js';

export const DEFAULT_CONCURRENCY = 8;

export interface CollectOptions {
  now: Date;
  log?: (message: string) => void;
  /** Only these regions (--regions); default: every region enabled in the account. */
  regions?: string[];
  /** Collectors running at once, IAM and every region x service alike. */
  concurrency?: number;
  onProgress?: (event: ProgressEvent) => void;
}

/** One collector per regional service: adding a service is one line here (and its name in REGIONAL_SERVICES). */
const REGIONAL: Record<RegionalService, (clients: AwsClients, ctx: RegionalContext) => Promise<RegionalResult>> = {
  ec2: (c, ctx) => collectEc2(c.ec2(ctx.region), ctx),
  lambda: (c, ctx) => collectLambda(c.lambda(ctx.region), ctx),
  tagging: (c, ctx) => collectTagged(c.tagging(ctx.region), ctx),
};

/** Who the credentials belong to. Without this nothing else is meaningful, so failure is fatal. */
export async function callerIdentity(clients: AwsClients): Promise<CallerIdentity> {
  try {
    const id = await clients.sts().send(new GetCallerIdentityCommand({}));
    if (!id.Account || !id.Arn || !id.UserId) throw new Error('GetCallerIdentity returned no account');
    return { account: id.Account, arn: id.Arn, userId: id.UserId };
  } catch (err) {
    const e = err as Error;
    throw new AwsFailure(`cannot identify the AWS account (sts:GetCallerIdentity): ${e.name}: ${redact(e.message)}`);
  }
}

/** A collector that threw (a bug: they return gaps) still yields a gap for every type of its service, never a crash or a silent hole. */
function thrown(service: RegionalService | 'iam', region: string, err: unknown): RegionalResult {
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
  const who = caller ?? (await callerIdentity(clients));
  log(`account ${who.account} as ${who.arn}`);
  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);

  type Result = RegionalResult & { notes?: string[] };
  const run = (scope: string, service: ProgressEvent['service'], collect: () => Promise<Result>) =>
    limit(async (): Promise<Result> => {
      emit({ scope, service, state: 'start' });
      const result = await collect().catch((err: unknown) => thrown(service, scope === 'iam' ? 'global' : scope, err));
      const first = result.gaps[0];
      emit({ scope, service, state: first ? 'failed' : 'done', resources: result.resources.length, ...(first ? { error: `${first.code}: ${first.message}` } : {}) });
      return result;
    });

  // IAM starts at once; the regions are listed meanwhile.
  const iam = run('iam', 'iam', () => collectIam(clients.iam(), { accountId: who.account, now: options.now, log }));
  const partition = who.arn.split(':')[1] ?? 'aws';
  const plan = await discoverRegions(clients.ec2(clients.options.region), options.regions, partition);
  const skipped = plan.skipped.filter((s) => s.reason === 'not-opted-in').length;
  log(`scanning ${plan.regions.length} region${plan.regions.length === 1 ? '' : 's'}${skipped ? ` (${skipped} not opted in)` : ''}`);
  const regional = plan.regions.flatMap((region) =>
    REGIONAL_SERVICES.map((service) => run(region, service, () => REGIONAL[service](clients, { accountId: who.account, region, now: options.now }))),
  );
  const results = await Promise.all([iam, ...regional]);
  const gaps = results.flatMap((r) => r.gaps);
  return {
    format: INVENTORY_FORMAT,
    accountId: who.account,
    caller: who,
    collectedAt: options.now.toISOString(),
    regions: ['global', ...plan.regions],
    skippedRegions: plan.skipped,
    resources: joinResources(results.flatMap((r) => r.resources), gaps),
    gaps,
    notes: [...(results[0]?.notes ?? []), ...plan.notes],
    apiCalls: clients.counter.snapshot(),
  };
}
