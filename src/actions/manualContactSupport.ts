import { supportInstructions } from '../plan/instructions.js';
import type { ActionDefinition } from './definition.js';

/** Telling AWS Support about the compromise, with the text to send: one step for every critical finding. */
export const manualContactSupport: ActionDefinition = {
  manual: true,
  reversible: false,
  destructive: false,
  targets: [],
  phase: 'manual',
  describe: () => 'Contact AWS Support about the compromise (by hand, with the text below)',
  keep: [],
  plan: (p, v) => p.reportToSupport(v),
  instructions: supportInstructions,
};
