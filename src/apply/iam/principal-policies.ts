/**
 * A user's, group's or role's policies, whichever the principal is: IAM has one
 * operation per principal type for each (PutUserPolicy, PutGroupPolicy,
 * PutRolePolicy, ...), differing only in the name parameter.
 */
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  DeleteGroupPolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetGroupPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type AttachedPolicy,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { decodePolicyDocument } from '../../answers/policy-document.js';
import type { PrincipalType } from '../../model/iam-props.js';
import type { Plain } from '../../model/resource.js';
import { changed, unlessGone } from './errors.js';
import type { Principal } from './target.js';

// Each command class takes its own input type; they are alike but for the principal's name parameter.
type AnyCommand = new (input: never) => object;
type Operation = 'get' | 'put' | 'delete' | 'attach' | 'detach' | 'listAttached';

const COMMANDS: Record<PrincipalType, Record<Operation, AnyCommand>> = {
  user: {
    get: GetUserPolicyCommand,
    put: PutUserPolicyCommand,
    delete: DeleteUserPolicyCommand,
    attach: AttachUserPolicyCommand,
    detach: DetachUserPolicyCommand,
    listAttached: ListAttachedUserPoliciesCommand,
  },
  group: {
    get: GetGroupPolicyCommand,
    put: PutGroupPolicyCommand,
    delete: DeleteGroupPolicyCommand,
    attach: AttachGroupPolicyCommand,
    detach: DetachGroupPolicyCommand,
    listAttached: ListAttachedGroupPoliciesCommand,
  },
  role: {
    get: GetRolePolicyCommand,
    put: PutRolePolicyCommand,
    delete: DeleteRolePolicyCommand,
    attach: AttachRolePolicyCommand,
    detach: DetachRolePolicyCommand,
    listAttached: ListAttachedRolePoliciesCommand,
  },
};

const NAME_PARAMETER: Record<PrincipalType, string> = { user: 'UserName', group: 'GroupName', role: 'RoleName' };

function call<T>(iam: IAMClient, p: Principal, op: Operation, input: Record<string, unknown>): Promise<T> {
  const Command = COMMANDS[p.type][op] as unknown as new (input: Record<string, unknown>) => Parameters<IAMClient['send']>[0];
  return iam.send(new Command({ [NAME_PARAMETER[p.type]]: p.name, ...input })) as Promise<T>;
}

/** An inline policy's document, decoded; `undefined` when the policy (or its principal) does not exist. */
export async function getInlinePolicy(iam: IAMClient, p: Principal, policyName: string): Promise<Plain | undefined> {
  const got = await unlessGone(call<{ PolicyDocument?: string }>(iam, p, 'get', { PolicyName: policyName }));
  return got === undefined ? undefined : (decodePolicyDocument(got.PolicyDocument) as Plain);
}

export async function putInlinePolicy(iam: IAMClient, p: Principal, policyName: string, document: Plain): Promise<void> {
  await call(iam, p, 'put', { PolicyName: policyName, PolicyDocument: typeof document === 'string' ? document : JSON.stringify(document) });
}

/** False when the policy (or its principal) was already gone. */
export function deleteInlinePolicy(iam: IAMClient, p: Principal, policyName: string): Promise<boolean> {
  return changed(call(iam, p, 'delete', { PolicyName: policyName }));
}

/** The ARNs of the managed policies attached to the principal; `undefined` when the principal does not exist. */
export async function attachedPolicyArns(iam: IAMClient, p: Principal): Promise<string[] | undefined> {
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const page = await unlessGone(
      call<{ AttachedPolicies?: AttachedPolicy[]; IsTruncated?: boolean; Marker?: string }>(iam, p, 'listAttached', { MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }),
    );
    if (page === undefined) return undefined;
    arns.push(...(page.AttachedPolicies ?? []).map((a) => a.PolicyArn ?? ''));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return arns;
}

export async function attachPolicy(iam: IAMClient, p: Principal, policyArn: string): Promise<void> {
  await call(iam, p, 'attach', { PolicyArn: policyArn });
}

/** False when the attachment (or its principal or policy) was already gone. */
export function detachPolicy(iam: IAMClient, p: Principal, policyArn: string): Promise<boolean> {
  return changed(call(iam, p, 'detach', { PolicyArn: policyArn }));
}
