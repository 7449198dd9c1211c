import type { Gap } from '../model/inventory.js';
import type { Resource } from '../model/resource.js';

/** What a regional collector is told: where it runs, for whom, and when. */
export interface RegionalContext {
  accountId: string;
  region: string;
  now: Date;
}

/** A regional collector's answer. A failed call is a gap for the types it feeds, in this region; never a throw. */
export interface RegionalResult {
  resources: Resource[];
  gaps: Gap[];
}
