import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedGroupPoliciesCommand,
  ListGroupsForUserCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executor as deleteInlinePolicy } from '../../../../src/apply/executors/deleteInlinePolicy.js';
import { executor as detachPolicy } from '../../../../src/apply/executors/detachPolicy.js';
import { executor as quarantineRole } from '../../../../src/apply/executors/quarantineRole.js';
import { executor as quarantineUser } from '../../../../src/apply/executors/quarantineUser.js';
import { executor as removeUserFromGroup } from '../../../../src/apply/executors/removeUserFromGroup.js';
import { executor as revokeRoleSessions } from '../../../../src/apply/executors/revokeRoleSessions.js';
import { awsError } from '../../../helpers/regional.js';
import { ACCOUNT, context, NOW, step, trace } from './context.js';

const iam = mockClient(IAMClient);
const noSuchEntity = () => awsError('NoSuchEntityException', 'cannot be found', 404);
const encoded = (doc: object) => encodeURIComponent(JSON.stringify(doc));
const DENY_ALL = { Version: '2012-10-17', Statement: [{ Sid: 'RollcallQuarantine', Effect: 'Deny', Action: '*', Resource: '*' }] };
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

beforeEach(() => iam.reset());

describe('quarantineUser', () => {
  const user = step('quarantineUser', { type: 'iam.user', id: 'mallory' });

  it('puts a deny-all inline policy; undo deletes it', async () => {
    iam.on(GetUserPolicyCommand).rejects(noSuchEntity());
    iam.on(PutUserPolicyCommand).resolves({});
    iam.on(DeleteUserPolicyCommand).resolves({});
    const outcome = await quarantineUser.run(user, context());
    expect(outcome).toEqual({ result: 'done', undo: { principalType: 'user', principalName: 'mallory', policyName: 'rollcall-quarantine', previous: null } });
    expect(JSON.parse(iam.commandCalls(PutUserPolicyCommand)[0]!.args[0].input.PolicyDocument!)).toEqual(DENY_ALL);
    await quarantineUser.undo!(user, outcome.undo!, context());
    expect(trace(iam)).toEqual([
      'GetUserPolicy mallory rollcall-quarantine',
      `PutUserPolicy mallory rollcall-quarantine ${JSON.stringify(DENY_ALL)}`,
      'DeleteUserPolicy mallory rollcall-quarantine',
    ]);
  });

  it('is already done when the quarantine is in place, or the user is gone', async () => {
    iam.on(GetUserPolicyCommand).resolvesOnce({ UserName: 'mallory', PolicyName: 'rollcall-quarantine', PolicyDocument: encoded(DENY_ALL) }).rejectsOnce(noSuchEntity());
    iam.on(PutUserPolicyCommand).rejects(noSuchEntity());
    expect(await quarantineUser.run(user, context())).toEqual({ result: 'already' });
    expect(await quarantineUser.run(user, context())).toEqual({ result: 'already' });
  });

  it('replaces a policy of that name that does not deny everything, and undo puts it back', async () => {
    const other = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
    iam.on(GetUserPolicyCommand).resolves({ UserName: 'mallory', PolicyName: 'rollcall-quarantine', PolicyDocument: encoded(other) });
    iam.on(PutUserPolicyCommand).resolves({});
    const outcome = await quarantineUser.run(user, context());
    expect(outcome.undo).toMatchObject({ previous: other });
    await quarantineUser.undo!(user, outcome.undo!, context());
    expect(JSON.parse(iam.commandCalls(PutUserPolicyCommand)[1]!.args[0].input.PolicyDocument!)).toEqual(other);
  });
});

describe('quarantineRole and revokeRoleSessions', () => {
  const role = step('quarantineRole', { type: 'iam.role', id: 'backdoor' });
  const revoke = step('revokeRoleSessions', { type: 'iam.role', id: 'backdoor' });

  it('observes the role with its trusted principals normalised as the collector does', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['666666666666', 'arn:aws:iam::111111111111:root'] }, Action: 'sts:AssumeRole' }] };
    iam.on(GetRoleCommand).resolves({
      Role: { RoleName: 'backdoor', RoleId: 'AROABACKDOOR', Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:role/backdoor`, CreateDate: NOW, AssumeRolePolicyDocument: encoded(trust) },
    });
    const seen = await quarantineRole.observe(role, context());
    expect(seen.props).toMatchObject({ roleId: 'AROABACKDOOR', trustedPrincipals: ['arn:aws:iam::666666666666:root', 'arn:aws:iam::111111111111:root'], trustPolicy: trust });
  });

  it('revokes sessions issued before the run: Deny * when aws:TokenIssueTime is earlier than now', async () => {
    iam.on(GetRolePolicyCommand).rejects(noSuchEntity());
    iam.on(PutRolePolicyCommand).resolves({});
    iam.on(DeleteRolePolicyCommand).resolves({});
    const outcome = await revokeRoleSessions.run(revoke, context());
    expect(outcome).toEqual({ result: 'done', undo: { principalType: 'role', principalName: 'backdoor', policyName: 'rollcall-revoke-sessions', previous: null } });
    const put = iam.commandCalls(PutRolePolicyCommand)[0]!.args[0].input;
    expect(put.RoleName).toBe('backdoor');
    expect(JSON.parse(put.PolicyDocument!)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'RollcallRevokeOlderSessions', Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': NOW.toISOString() } } }],
    });
    await revokeRoleSessions.undo!(revoke, outcome.undo!, context());
    expect(iam.commandCalls(DeleteRolePolicyCommand)[0]!.args[0].input).toEqual({ RoleName: 'backdoor', PolicyName: 'rollcall-revoke-sessions' });
  });

  it('a revocation in place counts as done (its cutoff is kept); the quarantine and the revocation do not count for each other', async () => {
    const earlier = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-01T00:00:00Z' } } }] };
    iam.on(GetRolePolicyCommand).resolves({ RoleName: 'backdoor', PolicyName: 'x', PolicyDocument: encoded(earlier) });
    iam.on(PutRolePolicyCommand).resolves({});
    expect(await revokeRoleSessions.run(revoke, context())).toEqual({ result: 'already' });
    // A conditional deny is no quarantine.
    expect((await quarantineRole.run(role, context())).result).toBe('done');
  });

  it("a cut-off older than the step's notBefore is moved forward to now (the attacker assumed the role again since); undo puts the older one back", async () => {
    const earlier = { Version: '2012-10-17', Statement: [{ Sid: 'RollcallRevokeOlderSessions', Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-01T00:00:00.000Z' } } }] };
    const replanned = step('revokeRoleSessions', { type: 'iam.role', id: 'backdoor', ref: { notBefore: '2026-11-22T11:55:00.000Z' } });
    iam.on(GetRolePolicyCommand).resolves({ RoleName: 'backdoor', PolicyName: 'rollcall-revoke-sessions', PolicyDocument: encoded(earlier) });
    iam.on(PutRolePolicyCommand).resolves({});
    const outcome = await revokeRoleSessions.run(replanned, context());
    expect(outcome).toEqual({ result: 'done', undo: { principalType: 'role', principalName: 'backdoor', policyName: 'rollcall-revoke-sessions', previous: earlier } });
    expect(JSON.parse(iam.commandCalls(PutRolePolicyCommand)[0]!.args[0].input.PolicyDocument!).Statement[0].Condition).toEqual({ DateLessThan: { 'aws:TokenIssueTime': NOW.toISOString() } });
    await revokeRoleSessions.undo!(replanned, outcome.undo!, context());
    expect(JSON.parse(iam.commandCalls(PutRolePolicyCommand)[1]!.args[0].input.PolicyDocument!)).toEqual(earlier);
    expect(iam.commandCalls(DeleteRolePolicyCommand)).toHaveLength(0);
  });

  it("a cut-off at or after the step's notBefore is done already", async () => {
    const later = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-22T11:56:00Z' } } }] };
    iam.on(GetRolePolicyCommand).resolves({ RoleName: 'backdoor', PolicyName: 'rollcall-revoke-sessions', PolicyDocument: encoded(later) });
    iam.on(PutRolePolicyCommand).resolves({});
    for (const notBefore of ['2026-11-22T11:55:00.000Z', '2026-11-22T11:56:00.000Z']) {
      expect(await revokeRoleSessions.run(step('revokeRoleSessions', { type: 'iam.role', id: 'backdoor', ref: { notBefore } }), context())).toEqual({ result: 'already' });
    }
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);
  });

  it('a role that is gone needs no guard; AccessDenied propagates', async () => {
    iam.on(GetRolePolicyCommand).rejects(noSuchEntity());
    iam.on(PutRolePolicyCommand).rejectsOnce(noSuchEntity()).rejectsOnce(awsError('AccessDenied', 'denied'));
    expect(await quarantineRole.run(role, context())).toEqual({ result: 'already' });
    await expect(quarantineRole.run(role, context())).rejects.toThrow('denied');
  });
});

describe('detachPolicy', () => {
  const attachment = step('detachPolicy', {
    type: 'iam.policyAttachment',
    id: `group/admins/${ADMIN}`,
    ref: { principalType: 'group', principalName: 'admins', policyArn: ADMIN },
  });

  it('detaches an attached policy; undo attaches it again', async () => {
    iam.on(ListAttachedGroupPoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: ADMIN, PolicyName: 'AdministratorAccess' }] });
    iam.on(DetachGroupPolicyCommand).resolves({});
    iam.on(AttachGroupPolicyCommand).resolves({});
    expect(await detachPolicy.observe(attachment, context())).toEqual({
      exists: true,
      props: { principalType: 'group', principalName: 'admins', policyArn: ADMIN, policyName: 'AdministratorAccess', awsManaged: true },
    });
    const outcome = await detachPolicy.run(attachment, context());
    expect(outcome).toEqual({ result: 'done', undo: { principalType: 'group', principalName: 'admins', policyArn: ADMIN } });
    await detachPolicy.undo!(attachment, outcome.undo!, context());
    expect(trace(iam).slice(-2)).toEqual([`DetachGroupPolicy admins ${ADMIN}`, `AttachGroupPolicy admins ${ADMIN}`]);
  });

  it('reads the principal from the id when the ref lacks it; not attached, principal gone or detached meanwhile: already', async () => {
    const fromId = step('detachPolicy', { type: 'iam.policyAttachment', id: `group/admins/${ADMIN}` });
    iam.on(ListAttachedGroupPoliciesCommand).resolvesOnce({ AttachedPolicies: [] }).rejectsOnce(noSuchEntity()).resolves({ AttachedPolicies: [{ PolicyArn: ADMIN }] });
    iam.on(DetachGroupPolicyCommand).rejects(noSuchEntity());
    for (let i = 0; i < 3; i++) expect(await detachPolicy.run(fromId, context())).toEqual({ result: 'already' });
  });
});

describe('deleteInlinePolicy', () => {
  const inline = step('deleteInlinePolicy', { type: 'iam.inlinePolicy', id: 'user/legacy-bot/maintenance', ref: { principalType: 'user', principalName: 'legacy-bot', policyName: 'maintenance' } });
  const ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

  it('records the document, deletes the policy; undo puts the same document back', async () => {
    iam.on(GetUserPolicyCommand).resolves({ UserName: 'legacy-bot', PolicyName: 'maintenance', PolicyDocument: encoded(ALL) });
    iam.on(DeleteUserPolicyCommand).resolves({});
    iam.on(PutUserPolicyCommand).resolves({});
    expect(await deleteInlinePolicy.observe(inline, context())).toMatchObject({ exists: true, props: { policyName: 'maintenance', document: ALL, allowsAll: true } });
    const outcome = await deleteInlinePolicy.run(inline, context());
    expect(outcome).toEqual({ result: 'done', undo: { principalType: 'user', principalName: 'legacy-bot', policyName: 'maintenance', document: ALL } });
    await deleteInlinePolicy.undo!(inline, outcome.undo!, context());
    expect(JSON.parse(iam.commandCalls(PutUserPolicyCommand)[0]!.args[0].input.PolicyDocument!)).toEqual(ALL);
  });

  it('is already done when the policy (or its principal) is gone, before or during the delete', async () => {
    iam.on(GetUserPolicyCommand).rejectsOnce(noSuchEntity()).resolves({ PolicyDocument: encoded(ALL) });
    iam.on(DeleteUserPolicyCommand).rejects(noSuchEntity());
    expect(await deleteInlinePolicy.run(inline, context())).toEqual({ result: 'already' });
    expect(await deleteInlinePolicy.run(inline, context())).toEqual({ result: 'already' });
  });
});

describe('removeUserFromGroup', () => {
  const membership = step('removeUserFromGroup', { type: 'iam.groupMembership', id: 'legacy-bot/admins', ref: { user: 'legacy-bot', group: 'admins' } });

  it('removes a member; undo adds it back', async () => {
    iam.on(ListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'admins', GroupId: 'AGPA', Path: '/', Arn: 'arn', CreateDate: NOW }] });
    iam.on(RemoveUserFromGroupCommand).resolves({});
    iam.on(AddUserToGroupCommand).resolves({});
    expect(await removeUserFromGroup.observe(membership, context())).toEqual({ exists: true, props: { user: 'legacy-bot', group: 'admins' } });
    const outcome = await removeUserFromGroup.run(membership, context());
    expect(outcome).toEqual({ result: 'done', undo: { user: 'legacy-bot', group: 'admins' } });
    await removeUserFromGroup.undo!(membership, outcome.undo!, context());
    expect(trace(iam).slice(-2)).toEqual(['RemoveUserFromGroup legacy-bot admins', 'AddUserToGroup legacy-bot admins']);
  });

  it('not a member, user gone, or removed meanwhile: already', async () => {
    iam.on(ListGroupsForUserCommand).resolvesOnce({ Groups: [] }).rejectsOnce(noSuchEntity()).resolves({ Groups: [{ GroupName: 'admins', GroupId: 'A', Path: '/', Arn: 'a', CreateDate: NOW }] });
    iam.on(RemoveUserFromGroupCommand).rejects(noSuchEntity());
    for (let i = 0; i < 3; i++) expect(await removeUserFromGroup.run(membership, context())).toEqual({ result: 'already' });
    expect(await removeUserFromGroup.observe(step('removeUserFromGroup', { type: 'iam.groupMembership', id: 'legacy-bot/ops' }), context())).toEqual({ exists: false, props: {} });
  });
});
