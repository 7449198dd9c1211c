import type { StepAction } from '../model/action.js';
import type { Precondition, StepTarget } from '../model/plan.js';
import type { Plain, Props } from '../model/resource.js';
import { oneLine } from './instructions.js';

/**
 * Per step action: its one-line description, and the facts apply re-reads
 * before acting (the props that justified the step and that the step itself
 * does not change, plus the state it expects to find). Exhaustive: a new
 * action does not compile until it says.
 */
interface StepKind {
  describe(t: StepTarget, p: Props): string;
  /** Props copied from the resource as the plan saw it. */
  keep: readonly string[];
  /** Values the target must have, whatever the resource said. */
  expect?: (p: Props) => Record<string, Plain>;
}

const s = (p: Props, key: string, fallback = '?'): string => {
  const v = p[key];
  return v === undefined || v === null ? fallback : String(v);
};
const where = (t: StepTarget) => (t.region === 'global' ? '' : ` in ${t.region}`);
const principal = (t: StepTarget) => `${t.ref.principalType ?? '?'} ${t.ref.principalName ?? '?'}`;
const ROLE = ['roleId', 'trustedPrincipals'] as const;
const INSTANCE = ['instanceType', 'launchTime'] as const;

export const STEP_KINDS: Record<StepAction, StepKind> = {
  createReplacementKey: {
    describe: (t) => `Create a replacement access key for user ${t.ref.user} (its secret goes to a new file, mode 0600, never printed)`,
    keep: [],
  },
  manualSwitchCredentials: {
    describe: (t) =>
      t.ref.blockedBy !== undefined
        ? `Switch every application that uses access key ${t.id} (user ${t.ref.user}) to a replacement key: none can be made while ${t.ref.blockedBy.includes(',') ? `access keys ${t.ref.blockedBy.split(',').join(' and ')} take` : `access key ${t.ref.blockedBy} takes`} its slot`
        : `Switch every application that uses access key ${t.id} (user ${t.ref.user}) to ${t.ref.replacement === undefined ? 'another key' : `the replacement key${t.ref.replacement.startsWith('new:') ? '' : ` ${t.ref.replacement}`}`}`,
    keep: ['user'],
  },
  deactivateAccessKey: {
    describe: (t) => `Deactivate access key ${t.id} of user ${t.ref.user}`,
    keep: ['user'],
    expect: () => ({ status: 'Active' }),
  },
  deleteAccessKey: { describe: (t) => `Delete access key ${t.id} of user ${t.ref.user}`, keep: ['user'] },
  deleteLoginProfile: { describe: (t) => `Delete the console password of user ${t.ref.user}`, keep: ['user'] },
  quarantineUser: { describe: (t) => `Quarantine user ${t.id}: attach an explicit deny-all policy`, keep: ['userId'] },
  quarantineRole: { describe: (t) => `Quarantine role ${t.id}: attach an explicit deny-all policy`, keep: ROLE },
  revokeRoleSessions: { describe: (t) => `Revoke the active sessions of role ${t.id}: deny every token issued before now`, keep: ROLE },
  detachPolicy: { describe: (t) => `Detach policy ${t.ref.policyArn} from ${principal(t)}`, keep: ['principalType', 'principalName', 'policyArn'] },
  deleteInlinePolicy: { describe: (t) => `Delete inline policy ${t.ref.policyName} of ${principal(t)}`, keep: ['principalType', 'principalName', 'policyName'] },
  removeUserFromGroup: { describe: (t) => `Remove user ${t.ref.user} from group ${t.ref.group}`, keep: ['user', 'group'] },
  deleteUser: {
    describe: (t) => `Delete user ${t.id} and everything it holds (console password, keys, certificates, MFA devices, group memberships, policies)`,
    keep: ['userId'],
  },
  deleteRole: { describe: (t) => `Delete role ${t.id} (its instance profiles and policies first)`, keep: ROLE },
  deleteGroup: { describe: (t) => `Delete group ${t.id} (its members and policies first)`, keep: ['groupId'] },
  deletePolicy: { describe: (t) => `Delete customer managed policy ${t.id} (detached from every entity, old versions first)`, keep: ['policyId'] },
  stopInstance: {
    describe: (t, p) => `Stop instance ${t.id} (${s(p, 'instanceType')})${where(t)}`,
    keep: INSTANCE,
    expect: (p): Record<string, Plain> => (p.state === 'running' ? { state: 'running' } : {}),
  },
  terminateInstance: { describe: (t, p) => `Terminate instance ${t.id} (${s(p, 'instanceType')})${where(t)}`, keep: INSTANCE },
  cancelSpotRequest: { describe: (t) => `Cancel spot request ${t.id}${where(t)}, so it launches no more instances`, keep: ['type', 'createTime'] },
  cancelSpotFleetRequest: { describe: (t) => `Cancel spot fleet request ${t.id}${where(t)}, so it launches no more instances`, keep: ['type', 'createTime'] },
  throttleFunction: { describe: (t) => `Throttle Lambda function ${t.id}${where(t)} to zero concurrency`, keep: ['roleArn'] },
  deleteFunction: { describe: (t) => `Delete Lambda function ${t.id}${where(t)}`, keep: ['roleArn'] },
  manualRootPassword: { describe: () => "Change the root user's password (by hand)", keep: [] },
  manualRootMfa: { describe: () => 'Enable MFA on the root user (by hand)', keep: [], expect: () => ({ mfaEnabled: false }) },
  manualRootAccessKeys: { describe: () => "Delete the root user's access keys (by hand)", keep: [], expect: () => ({ accessKeysPresent: true }) },
  manualContactSupport: { describe: () => 'Contact AWS Support about the compromise (by hand, with the text below)', keep: [] },
  manualReview: { describe: (t) => `Review ${t.subject} by hand`, keep: [] },
};

export function describeStep(action: StepAction, target: StepTarget, props: Props): string {
  return oneLine(STEP_KINDS[action].describe(target, props));
}

/**
 * The facts a precondition may hold: every prop the plan knows. Collectors
 * store `''` where AWS did not say (moto's GetAccountAuthorizationDetails
 * omits a policy's PolicyId): that is not a fact, and apply, which reads the
 * real value, would refuse the step as changed. `null` stays: it is AWS
 * saying "none" (never used, no boundary), a fact worth re-checking.
 */
export function knownFacts(props: Readonly<Record<string, Plain | undefined>>): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  for (const [k, v] of Object.entries(props)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

export function preconditionOf(action: StepAction, props: Props | undefined): Precondition {
  if (!props) return { exists: false, props: {} };
  const kind = STEP_KINDS[action];
  const kept = knownFacts(Object.fromEntries(kind.keep.map((k) => [k, props[k]])));
  return { exists: true, props: { ...kept, ...(kind.expect?.(props) ?? {}) } };
}
