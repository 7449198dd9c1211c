import type { SelectableType } from './resource-types/index.js';

/** The declared truth for one account. `schemas/baseline.schema.json` is the authority. */
export interface Baseline {
  version: 1;
  account: { id: string; alias?: string };
  regions?: { allowed: string[] };
  root?: { mfa?: 'required' | 'optional'; accessKeys?: 'forbidden' | 'allowed' };
  cloudtrail?: BaselineCloudTrail;
  iam?: {
    users?: BaselineUser[];
    roles?: BaselineRole[];
    groups?: BaselineGroup[];
    policies?: BaselinePolicy[];
  };
  /** Regional resources expected, per type: selectors, so fleets whose ids change can be declared. */
  resources?: Partial<Record<SelectableType, ResourceSelector[]>>;
  exceptions?: BaselineException[];
  incident?: BaselineIncident;
  /** What the account is expected to spend on: the services an audit's spend evidence does not flag (report/spend.ts). */
  spend?: BaselineSpend;
}

export interface BaselineSpend {
  /**
   * Cost Explorer SERVICE names (as the Bills page shows them, e.g. `Amazon
   * Simple Storage Service`; `*` matches any run of characters), expected on
   * top of those of the resource types the baseline declares (model/spend-services.ts).
   */
  expectedServices?: string[];
}

/** The types declared by selectors under `resources`: those whose descriptor says `baseline: 'resources'`. */
export { SELECTABLE_TYPES, type SelectableType } from './resource-types/index.js';

/**
 * Matches resources of one type. Every field given must match; a selector
 * with none matches nothing. The first selector a resource matches claims it.
 */
export interface ResourceSelector {
  /** Exact resource id: `i-0123456789abcdef0`, `sir-abc123`, a function name; `<Config type>/<resource id>` for config.resource. */
  id?: string;
  /** config.resource only (its schema requires it): the Config type, `*` matches any run of characters (`AWS::SageMaker::*`). */
  configType?: string;
  /** Glob on the name (the `Name` tag for EC2, the function name for Lambda). */
  name?: string;
  /** Exact region or `*` (the default). */
  region?: string;
  /** Every tag listed must be present; values may be globs. */
  tags?: Record<string, string>;
  /** At most this many resources may match. */
  max?: number;
  /** Why this is expected: shown in reports. */
  description?: string;
}

/** What the account's CloudTrail must do. Trails themselves are declared under `resources` (`cloudtrail.trail`). */
export interface BaselineCloudTrail {
  /** `required`: some multi-region trail must be logging every management event (read and write). Default `optional`. */
  multiRegionLogging?: 'required' | 'optional';
}

export interface BaselineAccessKey {
  id: string;
  /** Rotation limit for this key; the hygiene rule defaults to 90 days. */
  maxAgeDays?: number;
}

/**
 * Keys declared by how many, not by id, so a scheduled rotation needs no
 * baseline change. The user must have exactly `count` keys (active or not):
 * its active keys first, then the oldest, are accepted; any key beyond them is
 * reported, and so is a user with fewer keys, since a free slot would let a new
 * key, an intruder's too, pass unnoticed.
 */
export interface AccessKeyCountPolicy {
  /** The number of keys the user has (AWS allows two). */
  count: number;
  /** Rotation limit for each key; the hygiene rule defaults to 90 days. */
  maxAgeDays?: number;
}

export interface BaselineUser {
  name: string;
  /** Whether the user may have a console password. Default false. */
  console?: boolean;
  /** Its keys by id, or by count and age. */
  accessKeys?: BaselineAccessKey[] | AccessKeyCountPolicy;
  /** Managed policies attached directly: ARNs, or names of customer policies. */
  policies?: string[];
  inlinePolicies?: string[];
  groups?: string[];
}

/** The keys a user declares by id (none for a count policy). */
export function declaredKeys(user: BaselineUser): BaselineAccessKey[] {
  return Array.isArray(user.accessKeys) ? user.accessKeys : [];
}

/** The user's count policy, if it declares its keys by count. */
export function keyCountPolicy(user: BaselineUser): AccessKeyCountPolicy | undefined {
  return user.accessKeys !== undefined && !Array.isArray(user.accessKeys) ? user.accessKeys : undefined;
}

export interface BaselineRole {
  /** Exact name, or a glob with `*` (e.g. `AWSServiceRoleFor*`). */
  name: string;
  /** Principals the trust policy may name: ARNs, account ids, service or federated principals. */
  trustedPrincipals?: string[];
  policies?: string[];
  inlinePolicies?: string[];
}

export interface BaselineGroup {
  name: string;
  policies?: string[];
  inlinePolicies?: string[];
}

export interface BaselinePolicy {
  name: string;
}

export interface BaselineException {
  rule: string;
  /** A violation subject, `*` matches any run of characters (`user/legacy-*`). */
  subject: string;
  reason: string;
  /** ISO date (`2027-01-31`) or date-time; the exception ends at the start of that day. */
  expires: string;
  /** Org mode: the baselines file it came from (the defaults or the account's own), set when merged; never read from YAML. */
  source?: string;
}

export interface BaselineIncident {
  exposedKeys?: string[];
  since?: string;
  until?: string;
  /** Users AWS's notice says it quarantined: while the incident is open, each must keep an AWS quarantine policy (model/aws-quarantine.ts). */
  awsQuarantined?: string[];
  /** Days an exposed key stays deactivated, unused, before it may be deleted. */
  graceDays?: number;
}
