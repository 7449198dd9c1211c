/**
 * Every collector, by the name resource descriptors give as their `collector`
 * (model/resource-types/), with the types it yields. The registry test holds
 * the two together: each type is yielded by the collector its descriptor
 * names, and by no other.
 */
import type { RegionalContext } from '../answers/regional.js';
import type { AwsClients } from '../aws/clients.js';
import type { ResourceType } from '../model/resource.js';
import type { AccountWideService, RegionalService } from '../model/resource-types/index.js';
import { collectCloudTrail, type AccountWideContext } from './cloudtrail.js';
import { collectConfig } from './config.js';
import { collectEc2, collectSpotFleets } from './ec2.js';
import { IAM_TYPES } from './iam.js';
import { collectLambda } from './lambda.js';
import type { RegionalResult } from './regional.js';
import { collectTagged } from './tagging.js';

export type Collector = (clients: AwsClients, ctx: RegionalContext) => Promise<RegionalResult>;

/** The regional collectors, run in every scanned region (collect.ts says when). */
export const REGIONAL_COLLECTORS = {
  ec2: { types: ['ec2.instance', 'ec2.spotRequest'], collect: (c, ctx) => collectEc2(c.ec2(ctx.region), ctx) },
  'ec2.spotFleets': { types: ['ec2.spotFleetRequest'], collect: (c, ctx) => collectSpotFleets(c.ec2(ctx.region), ctx) },
  lambda: { types: ['lambda.function'], collect: (c, ctx) => collectLambda(c.lambda(ctx.region), ctx) },
  tagging: { types: ['tagged.resource'], collect: (c, ctx) => collectTagged(c.tagging(ctx.region), ctx) },
} as const satisfies Record<string, { types: readonly ResourceType[]; collect: Collector }>;

export type RegionalCollectorName = keyof typeof REGIONAL_COLLECTORS;

/**
 * Each regional service's collectors: those that need nothing run at once;
 * `afterRoles` ones wait for the IAM roles and run only where the gate says a
 * resource can exist. The compiler asks for an entry for every regional
 * service of the resource-type registry.
 */
export const REGIONAL: Record<RegionalService, { now: RegionalCollectorName[]; afterRoles?: { gate: 'spotFleets'; collector: RegionalCollectorName } }> = {
  ec2: { now: ['ec2'], afterRoles: { gate: 'spotFleets', collector: 'ec2.spotFleets' } },
  lambda: { now: ['lambda'] },
  tagging: { now: ['tagging'] },
};

export type AccountCollector = (clients: AwsClients, ctx: AccountWideContext) => Promise<RegionalResult & { notes?: string[] }>;

/**
 * The account-wide collectors, run once per scan when the regions are known:
 * one per account-wide service of the resource-type registry (the compiler asks).
 */
export const ACCOUNT_COLLECTORS: Record<AccountWideService, { types: readonly ResourceType[]; collect: AccountCollector }> = {
  cloudtrail: { types: ['cloudtrail.trail', 'account.cloudtrail'], collect: (c, ctx) => collectCloudTrail((region) => c.cloudtrail(region), ctx) },
  // Only when asked (ctx.config): collect.ts does not run it otherwise.
  config: {
    types: ['config.resource', 'config.resourceType'],
    collect: (c, ctx) => (ctx.config ? collectConfig((region) => c.config(region), ctx, ctx.config, c.counter) : Promise.resolve({ resources: [], gaps: [] })),
  },
};

/** The types each collector yields: IAM's (one global collector, collect/iam.ts), the regional ones' and the account-wide ones'. */
export const COLLECTOR_TYPES: Record<'iam' | RegionalCollectorName | AccountWideService, readonly ResourceType[]> = {
  iam: IAM_TYPES,
  ec2: REGIONAL_COLLECTORS.ec2.types,
  'ec2.spotFleets': REGIONAL_COLLECTORS['ec2.spotFleets'].types,
  lambda: REGIONAL_COLLECTORS.lambda.types,
  tagging: REGIONAL_COLLECTORS.tagging.types,
  cloudtrail: ACCOUNT_COLLECTORS.cloudtrail.types,
  config: ACCOUNT_COLLECTORS.config.types,
};
