import { quarantineExecutor } from '../iam/guard-policy.js';
import { observeUser } from '../iam/observe.js';

/** Puts an explicit deny-all inline policy on a user: it can do nothing, whatever else it is granted. Undo removes it. */
export const executor = quarantineExecutor('user', observeUser);
