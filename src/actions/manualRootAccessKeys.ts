import { ROOT_INSTRUCTIONS } from '../plan/instructions.js';
import type { ActionDefinition } from './definition.js';

/** Deleting the root user's access keys: only the root user can. */
export const manualRootAccessKeys: ActionDefinition = {
  manual: true,
  reversible: false,
  destructive: false,
  targets: ['account.root'],
  phase: 'manual',
  describe: () => "Delete the root user's access keys (by hand)",
  keep: [],
  expect: () => ({ accessKeysPresent: true }),
  plan: (p, v) => p.onRoot('manualRootAccessKeys', v, ROOT_INSTRUCTIONS.manualRootAccessKeys),
  instructions: ROOT_INSTRUCTIONS.manualRootAccessKeys,
};
