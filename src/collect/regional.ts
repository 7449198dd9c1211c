import type { Gap } from '../model/inventory.js';
import type { Resource } from '../model/resource.js';

/** A regional collector's answer. A failed call is a gap for the types it feeds, in this region; never a throw. */
export interface RegionalResult {
  resources: Resource[];
  gaps: Gap[];
}
