import { switchInstructions } from '../plan/instructions.js';
import type { ActionDefinition } from './definition.js';

/** Switching the applications of a rotated key to its replacement: by hand, as the rotation workflow's instructions say. */
export const manualSwitchCredentials: ActionDefinition = {
  manual: true,
  reversible: false,
  destructive: false,
  targets: ['iam.accessKey'],
  phase: 'contain',
  describe: (t) =>
    t.ref.blockedBy !== undefined
      ? `Switch every application that uses access key ${t.id} (user ${t.ref.user}) to a replacement key: none can be made while ${t.ref.blockedBy.includes(',') ? `access keys ${t.ref.blockedBy.split(',').join(' and ')} take` : `access key ${t.ref.blockedBy} takes`} its slot`
      : `Switch every application that uses access key ${t.id} (user ${t.ref.user}) to ${t.ref.replacement === undefined ? 'another key' : `the replacement key${t.ref.replacement.startsWith('new:') ? '' : ` ${t.ref.replacement}`}`}`,
  keep: ['user'],
  plan: (p, v, r) => p.rotation('manualSwitchCredentials', v, r),
  instructions: switchInstructions,
};
