/** What the baseline declares, as the engine matches it: types only, so that declarations.ts and selectors.ts share them without importing each other. */
import type { Resource } from '../model/resource.js';

/** One thing the baseline declares: matched by resources, or missing when none matches. */
export interface Declared {
  subject: string;
  /** The resource id the entry names (a name, a glob, `user/alice/arn:...`, a selector's id, name or tags): its subject is `subjectOf(type, id, region)`. */
  id: string;
  region: string;
  /** What rules see as `declared.*`. */
  data: Record<string, unknown>;
  /** False for globs and selectors: they may match nothing without anything being missing. */
  concrete: boolean;
}

export interface Declarations {
  entries: Declared[];
  match(resource: Resource): Declared | undefined;
}
