import {
  DeleteConflictException,
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DetachGroupPolicyCommand,
  GetGroupCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListGroupPoliciesCommand,
  NoSuchEntityException,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executor } from '../../../../src/apply/executors/deleteGroup.js';
import { servePages } from '../../../helpers/regional.js';
import { ACCOUNT, answerEmpty, context, step, trace } from './context.js';

const iam = mockClient(IAMClient);
const STEP = step('deleteGroup', { type: 'iam.group', id: 'admins' });
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const CREATED = new Date('2026-11-01T00:00:00Z');
const GROUP = { GroupName: 'admins', GroupId: 'AGPAADMINS', Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:group/admins`, CreateDate: CREATED };
const user = (name: string) => ({ UserName: name, UserId: `AIDA${name}`, Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, CreateDate: CREATED });

/** Members over two pages of GetGroup. */
function seed(): Record<string, unknown>[] {
  const seen = servePages(iam.on(GetGroupCommand), [
    { Group: GROUP, Users: [user('mallory'), user('trent')], IsTruncated: true, Marker: 'm2' },
    { Group: GROUP, Users: [user('eve')] },
  ]);
  iam.on(ListGroupPoliciesCommand).resolves({ PolicyNames: ['all-s3'] });
  iam.on(ListAttachedGroupPoliciesCommand).resolves({ AttachedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN }] });
  answerEmpty(iam, RemoveUserFromGroupCommand, DeleteGroupPolicyCommand, DetachGroupPolicyCommand, DeleteGroupCommand);
  return seen;
}

beforeEach(() => {
  iam.reset();
});

describe('deleteGroup', () => {
  it('removes every member (all pages), its inline and attached policies, then deletes the group', async () => {
    const seen = seed();
    expect(await executor.run(STEP, context())).toEqual({ result: 'done' });
    expect(seen).toEqual([
      { GroupName: 'admins', MaxItems: 1000 },
      { GroupName: 'admins', MaxItems: 1000, Marker: 'm2' },
    ]);
    expect(trace(iam)).toEqual([
      'GetGroup admins',
      'GetGroup admins',
      'RemoveUserFromGroup admins mallory',
      'RemoveUserFromGroup admins trent',
      'RemoveUserFromGroup admins eve',
      'ListGroupPolicies admins',
      'DeleteGroupPolicy admins all-s3',
      'ListAttachedGroupPolicies admins',
      `DetachGroupPolicy admins ${ADMIN}`,
      'DeleteGroup admins',
    ]);
  });

  it('on DeleteConflict re-reads the members and retries once; a second refusal fails clearly', async () => {
    iam.on(GetGroupCommand).resolves({ Group: GROUP, Users: [user('mallory')] });
    iam.on(ListGroupPoliciesCommand).resolves({});
    iam.on(ListAttachedGroupPoliciesCommand).resolves({});
    iam.on(RemoveUserFromGroupCommand).resolves({});
    iam.on(DeleteGroupCommand).rejects(new DeleteConflictException({ message: 'Cannot delete entity, must remove users from group first.', $metadata: {} }));
    await expect(executor.run(STEP, context())).rejects.toThrow(
      'Cannot delete group admins: AWS still refuses after a second cleanup (DeleteConflict: Cannot delete entity, must remove users from group first.). ' +
        'The second cleanup had to remove member mallory again: something keeps re-creating them; stop it, then apply again.',
    );
    expect(trace(iam).filter((c) => c.startsWith('RemoveUserFromGroup') || c.startsWith('DeleteGroup '))).toEqual([
      'RemoveUserFromGroup admins mallory',
      'DeleteGroup admins',
      'RemoveUserFromGroup admins mallory',
      'DeleteGroup admins',
    ]);
  });

  it('a group already gone is `already`; observe says it does not exist', async () => {
    iam.on(GetGroupCommand).rejects(new NoSuchEntityException({ message: 'The group with name admins cannot be found.', $metadata: {} }));
    expect(await executor.run(STEP, context())).toEqual({ result: 'already' });
    expect(await executor.observe(STEP, context())).toEqual({ exists: false, props: {} });
    expect(trace(iam)).toEqual(['GetGroup admins', 'GetGroup admins']);
  });

  it('observe names the group and its members', async () => {
    seed();
    expect((await executor.observe(STEP, context())).props).toMatchObject({ name: 'admins', groupId: 'AGPAADMINS', members: ['mallory', 'trent', 'eve'] });
  });
});
