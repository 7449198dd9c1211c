import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteConflictException,
  DeleteLoginProfileCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DeleteVirtualMFADeviceCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  ListUserPoliciesCommand,
  NoSuchEntityException,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executor } from '../../../../src/apply/executors/deleteUser.js';
import { awsError } from '../../../helpers/regional.js';
import { ACCOUNT, answerEmpty, context, step, trace } from './context.js';

const iam = mockClient(IAMClient);
const STEP = step('deleteUser', { type: 'iam.user', id: 'mallory' });
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/boundary`;
const MFA = `arn:aws:iam::${ACCOUNT}:mfa/mallory`;
const CREATED = new Date('2026-11-01T00:00:00Z');

const noSuchEntity = (message = 'The user with name mallory cannot be found.') => new NoSuchEntityException({ message, $metadata: {} });
const conflict = (message: string) => new DeleteConflictException({ message, $metadata: {} });

/** What moto answers for an action it does not implement: HTTP 500 with an HTML page, which the SDK cannot parse. */
function motoNotImplemented(): Error {
  return Object.assign(new Error('@aws-sdk XML parse error: mismatched tags <html> and </title>.'), {
    $metadata: { httpStatusCode: 500 },
    $responseBodyText: '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>',
    $response: { statusCode: 500, headers: { 'content-type': 'text/html; charset=utf-8' } },
  });
}

/** mallory has a bit of everything. */
function seedEverything(): void {
  iam.on(GetUserCommand).resolves({
    User: { UserName: 'mallory', UserId: 'AIDAMALLORY', Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:user/mallory`, CreateDate: CREATED, PermissionsBoundary: { PermissionsBoundaryArn: BOUNDARY, PermissionsBoundaryType: 'PermissionsBoundaryPolicy' } },
  });
  iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAMALLORY000000001' }, { AccessKeyId: 'AKIAMALLORY000000002' }] });
  iam.on(ListSigningCertificatesCommand).resolves({ Certificates: [{ UserName: 'mallory', CertificateId: 'CERT1', CertificateBody: '-', Status: 'Active' }] });
  iam.on(ListSSHPublicKeysCommand).resolves({ SSHPublicKeys: [{ UserName: 'mallory', SSHPublicKeyId: 'APKAMALLORY', Status: 'Active', UploadDate: CREATED }] });
  iam.on(ListServiceSpecificCredentialsCommand).resolves({
    ServiceSpecificCredentials: [{ UserName: 'mallory', ServiceSpecificCredentialId: 'ACCAMALLORY', ServiceName: 'codecommit.amazonaws.com', Status: 'Active', CreateDate: CREATED }],
  });
  iam.on(ListMFADevicesCommand).resolves({ MFADevices: [{ UserName: 'mallory', SerialNumber: MFA, EnableDate: CREATED }] });
  iam.on(ListGroupsForUserCommand).resolves({
    Groups: [
      { GroupName: 'ops', GroupId: 'AGPAOPS', Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:group/ops`, CreateDate: CREATED },
      { GroupName: 'dev', GroupId: 'AGPADEV', Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:group/dev`, CreateDate: CREATED },
    ],
  });
  iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['backdoor'] });
  iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN }] });
  answerEmpty(
    iam,
    DeleteLoginProfileCommand,
    DeleteAccessKeyCommand,
    DeleteSigningCertificateCommand,
    DeleteSSHPublicKeyCommand,
    DeleteServiceSpecificCredentialCommand,
    DeactivateMFADeviceCommand,
    DeleteVirtualMFADeviceCommand,
    RemoveUserFromGroupCommand,
    DeleteUserPolicyCommand,
    DetachUserPolicyCommand,
    DeleteUserPermissionsBoundaryCommand,
    DeleteUserCommand,
  );
}

const FULL_TEARDOWN = [
  'GetUser mallory',
  'DeleteLoginProfile mallory',
  'ListAccessKeys mallory',
  'DeleteAccessKey mallory AKIAMALLORY000000001',
  'DeleteAccessKey mallory AKIAMALLORY000000002',
  'ListSigningCertificates mallory',
  'DeleteSigningCertificate mallory CERT1',
  'ListSSHPublicKeys mallory',
  'DeleteSSHPublicKey mallory APKAMALLORY',
  'ListServiceSpecificCredentials mallory',
  'DeleteServiceSpecificCredential mallory ACCAMALLORY',
  'ListMFADevices mallory',
  `DeactivateMFADevice mallory ${MFA}`,
  `DeleteVirtualMFADevice ${MFA}`,
  'ListGroupsForUser mallory',
  'RemoveUserFromGroup mallory ops',
  'RemoveUserFromGroup mallory dev',
  'ListUserPolicies mallory',
  'DeleteUserPolicy mallory backdoor',
  'ListAttachedUserPolicies mallory',
  `DetachUserPolicy mallory ${ADMIN}`,
  'DeleteUserPermissionsBoundary mallory',
];

beforeEach(() => {
  iam.reset();
});

describe('deleteUser', () => {
  it('tears everything down in dependency order, then deletes the user', async () => {
    seedEverything();
    const ctx = context();
    expect(await executor.run(STEP, ctx)).toEqual({ result: 'done' });
    expect(trace(iam)).toEqual([...FULL_TEARDOWN, 'DeleteUser mallory']);
    expect(ctx.logs).toEqual([
      'user mallory: removed login profile, access key AKIAMALLORY000000001, access key AKIAMALLORY000000002, signing certificate CERT1, SSH public key APKAMALLORY, ' +
        `service-specific credential ACCAMALLORY (codecommit.amazonaws.com), MFA device ${MFA}, membership of group ops, membership of group dev, ` +
        `inline policy backdoor, attached policy ${ADMIN}, permissions boundary ${BOUNDARY}`,
    ]);
  });

  it('only deactivates a hardware MFA device (AWS keeps it), and skips what the user does not have', async () => {
    iam.on(GetUserCommand).resolves({ User: { UserName: 'mallory', UserId: 'AIDAMALLORY', Path: '/', Arn: 'x', CreateDate: CREATED } });
    iam.on(DeleteLoginProfileCommand).rejects(noSuchEntity('Login profile for mallory not found'));
    iam.on(ListMFADevicesCommand).resolves({ MFADevices: [{ UserName: 'mallory', SerialNumber: 'GAHT12345678', EnableDate: CREATED }] });
    answerEmpty(iam, ListAccessKeysCommand, ListSigningCertificatesCommand, ListSSHPublicKeysCommand, ListServiceSpecificCredentialsCommand, ListGroupsForUserCommand, ListUserPoliciesCommand, ListAttachedUserPoliciesCommand);
    iam.on(DeactivateMFADeviceCommand).resolves({});
    iam.on(DeleteUserCommand).resolves({});
    const ctx = context();
    expect(await executor.run(STEP, ctx)).toEqual({ result: 'done' });
    expect(trace(iam)).toEqual([
      'GetUser mallory',
      'DeleteLoginProfile mallory',
      'ListAccessKeys mallory',
      'ListSigningCertificates mallory',
      'ListSSHPublicKeys mallory',
      'ListServiceSpecificCredentials mallory',
      'ListMFADevices mallory',
      'DeactivateMFADevice mallory GAHT12345678',
      'ListGroupsForUser mallory',
      'ListUserPolicies mallory',
      'ListAttachedUserPolicies mallory',
      'DeleteUser mallory',
    ]);
    expect(ctx.logs).toEqual(['user mallory: removed MFA device GAHT12345678']);
  });

  it('on DeleteConflict, re-reads, cleans once more (a key appeared meanwhile) and retries once', async () => {
    seedEverything();
    iam.on(ListAccessKeysCommand).resolvesOnce({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAMALLORY000000001' }, { AccessKeyId: 'AKIAMALLORY000000002' }] }).resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAMALLORY000000003' }] });
    iam.on(DeleteUserCommand).rejectsOnce(conflict('Cannot delete entity, must delete access keys first.')).resolves({});
    const ctx = context();
    expect(await executor.run(STEP, ctx)).toEqual({ result: 'done' });
    // The mock's lists answer the same again, except the keys: the second pass removes what they show.
    const secondPass = FULL_TEARDOWN.filter((c) => !c.startsWith('DeleteAccessKey')).flatMap((c) => (c === 'ListAccessKeys mallory' ? [c, 'DeleteAccessKey mallory AKIAMALLORY000000003'] : [c]));
    expect(trace(iam)).toEqual([...FULL_TEARDOWN, 'DeleteUser mallory', ...secondPass, 'DeleteUser mallory']);
    expect(ctx.logs[1]).toBe('user mallory: AWS refused the delete (Cannot delete entity, must delete access keys first.); something appeared meanwhile, cleaning once more');
    expect(ctx.logs[2]).toContain('user mallory: removed login profile, access key AKIAMALLORY000000003, signing certificate CERT1');
  });

  it('fails clearly when DeleteUser still conflicts after the second cleanup, naming what came back and what AWS objects to', async () => {
    seedEverything();
    iam.on(ListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'ops', GroupId: 'AGPAOPS', Path: '/', Arn: 'x', CreateDate: CREATED }] });
    iam.on(DeleteUserCommand).rejects(conflict('Cannot delete entity, must remove users from group first.'));
    const run = executor.run(STEP, context());
    await expect(run).rejects.toThrow(
      'Cannot delete user mallory: AWS still refuses after a second cleanup (DeleteConflict: Cannot delete entity, must remove users from group first.).',
    );
    await expect(run).rejects.toThrow(/The second cleanup had to remove .*membership of group ops.* again: something keeps re-creating them/);
    expect(iam.commandCalls(DeleteUserCommand)).toHaveLength(2);
    expect(iam.commandCalls(GetUserCommand)).toHaveLength(2);
  });

  it('a user already gone is `already`, with no other call', async () => {
    iam.on(GetUserCommand).rejects(noSuchEntity());
    expect(await executor.run(STEP, context())).toEqual({ result: 'already' });
    expect(trace(iam)).toEqual(['GetUser mallory']);
    expect(await executor.observe(STEP, context())).toEqual({ exists: false, props: {} });
  });

  it('a user that vanishes midway is done: every NoSuchEntity after the first read means gone', async () => {
    seedEverything();
    iam.on(ListAccessKeysCommand).rejects(noSuchEntity());
    iam.on(DeleteSigningCertificateCommand).rejects(noSuchEntity('The Certificate with id CERT1 cannot be found.'));
    iam.on(DeleteUserCommand).rejects(noSuchEntity());
    const ctx = context();
    expect(await executor.run(STEP, ctx)).toEqual({ result: 'done' });
    expect(ctx.logs[0]).not.toContain('signing certificate');
    expect(ctx.logs[0]).not.toContain('access key');
  });

  it('takes moto\'s unimplemented ListServiceSpecificCredentials as none, and says so', async () => {
    seedEverything();
    iam.on(ListServiceSpecificCredentialsCommand).rejects(motoNotImplemented());
    const ctx = context();
    expect(await executor.run(STEP, ctx)).toEqual({ result: 'done' });
    expect(iam.commandCalls(DeleteServiceSpecificCredentialCommand)).toHaveLength(0);
    expect(iam.commandCalls(DeleteUserCommand)).toHaveLength(1);
    expect(ctx.logs[0]).toMatch(/^user mallory: the endpoint does not implement ListServiceSpecificCredentials \(.*\); taking it as none$/);
  });

  it.each([
    ['AccessDenied', awsError('AccessDenied', 'User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: iam:ListServiceSpecificCredentials')],
    ['a real 500 (InternalFailure)', awsError('InternalFailure', 'internal error', 500)],
  ])('never swallows %s from ListServiceSpecificCredentials: the user is not deleted', async (_label, err) => {
    seedEverything();
    iam.on(ListServiceSpecificCredentialsCommand).rejects(err);
    await expect(executor.run(STEP, context())).rejects.toBe(err);
    expect(iam.commandCalls(DeleteUserCommand)).toHaveLength(0);
    expect(iam.commandCalls(ListMFADevicesCommand)).toHaveLength(0);
  });

  it('observe reads the user with the props a precondition may name', async () => {
    seedEverything();
    expect(await executor.observe(STEP, context())).toEqual({
      exists: true,
      props: expect.objectContaining({ name: 'mallory', userId: 'AIDAMALLORY', path: '/', createDate: CREATED.toISOString(), permissionsBoundary: BOUNDARY }),
    });
  });

  it('is irreversible: no undo', () => {
    expect(executor.undo).toBeUndefined();
  });
});
