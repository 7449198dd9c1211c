import { ROOT_INSTRUCTIONS } from '../plan/instructions.js';
import type { ActionDefinition } from './definition.js';

/** Enabling MFA on the root user: only the root user can. */
export const manualRootMfa: ActionDefinition = {
  manual: true,
  reversible: false,
  destructive: false,
  targets: ['account.root'],
  phase: 'manual',
  describe: () => 'Enable MFA on the root user (by hand)',
  keep: [],
  expect: () => ({ mfaEnabled: false }),
  plan: (p, v) => p.onRoot('manualRootMfa', v, ROOT_INSTRUCTIONS.manualRootMfa),
  instructions: ROOT_INSTRUCTIONS.manualRootMfa,
};
