import {
  DeleteConflictException,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  ListPolicyVersionsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executor } from '../../../../src/apply/executors/deletePolicy.js';
import { servePages } from '../../../helpers/regional.js';
import { ACCOUNT, answerEmpty, context, step, trace } from './context.js';

const iam = mockClient(IAMClient);
const ARN = `arn:aws:iam::${ACCOUNT}:policy/ops/everything`;
const STEP = step('deletePolicy', { type: 'iam.policy', id: 'everything', arn: ARN });
const CREATED = new Date('2026-11-01T00:00:00Z');

const version = (id: string, isDefault = false) => ({ VersionId: id, IsDefaultVersion: isDefault, CreateDate: CREATED });

function seed(): { entities: Record<string, unknown>[]; versions: Record<string, unknown>[] } {
  iam.on(GetPolicyCommand).resolves({ Policy: { PolicyName: 'everything', PolicyId: 'ANPAEVERYTHING', Arn: ARN, Path: '/ops/', DefaultVersionId: 'v3', AttachmentCount: 5, CreateDate: CREATED, UpdateDate: CREATED } });
  const entities = servePages(iam.on(ListEntitiesForPolicyCommand), [
    { PolicyGroups: [{ GroupName: 'admins' }], PolicyUsers: [{ UserName: 'mallory' }], PolicyRoles: [{ RoleName: 'backdoor' }], IsTruncated: true, Marker: 'e2' },
    { PolicyUsers: [{ UserName: 'trent' }], PolicyRoles: [{ RoleName: 'ci' }], IsTruncated: false },
  ]);
  const versions = servePages(iam.on(ListPolicyVersionsCommand), [{ Versions: [version('v3', true), version('v2')], IsTruncated: true, Marker: 'p2' }, { Versions: [version('v1')] }]);
  answerEmpty(iam, DetachGroupPolicyCommand, DetachUserPolicyCommand, DetachRolePolicyCommand, DeletePolicyVersionCommand, DeletePolicyCommand);
  return { entities, versions };
}

const TEARDOWN = [
  `GetPolicy ${ARN}`,
  `ListEntitiesForPolicy ${ARN} PermissionsPolicy`,
  `ListEntitiesForPolicy ${ARN} PermissionsPolicy`,
  `DetachGroupPolicy admins ${ARN}`,
  `DetachUserPolicy mallory ${ARN}`,
  `DetachRolePolicy backdoor ${ARN}`,
  `DetachUserPolicy trent ${ARN}`,
  `DetachRolePolicy ci ${ARN}`,
  `ListPolicyVersions ${ARN}`,
  `ListPolicyVersions ${ARN}`,
  `DeletePolicyVersion ${ARN} v2`,
  `DeletePolicyVersion ${ARN} v1`,
];

beforeEach(() => {
  iam.reset();
});

describe('deletePolicy', () => {
  it('detaches it from every entity (every page read first), deletes its non-default versions, then the policy', async () => {
    const { entities, versions } = seed();
    const ctx = context();
    expect(await executor.run(STEP, ctx)).toEqual({ result: 'done' });
    expect(trace(iam)).toEqual([...TEARDOWN, `DeletePolicy ${ARN}`]);
    expect(entities).toEqual([
      { PolicyArn: ARN, PolicyUsageFilter: 'PermissionsPolicy', MaxItems: 1000 },
      { PolicyArn: ARN, PolicyUsageFilter: 'PermissionsPolicy', MaxItems: 1000, Marker: 'e2' },
    ]);
    expect(versions.map((v) => v.Marker)).toEqual([undefined, 'p2']);
    expect(ctx.logs).toEqual([
      `policy ${ARN}: removed attachment to group admins, attachment to user mallory, attachment to role backdoor, attachment to user trent, attachment to role ci, version v2, version v1`,
    ]);
  });

  it('on DeleteConflict cleans once more and retries once', async () => {
    seed();
    iam.on(ListEntitiesForPolicyCommand).resolves({ PolicyUsers: [{ UserName: 'mallory' }] });
    iam.on(ListPolicyVersionsCommand).resolves({ Versions: [version('v3', true)] });
    iam.on(DeletePolicyCommand).rejectsOnce(new DeleteConflictException({ message: 'Cannot delete a policy attached to entities.', $metadata: {} })).resolves({});
    expect(await executor.run(STEP, context())).toEqual({ result: 'done' });
    const pass = [`GetPolicy ${ARN}`, `ListEntitiesForPolicy ${ARN} PermissionsPolicy`, `DetachUserPolicy mallory ${ARN}`, `ListPolicyVersions ${ARN}`];
    expect(trace(iam)).toEqual([...pass, `DeletePolicy ${ARN}`, ...pass, `DeletePolicy ${ARN}`]);
  });

  it('leaves a permissions boundary in place and names its entities when AWS keeps refusing', async () => {
    seed();
    iam.on(ListEntitiesForPolicyCommand).callsFake((input: { PolicyUsageFilter?: string }) =>
      input.PolicyUsageFilter === 'PermissionsBoundary' ? { PolicyUsers: [{ UserName: 'dev' }], PolicyRoles: [{ RoleName: 'lambda-exec' }] } : {},
    );
    iam.on(ListPolicyVersionsCommand).resolves({ Versions: [version('v3', true)] });
    iam.on(DeletePolicyCommand).rejects(new DeleteConflictException({ message: 'Cannot delete a policy attached to entities.', $metadata: {} }));
    await expect(executor.run(STEP, context())).rejects.toThrow(
      `Cannot delete policy ${ARN}: AWS still refuses after a second cleanup (DeleteConflict: Cannot delete a policy attached to entities.). ` +
        'The second cleanup found nothing rollcall removes. Still holding it: its use as the permissions boundary of user dev, role lambda-exec, ' +
        'which rollcall leaves in place (removing a boundary widens permissions): replace or remove those boundaries first.',
    );
    expect(trace(iam).filter((c) => c.startsWith('DeleteUserPermissionsBoundary') || c.startsWith('DeleteRolePermissionsBoundary'))).toEqual([]);
  });

  it('refuses an AWS managed policy before touching anything', async () => {
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    iam.on(GetPolicyCommand).resolves({ Policy: { PolicyName: 'AdministratorAccess', Arn: admin, DefaultVersionId: 'v1' } });
    await expect(executor.run(step('deletePolicy', { type: 'iam.policy', id: 'AdministratorAccess', arn: admin }), context())).rejects.toThrow(
      `Cannot delete policy ${admin}: it is AWS managed; detach it instead`,
    );
    expect(trace(iam)).toEqual([`GetPolicy ${admin}`]);
  });

  it('without an ARN in the target, names the policy at path / in the account; gone is `already`', async () => {
    iam.on(GetPolicyCommand).rejects(new NoSuchEntityException({ message: 'Policy not found', $metadata: {} }));
    expect(await executor.run(step('deletePolicy', { type: 'iam.policy', id: 'everything' }), context())).toEqual({ result: 'already' });
    expect(trace(iam)).toEqual([`GetPolicy arn:aws:iam::${ACCOUNT}:policy/everything`]);
  });

  it('observe gives the props the collector names', async () => {
    seed();
    expect(await executor.observe(STEP, context())).toEqual({
      exists: true,
      props: { name: 'everything', policyId: 'ANPAEVERYTHING', path: '/ops/', createDate: CREATED.toISOString(), updateDate: CREATED.toISOString(), defaultVersionId: 'v3', attachmentCount: 5, arn: ARN },
    });
  });
});
