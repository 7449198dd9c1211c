/**
 * What a plan step's target names, as data, read in one place: the planner
 * copies the fields of REF_KEYS from the resource's props into `target.ref`,
 * and apply (its executors, its self-protection) reads them here. A target
 * whose ref lacks a field (a plan made from an inventory without that prop)
 * takes it from its id as the inventory gave it (`user/alice/arn:...` for an
 * attachment, `alice/admins` for a membership): nothing else splits an id.
 */
import type { StepTarget } from './plan.js';
import type { ResourceType } from './resource.js';

/** The props of each type that name it for an executor, beyond its id: the planner copies them into `target.ref`. */
export const REF_KEYS: Partial<Record<ResourceType, readonly string[]>> = {
  'iam.accessKey': ['user'],
  'iam.loginProfile': ['user'],
  'iam.policyAttachment': ['principalType', 'principalName', 'policyArn'],
  'iam.inlinePolicy': ['principalType', 'principalName', 'policyName'],
  'iam.groupMembership': ['user', 'group'],
};

/** The identities a target names; which ones depends on its type. */
export interface TargetRef {
  /** The user: the target itself, or the user whose key, password or membership it is. */
  user?: string;
  group?: string;
  role?: string;
  /** The principal an attachment or inline policy belongs to (`user`, `group` or `role`). */
  principalType?: string;
  principalName?: string;
  policyArn?: string;
  policyName?: string;
  accessKeyId?: string;
}

/** `principalType/principalName/last` (the last part may hold `/`): the id of an attachment or an inline policy. */
function principalParts(id: string): { principalType: string; principalName: string; last: string } {
  const [principalType = '', principalName = '', ...rest] = id.split('/');
  return { principalType, principalName, last: rest.join('/') };
}

/** What the target names: its ref's fields, or for a ref without them, what its id says. Empty strings where neither says. */
export function targetRef(t: Pick<StepTarget, 'type' | 'id' | 'ref'>): TargetRef {
  const ref = t.ref;
  switch (t.type) {
    case 'iam.user':
    case 'iam.loginProfile':
      return { user: ref.user ?? t.id };
    case 'iam.role':
      return { role: ref.role ?? t.id };
    case 'iam.group':
      return { group: t.id };
    case 'iam.accessKey':
      return { ...(ref.user !== undefined ? { user: ref.user } : {}), accessKeyId: ref.accessKeyId ?? t.id };
    case 'iam.groupMembership': {
      const [user = '', group = ''] = t.id.split('/');
      return { user: ref.user ?? user, group: ref.group ?? group };
    }
    case 'iam.policyAttachment': {
      const parts = principalParts(t.id);
      return { principalType: ref.principalType ?? parts.principalType, principalName: ref.principalName ?? parts.principalName, policyArn: ref.policyArn ?? parts.last };
    }
    case 'iam.inlinePolicy': {
      const parts = principalParts(t.id);
      return { principalType: ref.principalType ?? parts.principalType, principalName: ref.principalName ?? parts.principalName, policyName: ref.policyName ?? parts.last };
    }
    default:
      return {};
  }
}
