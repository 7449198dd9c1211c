import {
  DeleteConflictException,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
  RemoveRoleFromInstanceProfileCommand,
  type Role,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executor } from '../../../../src/apply/executors/deleteRole.js';
import { ACCOUNT, answerEmpty, context, step, trace } from './context.js';

const iam = mockClient(IAMClient);
const STEP = step('deleteRole', { type: 'iam.role', id: 'backdoor' });
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/boundary`;
const CREATED = new Date('2026-11-01T00:00:00Z');
const TRUST = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '999999999999' }, Action: 'sts:AssumeRole' }] }));

const role = (name: string, extra: Partial<Role> = {}): Role => ({ RoleName: name, RoleId: `AROA${name}`, Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, CreateDate: CREATED, ...extra });
const profile = (name: string, roles: string[]) => ({ InstanceProfileName: name, InstanceProfileId: `AIPA${name}`, Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${name}`, CreateDate: CREATED, Roles: roles.map((r) => role(r)) });

function seed(): void {
  iam.on(GetRoleCommand).resolves({ Role: role('backdoor', { AssumeRolePolicyDocument: TRUST, PermissionsBoundary: { PermissionsBoundaryArn: BOUNDARY, PermissionsBoundaryType: 'PermissionsBoundaryPolicy' } }) });
  iam.on(ListInstanceProfilesForRoleCommand).resolves({ InstanceProfiles: [profile('solo', ['backdoor']), profile('shared', ['backdoor', 'web'])] });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['escalate'] });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN }] });
  answerEmpty(iam, RemoveRoleFromInstanceProfileCommand, DeleteRolePolicyCommand, DetachRolePolicyCommand, DeleteRolePermissionsBoundaryCommand, DeleteRoleCommand);
}

const TEARDOWN = [
  'GetRole backdoor',
  'ListInstanceProfilesForRole backdoor',
  'RemoveRoleFromInstanceProfile backdoor solo',
  'RemoveRoleFromInstanceProfile backdoor shared',
  'ListRolePolicies backdoor',
  'DeleteRolePolicy backdoor escalate',
  'ListAttachedRolePolicies backdoor',
  `DetachRolePolicy backdoor ${ADMIN}`,
  'DeleteRolePermissionsBoundary backdoor',
];

beforeEach(() => {
  iam.reset();
});

describe('deleteRole', () => {
  it('leaves its instance profiles, removes its policies and boundary, then deletes the role; profiles are kept', async () => {
    seed();
    const ctx = context();
    expect(await executor.run(STEP, ctx)).toEqual({ result: 'done' });
    expect(trace(iam)).toEqual([...TEARDOWN, 'DeleteRole backdoor']);
    expect(iam.commandCalls(DeleteInstanceProfileCommand)).toHaveLength(0);
    expect(ctx.logs).toEqual([
      'role backdoor: instance profile solo is kept, now without roles',
      'role backdoor: removed membership of instance profile solo, membership of instance profile shared, inline policy escalate, ' +
        `attached policy ${ADMIN}, permissions boundary ${BOUNDARY}`,
    ]);
  });

  it('on DeleteConflict cleans once more and retries once', async () => {
    seed();
    iam.on(DeleteRoleCommand).rejectsOnce(new DeleteConflictException({ message: 'Cannot delete entity, must detach all policies first.', $metadata: {} })).resolves({});
    expect(await executor.run(STEP, context())).toEqual({ result: 'done' });
    expect(trace(iam)).toEqual([...TEARDOWN, 'DeleteRole backdoor', ...TEARDOWN, 'DeleteRole backdoor']);
  });

  it('fails clearly when the role keeps being put back in a profile', async () => {
    seed();
    iam.on(ListInstanceProfilesForRoleCommand).resolves({ InstanceProfiles: [profile('sticky', ['backdoor'])] });
    iam.on(DeleteRoleCommand).rejects(new DeleteConflictException({ message: 'Cannot delete entity, must remove roles from instance profile first.', $metadata: {} }));
    await expect(executor.run(STEP, context())).rejects.toThrow(
      'Cannot delete role backdoor: AWS still refuses after a second cleanup (DeleteConflict: Cannot delete entity, must remove roles from instance profile first.). ' +
        'The second cleanup had to remove membership of instance profile sticky, inline policy escalate',
    );
  });

  it('refuses a service-linked role before touching anything', async () => {
    iam.on(GetRoleCommand).resolves({ Role: role('AWSServiceRoleForSupport', { Path: '/aws-service-role/support.amazonaws.com/' }) });
    await expect(executor.run(step('deleteRole', { type: 'iam.role', id: 'AWSServiceRoleForSupport' }), context())).rejects.toThrow(
      'Cannot delete role AWSServiceRoleForSupport: it is service-linked (path /aws-service-role/support.amazonaws.com/); only its service can delete it (DeleteServiceLinkedRole)',
    );
    expect(trace(iam)).toEqual(['GetRole AWSServiceRoleForSupport']);
  });

  it('a role already gone is `already`', async () => {
    iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: 'Role backdoor not found', $metadata: {} }));
    expect(await executor.run(STEP, context())).toEqual({ result: 'already' });
    expect(trace(iam)).toEqual(['GetRole backdoor']);
  });

  it('observe gives the trusted principals as the collector normalises them', async () => {
    seed();
    const seen = await executor.observe(STEP, context());
    expect(seen.exists).toBe(true);
    expect(seen.props).toMatchObject({ name: 'backdoor', roleId: 'AROAbackdoor', trustedPrincipals: ['arn:aws:iam::999999999999:root'], permissionsBoundary: BOUNDARY, serviceLinked: false });
    expect(executor.undo).toBeUndefined();
  });
});
