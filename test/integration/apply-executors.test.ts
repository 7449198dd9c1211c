/**
 * The executors against the emulator, through the clients apply uses
 * (`new AwsClients()`, endpoint from AWS_ENDPOINT_URL): each run ends in the
 * state the step promises, as read back with plain SDK calls; a second run is
 * `already`; the reversible ones undo. moto deletes a user whatever it still
 * has, so the teardown order is pinned by the unit tests; here the end state
 * shows that every part was removed, not just the user.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSpotFleetInstancesCommand,
  DescribeSpotFleetRequestsCommand,
  DescribeSpotInstanceRequestsCommand,
  EC2Client,
  RequestSpotFleetCommand,
  RequestSpotInstancesCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetGroupCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  ListGroupsForUserCommand,
  ListPolicyVersionsCommand,
  ListVirtualMFADevicesCommand,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
} from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetFunctionCommand, GetFunctionConcurrencyCommand, LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecContext, Executor } from '../../src/apply/executor.js';
import { executor as cancelSpotFleetRequest } from '../../src/apply/executors/cancelSpotFleetRequest.js';
import { executor as cancelSpotRequest } from '../../src/apply/executors/cancelSpotRequest.js';
import { executor as deleteFunction } from '../../src/apply/executors/deleteFunction.js';
import { executor as deleteGroup } from '../../src/apply/executors/deleteGroup.js';
import { executor as deletePolicy } from '../../src/apply/executors/deletePolicy.js';
import { executor as deleteRole } from '../../src/apply/executors/deleteRole.js';
import { executor as deleteUser } from '../../src/apply/executors/deleteUser.js';
import { executor as stopInstance } from '../../src/apply/executors/stopInstance.js';
import { executor as terminateInstance } from '../../src/apply/executors/terminateInstance.js';
import { executor as throttleFunction } from '../../src/apply/executors/throttleFunction.js';
import { AwsClients } from '../../src/aws/clients.js';
import type { StepAction } from '../../src/model/action.js';
import type { PlanStep, StepTarget } from '../../src/model/plan.js';
import { ROOT } from '../helpers/cli.js';
import { resetEmulator } from '../helpers/emulator.js';
import { ACCOUNT } from '../helpers/resources.js';

const REGION = 'us-east-1';
const CERT = readFileSync(path.join(ROOT, 'test/fixtures/apply/signing-certificate.pem'), 'utf8');
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINTZch61botoaggrji/I0I6fGUlRT5DHkBBhJY0/sa5i rollcall-test';
const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const S3_READ = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const trust = (principal: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });
const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

const iam = new IAMClient({ region: REGION });
const ec2 = new EC2Client({ region: REGION });
const lambda = new LambdaClient({ region: REGION });
let clients: AwsClients;
let logs: string[];

function context(): ExecContext {
  return { clients, accountId: ACCOUNT, now: new Date(), secretsDir: '/nonexistent', log: (m) => logs.push(m), intend: () => {} };
}

function step(action: StepAction, target: Pick<StepTarget, 'type' | 'id'> & Partial<StepTarget>): PlanStep {
  const full: StepTarget = { region: 'global', ref: {}, subject: `${target.type}/${target.id}`, ...target };
  return { id: `${action} ${full.subject}`, action, target: full, description: action, because: [], dependsOn: [], precondition: { exists: true, props: {} }, reversible: false, destructive: true };
}

/** Runs the step twice: the first run does the work, the second finds nothing left to do. */
async function runTwice(executor: Executor, s: PlanStep) {
  const first = await executor.run(s, context());
  expect(first.result).toBe('done');
  expect(await executor.run(s, context())).toEqual({ result: 'already' });
  return first;
}

/** The error code a read fails with (`NoSuchEntity`...), or `ok`. */
async function outcomeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    return (err as Error).name;
  }
}

beforeEach(async () => {
  await resetEmulator();
  clients = new AwsClients();
  logs = [];
});

afterEach(() => {
  clients.destroy();
});

afterAll(() => {
  for (const c of [iam, ec2, lambda]) c.destroy();
});

// ---- IAM ------------------------------------------------------------------------------------

/** A customer policy with three versions (v3 the default). */
async function seedPolicy(name: string): Promise<string> {
  await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: S3_READ }));
  await iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn(name), PolicyDocument: S3_READ }));
  await iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn(name), PolicyDocument: ALLOW_ALL, SetAsDefault: true }));
  return policyArn(name);
}

/** mallory, with a bit of everything but a boundary, in groups ops and dev; the policy `everything` attached to her, to ops and to role backdoor. */
async function seedIam(): Promise<{ mfaSerial: string }> {
  const everything = await seedPolicy('everything');
  await iam.send(new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: ALLOW_ALL }));
  await iam.send(new CreateUserCommand({ UserName: 'mallory' }));
  await iam.send(new CreateUserCommand({ UserName: 'trent' }));
  await iam.send(new CreateLoginProfileCommand({ UserName: 'mallory', Password: 'Correct-Horse-9' }));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'mallory' }));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'mallory' }));
  await iam.send(new UploadSigningCertificateCommand({ UserName: 'mallory', CertificateBody: CERT }));
  await iam.send(new UploadSSHPublicKeyCommand({ UserName: 'mallory', SSHPublicKeyBody: SSH_KEY }));
  const mfa = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'mallory' }));
  const mfaSerial = mfa.VirtualMFADevice!.SerialNumber!;
  await iam.send(new EnableMFADeviceCommand({ UserName: 'mallory', SerialNumber: mfaSerial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
  for (const group of ['ops', 'dev']) {
    await iam.send(new CreateGroupCommand({ GroupName: group }));
    await iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: 'mallory' }));
  }
  await iam.send(new AddUserToGroupCommand({ GroupName: 'ops', UserName: 'trent' }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'ops', PolicyName: 'ops-s3', PolicyDocument: S3_READ }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'ops', PolicyArn: everything }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'mallory', PolicyName: 'backdoor', PolicyDocument: ALLOW_ALL }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'mallory', PolicyArn: everything }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'mallory', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  // moto: Put/DeleteUserPermissionsBoundary are not implemented (HTTP 500), so mallory has no boundary here; the unit tests cover it.

  await iam.send(new CreateRoleCommand({ RoleName: 'backdoor', AssumeRolePolicyDocument: trust({ AWS: '999999999999' }) }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'backdoor-profile' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'backdoor-profile', RoleName: 'backdoor' }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'backdoor', PolicyName: 'escalate', PolicyDocument: ALLOW_ALL }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'backdoor', PolicyArn: everything }));
  await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'backdoor', PermissionsBoundary: policyArn('boundary') }));
  return { mfaSerial };
}

describe('IAM teardown executors against the emulator', () => {
  it('deleteUser removes every part, then the user; moto\'s unimplemented service-credential list reads as none', async () => {
    const { mfaSerial } = await seedIam();
    const s = step('deleteUser', { type: 'iam.user', id: 'mallory' });
    expect(await deleteUser.observe(s, context())).toMatchObject({ exists: true, props: { name: 'mallory', permissionsBoundary: null } });
    await runTwice(deleteUser, s);

    expect(await outcomeOf(iam.send(new GetUserCommand({ UserName: 'mallory' })))).toBe('NoSuchEntityException');
    expect(await deleteUser.observe(s, context())).toEqual({ exists: false, props: {} });
    // moto would have deleted her anyway; these show the parts went first.
    const devices = await iam.send(new ListVirtualMFADevicesCommand({}));
    expect((devices.VirtualMFADevices ?? []).map((d) => d.SerialNumber)).not.toContain(mfaSerial);
    for (const group of ['ops', 'dev']) {
      const got = await iam.send(new GetGroupCommand({ GroupName: group }));
      expect((got.Users ?? []).map((u) => u.UserName)).not.toContain('mallory');
    }
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn('everything') }));
    expect((entities.PolicyUsers ?? []).map((u) => u.UserName)).toEqual([]);
    // Once: the second run finds no user and reads nothing else.
    expect(logs.filter((l) => l.includes('does not implement ListServiceSpecificCredentials'))).toHaveLength(1);
    const removed = logs.find((l) => l.startsWith('user mallory: removed'));
    for (const part of ['login profile', 'access key AKIA', 'signing certificate', 'SSH public key APKA', `MFA device ${mfaSerial}`, 'membership of group ops', 'membership of group dev', 'inline policy backdoor', `attached policy ${policyArn('everything')}`, 'attached policy arn:aws:iam::aws:policy/AdministratorAccess']) {
      expect(removed).toContain(part);
    }
  });

  it('deleteRole removes the role from its instance profile (kept), its policies and boundary, then the role', async () => {
    await seedIam();
    const s = step('deleteRole', { type: 'iam.role', id: 'backdoor' });
    expect(await deleteRole.observe(s, context())).toMatchObject({ exists: true, props: { trustedPrincipals: ['arn:aws:iam::999999999999:root'] } });
    await runTwice(deleteRole, s);
    expect(await outcomeOf(iam.send(new GetRoleCommand({ RoleName: 'backdoor' })))).toBe('NoSuchEntityException');
    const profile = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'backdoor-profile' }));
    expect(profile.InstanceProfile?.Roles).toEqual([]);
    expect(logs).toContain('role backdoor: instance profile backdoor-profile is kept, now without roles');
    expect(logs.find((l) => l.startsWith('role backdoor: removed'))).toBe(
      `role backdoor: removed membership of instance profile backdoor-profile, inline policy escalate, attached policy ${policyArn('everything')}, permissions boundary ${policyArn('boundary')}`,
    );
  });

  it('deleteGroup removes members and policies, then the group; the members stay', async () => {
    await seedIam();
    await runTwice(deleteGroup, step('deleteGroup', { type: 'iam.group', id: 'ops' }));
    expect(await outcomeOf(iam.send(new GetGroupCommand({ GroupName: 'ops' })))).toBe('NoSuchEntityException');
    for (const user of ['mallory', 'trent']) {
      const groups = await iam.send(new ListGroupsForUserCommand({ UserName: user }));
      expect((groups.Groups ?? []).map((g) => g.GroupName)).not.toContain('ops');
    }
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn('everything') }));
    expect((entities.PolicyGroups ?? []).map((g) => g.GroupName)).toEqual([]);
  });

  it('deletePolicy detaches it from the user, group and role, deletes its old versions, then the policy', async () => {
    await seedIam();
    const arn = policyArn('everything');
    const s = step('deletePolicy', { type: 'iam.policy', id: 'everything', arn });
    expect(await deletePolicy.observe(s, context())).toMatchObject({ exists: true, props: { defaultVersionId: 'v3', attachmentCount: 3 } });
    await runTwice(deletePolicy, s);
    expect(await outcomeOf(iam.send(new GetPolicyCommand({ PolicyArn: arn })))).toBe('NoSuchEntityException');
    expect(await outcomeOf(iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn })))).toBe('NoSuchEntityException');
    expect(logs[0]).toBe(`policy ${arn}: removed attachment to group ops, attachment to user mallory, attachment to role backdoor, version v1, version v2`);
    // The principals are untouched.
    expect(await outcomeOf(iam.send(new GetRoleCommand({ RoleName: 'backdoor' })))).toBe('ok');
  });
});

// ---- EC2 and Lambda -------------------------------------------------------------------------

async function imageId(): Promise<string> {
  // moto: an unfiltered DescribeImages returns its ~1300 AMIs in one slow page.
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['amzn2-ami-hvm-*-x86_64-gp2'] }] }));
  return images.Images![0]!.ImageId!;
}

async function runInstance(): Promise<string> {
  const run = await ec2.send(new RunInstancesCommand({ ImageId: await imageId(), MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }));
  return run.Instances![0]!.InstanceId!;
}

async function stateOf(id: string): Promise<string | undefined> {
  const got = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return got.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

const instanceStep = (action: StepAction, id: string) => step(action, { type: 'ec2.instance', id, region: REGION });

describe('EC2 executors against the emulator', () => {
  it('stopInstance stops, is `already` the second time, and undo starts the instance again', async () => {
    const id = await runInstance();
    const s = instanceStep('stopInstance', id);
    expect(await stopInstance.observe(s, context())).toMatchObject({ exists: true, props: { state: 'running', instanceType: 't3.micro' } });
    const done = await runTwice(stopInstance, s);
    expect(await stateOf(id)).toBe('stopped');
    await stopInstance.undo!(s, done.undo ?? {}, context());
    expect(await stateOf(id)).toBe('running');
  });

  it('terminateInstance terminates, then is `already`; observe then says the instance is gone', async () => {
    const id = await runInstance();
    const s = instanceStep('terminateInstance', id);
    await runTwice(terminateInstance, s);
    expect(await stateOf(id)).toBe('terminated');
    expect(await terminateInstance.observe(s, context())).toMatchObject({ exists: false, props: { state: 'terminated' } });
  });

  it('cancelSpotRequest cancels the request and leaves its instance running', async () => {
    const spot = await ec2.send(
      new RequestSpotInstancesCommand({ SpotPrice: '0.05', InstanceCount: 1, Type: 'persistent', LaunchSpecification: { ImageId: await imageId(), InstanceType: 'c5.large' } }),
    );
    const sir = spot.SpotInstanceRequests![0]!.SpotInstanceRequestId!;
    const described = await ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [sir] }));
    const instanceId = described.SpotInstanceRequests![0]!.InstanceId!;
    const s = step('cancelSpotRequest', { type: 'ec2.spotRequest', id: sir, region: REGION });
    expect(await cancelSpotRequest.observe(s, context())).toMatchObject({ exists: true, props: { state: 'active', instanceId } });
    await runTwice(cancelSpotRequest, s);
    // moto forgets a cancelled request (AWS keeps it, `cancelled`): either way it is no longer open.
    const after = await ec2.send(new DescribeSpotInstanceRequestsCommand({}));
    expect((after.SpotInstanceRequests ?? []).filter((r) => r.SpotInstanceRequestId === sir && !['cancelled', 'closed'].includes(r.State ?? ''))).toEqual([]);
    expect(await stateOf(instanceId)).toBe('running');
  });

  it('cancelSpotFleetRequest cancels the fleet without terminating its instances', async () => {
    const fleet = await ec2.send(
      new RequestSpotFleetCommand({
        SpotFleetRequestConfig: {
          IamFleetRole: `arn:aws:iam::${ACCOUNT}:role/aws-ec2-spot-fleet-tagging-role`,
          AllocationStrategy: 'lowestPrice', // moto: without it RequestSpotFleet fails with HTTP 500 (KeyError)
          TargetCapacity: 2,
          Type: 'maintain',
          SpotPrice: '0.1',
          LaunchSpecifications: [{ ImageId: await imageId(), InstanceType: 't3.small' }],
        },
      }),
    );
    const fleetId = fleet.SpotFleetRequestId!;
    const instances = await ec2.send(new DescribeSpotFleetInstancesCommand({ SpotFleetRequestId: fleetId }));
    const ids = (instances.ActiveInstances ?? []).map((i) => i.InstanceId!);
    expect(ids).toHaveLength(2);
    await runTwice(cancelSpotFleetRequest, step('cancelSpotFleetRequest', { type: 'ec2.spotFleetRequest', id: fleetId, region: REGION }));
    const after = await ec2.send(new DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: [fleetId] }));
    expect(after.SpotFleetRequestConfigs?.[0]?.SpotFleetRequestState).toBe('cancelled_running');
    for (const id of ids) expect(await stateOf(id)).toBe('running');
  });
});

describe('Lambda executors against the emulator', () => {
  async function seedFunction(name: string): Promise<string> {
    const role = await iam.send(new CreateRoleCommand({ RoleName: `${name}-role`, AssumeRolePolicyDocument: trust({ Service: 'lambda.amazonaws.com' }) }));
    // moto: any bytes pass as a ZipFile; nothing unpacks it unless the function is invoked.
    const code = new TextEncoder().encode('exports.handler = async () => 1;');
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Role: role.Role!.Arn!, Handler: 'index.handler', Code: { ZipFile: code } }));
    return role.Role!.Arn!;
  }
  const reserved = async (name: string) => (await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))).ReservedConcurrentExecutions ?? null;
  const fnStep = (action: StepAction, name: string) => step(action, { type: 'lambda.function', id: name, region: REGION });

  it.each([
    ['a reserved concurrency', 7],
    ['no reservation', null],
  ])('throttleFunction sets 0 and undo restores %s', async (_label, previous) => {
    const roleArn = await seedFunction('exfil');
    if (previous !== null) await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'exfil', ReservedConcurrentExecutions: previous }));
    const s = fnStep('throttleFunction', 'exfil');
    expect(await throttleFunction.observe(s, context())).toMatchObject({ exists: true, props: { name: 'exfil', roleArn, roles: ['exfil-role'] } });
    const done = await runTwice(throttleFunction, s);
    expect(done.undo).toEqual({ previousReservedConcurrency: previous });
    expect(await reserved('exfil')).toBe(0);
    await throttleFunction.undo!(s, done.undo!, context());
    expect(await reserved('exfil')).toBe(previous);
  });

  it('deleteFunction deletes the function, then is `already`', async () => {
    await seedFunction('exfil');
    const s = fnStep('deleteFunction', 'exfil');
    await runTwice(deleteFunction, s);
    expect(await outcomeOf(lambda.send(new GetFunctionCommand({ FunctionName: 'exfil' })))).toBe('ResourceNotFoundException');
    expect(await deleteFunction.observe(s, context())).toEqual({ exists: false, props: {} });
  });
});
