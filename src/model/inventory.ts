import type { Resource, ResourceType } from './resource.js';
import type { Spend } from './spend.js';

export const INVENTORY_FORMAT = 1;

/** Something that could not be collected. Rules that need it report `unknown`. */
export interface Gap {
  type: ResourceType;
  /** `global` for IAM. */
  region: string;
  /** The API operation that failed, e.g. `iam:GetAccountAuthorizationDetails`. */
  operation: string;
  /** Error name or code (`AccessDenied`, `Throttling`, `TimeoutError`). */
  code: string;
  message: string;
}

export interface SkippedRegion {
  region: string;
  reason: 'not-opted-in' | 'not-selected';
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface Inventory {
  format: typeof INVENTORY_FORMAT;
  accountId: string;
  caller: CallerIdentity;
  collectedAt: string;
  /** Regions scanned; `global` stands for the IAM endpoint. */
  regions: string[];
  /** Regions not scanned, and why: not opted in to the account, or left out with --regions. */
  skippedRegions?: SkippedRegion[];
  resources: Resource[];
  gaps: Gap[];
  /** Facts the reader should know about how complete or fresh the data is. */
  notes: string[];
  /** API calls made to build this inventory, by `service:Operation`. */
  apiCalls: Record<string, number>;
  /** With incident.since in the baseline (audit): the spend since then from Cost Explorer, or why it could not be read. */
  spend?: Spend;
}
