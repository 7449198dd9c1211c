import { quarantineExecutor } from '../iam/guard-policy.js';
import { observeRole } from '../iam/observe.js';

/** Puts an explicit deny-all inline policy on a role: no session of it can do anything. Undo removes it. */
export const executor = quarantineExecutor('role', observeRole);
