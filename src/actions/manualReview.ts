import { reviewInstructions } from '../plan/instructions.js';
import type { ActionDefinition } from './definition.js';

/** A review by hand of what rollcall cannot (or may not) fix, one reason a line. */
export const manualReview: ActionDefinition = {
  manual: true,
  reversible: false,
  destructive: false,
  targets: [],
  phase: 'manual',
  describe: (t) => `Review ${t.subject} by hand`,
  keep: [],
  plan: (p, v, r) => p.review(v, r),
  instructions: reviewInstructions,
};
