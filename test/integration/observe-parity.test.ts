/**
 * What apply re-reads is what the collector read: for each kind of target seeded
 * in the emulator, the props an executor's observe returns equal the props the
 * collector puts in the inventory, on every key both hold (the keys a
 * precondition may name among them), and the precondition the planner builds
 * from the inventory holds against the re-read. Both sides map AWS's answers
 * with the same code in src/answers; this pins that they stay so.
 */
import { DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePermissionsBoundaryCommand,
} from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecContext, Executor, Observed } from '../../src/apply/executor.js';
import { executor as deactivateAccessKey } from '../../src/apply/executors/deactivateAccessKey.js';
import { executor as deleteGroup } from '../../src/apply/executors/deleteGroup.js';
import { executor as deleteLoginProfile } from '../../src/apply/executors/deleteLoginProfile.js';
import { executor as deletePolicy } from '../../src/apply/executors/deletePolicy.js';
import { executor as quarantineRole } from '../../src/apply/executors/quarantineRole.js';
import { executor as quarantineUser } from '../../src/apply/executors/quarantineUser.js';
import { executor as stopInstance } from '../../src/apply/executors/stopInstance.js';
import { executor as throttleFunction } from '../../src/apply/executors/throttleFunction.js';
import { checkPrecondition } from '../../src/apply/guards.js';
import { AwsClients } from '../../src/aws/clients.js';
import { collectEc2 } from '../../src/collect/ec2.js';
import { collectIam } from '../../src/collect/iam.js';
import { collectLambda } from '../../src/collect/lambda.js';
import type { StepAction } from '../../src/model/action.js';
import type { PlanStep } from '../../src/model/plan.js';
import type { Plain, Resource } from '../../src/model/resource.js';
import { preconditionOf } from '../../src/plan/describe.js';
import { resetEmulator } from '../helpers/emulator.js';
import { ACCOUNT } from '../helpers/resources.js';

const REGION = 'us-east-1';
const S3_READ = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
// A bare account id (normalised to its root ARN), an ARN and a service: the trusted principals must read alike.
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: ['111111111111', 'arn:aws:iam::222222222222:role/ci'] }, Action: 'sts:AssumeRole' },
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});
const BOUNDARY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

const iam = new IAMClient({ region: REGION });
const ec2 = new EC2Client({ region: REGION });
const lambda = new LambdaClient({ region: REGION });
let clients: AwsClients;

beforeEach(async () => {
  await resetEmulator();
  clients = new AwsClients();
});

afterEach(() => {
  clients.destroy();
});

afterAll(() => {
  for (const c of [iam, ec2, lambda]) c.destroy();
});

const context = (): ExecContext => ({ clients, accountId: ACCOUNT, now: new Date(), secretsDir: '/nonexistent', log: () => {}, intend: () => {} });

/** A step on the resource as the planner makes it: its target from the inventory, its precondition from the inventory's props. */
function stepOn(action: StepAction, r: Resource, ref: Record<string, string> = {}): PlanStep {
  const target = { type: r.type, id: r.id, region: r.region, ref, subject: `${r.type}/${r.id}`, ...(r.arn ? { arn: r.arn } : {}) };
  return {
    id: `${action} ${target.subject}`,
    action,
    target,
    description: action,
    because: [],
    dependsOn: [],
    precondition: preconditionOf(action, r.props),
    reversible: false,
    destructive: false,
  };
}

function find(resources: Resource[], type: Resource['type'], id: string): Resource {
  const found = resources.find((r) => r.type === type && r.id === id);
  if (!found) throw new Error(`the collector found no ${type} ${id}`);
  return found;
}

/**
 * The observed props on the keys the inventory's props also hold, and the
 * inventory's on those keys. `''` in the inventory is AWS not saying (moto's
 * GetAccountAuthorizationDetails omits a policy's PolicyId), which the planner
 * never puts in a precondition either (knownFacts).
 */
function shared(inventory: Record<string, Plain>, seen: Observed): { collected: Record<string, Plain>; observed: Record<string, Plain> } {
  const keys = Object.keys(inventory).filter((k) => k in seen.props && inventory[k] !== '');
  return {
    collected: Object.fromEntries(keys.map((k) => [k, inventory[k] as Plain])),
    observed: Object.fromEntries(keys.map((k) => [k, seen.props[k] as Plain])),
  };
}

/** Observes the target of a step on `r` and compares: the same props on every shared key, the precondition's keys among them, and the precondition holds. */
async function expectParity(executor: Executor, action: StepAction, r: Resource, ref: Record<string, string> = {}, minShared = 1): Promise<void> {
  const step = stepOn(action, r, ref);
  const seen = await executor.observe(step, context());
  expect(seen.exists, `${action} ${r.id} exists`).toBe(true);
  const { collected, observed } = shared(r.props, seen);
  expect(Object.keys(collected).length, `${action}: keys both hold`).toBeGreaterThanOrEqual(minShared);
  expect(observed, `${action} ${r.type} ${r.id}`).toEqual(collected);
  for (const key of Object.keys(step.precondition.props)) expect(Object.keys(observed), `${action}: precondition key ${key}`).toContain(key);
  expect(checkPrecondition(step, seen)).toEqual({ kind: 'ok' });
}

describe('observe reads what the collector read', () => {
  it('IAM: a user, its login profile and key, a role with a boundary, a group and a customer policy', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'mallory', Path: '/ops/', Tags: [{ Key: 'team', Value: 'red' }] }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'mallory', Password: 'Correct-Horse-9' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'mallory' }))).AccessKey!.AccessKeyId!;
    await iam.send(new CreateRoleCommand({ RoleName: 'backdoor', Path: '/svc/', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'backdoor', PermissionsBoundary: BOUNDARY }));
    await iam.send(new CreateGroupCommand({ GroupName: 'ops', Path: '/team/' }));
    await iam.send(new CreatePolicyCommand({ PolicyName: 'everything', Path: '/team/', PolicyDocument: S3_READ }));

    const { resources, gaps } = await collectIam(clients.iam(), { accountId: ACCOUNT, now: new Date() });
    expect(gaps).toEqual([]);

    const user = find(resources, 'iam.user', 'mallory');
    await expectParity(quarantineUser, 'quarantineUser', user, {}, 5);
    await expectParity(deleteLoginProfile, 'deleteLoginProfile', find(resources, 'iam.loginProfile', 'mallory'), { user: 'mallory' });
    await expectParity(deactivateAccessKey, 'deactivateAccessKey', find(resources, 'iam.accessKey', key), { user: 'mallory', accessKeyId: key }, 7);
    const role = find(resources, 'iam.role', 'backdoor');
    expect(role.props).toMatchObject({ permissionsBoundary: BOUNDARY, trustedPrincipals: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:role/ci', 'lambda.amazonaws.com'] });
    await expectParity(quarantineRole, 'quarantineRole', role, {}, 9);
    await expectParity(deleteGroup, 'deleteGroup', find(resources, 'iam.group', 'ops'), {}, 4);
    await expectParity(deletePolicy, 'deletePolicy', find(resources, 'iam.policy', 'everything'), {}, 6);
  });

  it('EC2 and Lambda: an instance and a function', async () => {
    const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['amzn2-ami-hvm-*-x86_64-gp2'] }] }));
    const run = await ec2.send(
      new RunInstancesCommand({ ImageId: images.Images![0]!.ImageId!, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'miner' }] }] }),
    );
    const instanceId = run.Instances![0]!.InstanceId!;
    const role = await iam.send(new CreateRoleCommand({ RoleName: 'exfil-role', AssumeRolePolicyDocument: TRUST }));
    // moto: any bytes pass as a ZipFile; nothing unpacks it unless the function is invoked.
    const code = new TextEncoder().encode('exports.handler = async () => 1;');
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'exfil', Runtime: 'nodejs20.x', Role: role.Role!.Arn!, Handler: 'index.handler', Code: { ZipFile: code } }));

    const ctx = { accountId: ACCOUNT, region: REGION, now: new Date() };
    const instances = await collectEc2(clients.ec2(REGION), ctx);
    const functions = await collectLambda(clients.lambda(REGION), ctx);
    expect([...instances.gaps, ...functions.gaps]).toEqual([]);

    await expectParity(stopInstance, 'stopInstance', find(instances.resources, 'ec2.instance', instanceId), {}, 10);
    await expectParity(throttleFunction, 'throttleFunction', find(functions.resources, 'lambda.function', 'exfil'), {}, 8);
  });
});
