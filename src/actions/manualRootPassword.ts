import { ROOT_INSTRUCTIONS } from '../plan/instructions.js';
import type { ActionDefinition } from './definition.js';

/** Changing the root user's password: only the root user can. */
export const manualRootPassword: ActionDefinition = {
  manual: true,
  reversible: false,
  destructive: false,
  targets: ['account.root'],
  phase: 'manual',
  describe: () => "Change the root user's password (by hand)",
  keep: [],
  plan: (p, v) => p.onRoot('manualRootPassword', v, ROOT_INSTRUCTIONS.manualRootPassword),
  instructions: ROOT_INSTRUCTIONS.manualRootPassword,
};
