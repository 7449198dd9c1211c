/**
 * The registry of resource types: one descriptor each (./<type>.ts). Its order
 * is the order of the schemas' enums and of a collector's resources.
 * Adding a type: its props interface, its descriptor file and one line here;
 * the compiler then asks engine/declarations.ts how a baseline declares it
 * (unless selectors do) and the registry tests ask for its collector and the
 * schemas' enums.
 */
import { accountCloudtrail } from './account-cloudtrail.js';
import { accountRoot } from './account-root.js';
import { cloudtrailTrail } from './cloudtrail-trail.js';
import { configResourceType } from './config-resource-type.js';
import { configResource } from './config-resource.js';
import type { ResourceDescriptor } from './descriptor.js';
import { ec2Instance } from './ec2-instance.js';
import { ec2SpotFleetRequest } from './ec2-spot-fleet-request.js';
import { ec2SpotRequest } from './ec2-spot-request.js';
import { iamAccessKey } from './iam-access-key.js';
import { iamGroupMembership } from './iam-group-membership.js';
import { iamGroup } from './iam-group.js';
import { iamInlinePolicy } from './iam-inline-policy.js';
import { iamLoginProfile } from './iam-login-profile.js';
import { iamPolicyAttachment } from './iam-policy-attachment.js';
import { iamPolicy } from './iam-policy.js';
import { iamRole } from './iam-role.js';
import { iamUser } from './iam-user.js';
import { lambdaFunction } from './lambda-function.js';
import { taggedResource } from './tagged-resource.js';

export const RESOURCE_TYPES = {
  'account.root': accountRoot,
  'iam.user': iamUser,
  'iam.accessKey': iamAccessKey,
  'iam.loginProfile': iamLoginProfile,
  'iam.role': iamRole,
  'iam.group': iamGroup,
  'iam.policy': iamPolicy,
  'iam.policyAttachment': iamPolicyAttachment,
  'iam.inlinePolicy': iamInlinePolicy,
  'iam.groupMembership': iamGroupMembership,
  'ec2.instance': ec2Instance,
  'ec2.spotRequest': ec2SpotRequest,
  'ec2.spotFleetRequest': ec2SpotFleetRequest,
  'lambda.function': lambdaFunction,
  'tagged.resource': taggedResource,
  'cloudtrail.trail': cloudtrailTrail,
  'account.cloudtrail': accountCloudtrail,
  'config.resource': configResource,
  'config.resourceType': configResourceType,
} as const satisfies Record<string, ResourceDescriptor>;

export type ResourceTypes = typeof RESOURCE_TYPES;
export type ResourceType = keyof ResourceTypes;
export const RESOURCE_TYPE_NAMES = Object.keys(RESOURCE_TYPES) as ResourceType[];

/** The types a given collector yields, by the registry. */
export type TypeOfCollector<C extends string> = { [K in ResourceType]: ResourceTypes[K]['collector'] extends C ? K : never }[ResourceType];

/** The types a baseline declares by selectors under `resources`. */
export type SelectableType = { [K in ResourceType]: ResourceTypes[K]['baseline'] extends 'resources' ? K : never }[ResourceType];
export const SELECTABLE_TYPES = RESOURCE_TYPE_NAMES.filter((t): t is SelectableType => RESOURCE_TYPES[t].baseline === 'resources');

/** Whether a type's collector runs once for the account (its descriptor says `accountWide`). */
const isAccountWide = (t: ResourceType): boolean => 'accountWide' in RESOURCE_TYPES[t] && (RESOURCE_TYPES[t] as { accountWide?: boolean }).accountWide === true;

/** A service whose types are regional and listed region by region: collected in every scanned region. */
export type RegionalService = {
  [K in ResourceType]: ResourceTypes[K]['global'] extends false ? (ResourceTypes[K] extends { accountWide: true } ? never : ResourceTypes[K]['service']) : never;
}[ResourceType];

/** A service listed once for the account whose resources live in regions (CloudTrail). */
export type AccountWideService = { [K in ResourceType]: ResourceTypes[K] extends { accountWide: true } ? ResourceTypes[K]['service'] : never }[ResourceType];

/** The registry's regional services, in its order. */
export const REGIONAL_SERVICE_NAMES: readonly RegionalService[] = [
  ...new Set(RESOURCE_TYPE_NAMES.flatMap((t) => (RESOURCE_TYPES[t].global || isAccountWide(t) ? [] : [RESOURCE_TYPES[t].service as RegionalService]))),
];

/** The registry's account-wide services, in its order. */
export const ACCOUNT_WIDE_SERVICE_NAMES: readonly AccountWideService[] = [
  ...new Set(RESOURCE_TYPE_NAMES.flatMap((t) => (isAccountWide(t) ? [RESOURCE_TYPES[t].service as AccountWideService] : []))),
];
