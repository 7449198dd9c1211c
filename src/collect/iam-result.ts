import type { Gap } from '../model/inventory.js';
import type { Resource } from '../model/resource.js';

/** The IAM collector's answer (made by its Sink): what it read, a gap for each type it could not, and notes for the log. Types only, so that iam.ts and iam-sink.ts need not import each other. */
export interface CollectorResult {
  resources: Resource[];
  gaps: Gap[];
  notes: string[];
}
