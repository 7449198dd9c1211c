import { DescribeInstancesCommand, EC2Client, StartInstancesCommand, StopInstancesCommand, TerminateInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executor as stopInstance } from '../../../../src/apply/executors/stopInstance.js';
import { executor as terminateInstance } from '../../../../src/apply/executors/terminateInstance.js';
import { awsError } from '../../../helpers/regional.js';
import { context, step, trace } from './context.js';

const ec2 = mockClient(EC2Client);
const ID = 'i-0abc1234567890def';
const LAUNCHED = new Date('2026-11-21T00:00:00Z');
const STOP = step('stopInstance', { type: 'ec2.instance', id: ID, region: 'eu-west-1' });
const TERMINATE = step('terminateInstance', { type: 'ec2.instance', id: ID, region: 'eu-west-1' });
const notFound = () => awsError('InvalidInstanceID.NotFound', `The instance ID '${ID}' does not exist`, 400);

const instance = (state: string, extra: Partial<Instance> = {}): Instance => ({
  InstanceId: ID,
  State: { Name: state as never },
  InstanceType: 'p3.16xlarge',
  LaunchTime: LAUNCHED,
  ImageId: 'ami-12345678',
  Tags: [{ Key: 'Name', Value: 'miner' }],
  ...extra,
});
const described = (...states: string[]) => states.map((s) => ({ Reservations: [{ Instances: [instance(s)] }] }));

beforeEach(() => {
  ec2.reset();
});

describe('stopInstance', () => {
  it('stops a running instance in the target region and records its state', async () => {
    ec2.on(DescribeInstancesCommand).resolves(described('running')[0]!);
    ec2.on(StopInstancesCommand).resolves({});
    const ctx = context();
    expect(await stopInstance.run(STOP, ctx)).toEqual({ result: 'done', undo: { previousState: 'running' } });
    expect(trace(ec2)).toEqual([`DescribeInstances ${ID}`, `StopInstances ${ID}`]);
    expect(await ctx.clients.ec2('eu-west-1').config.region()).toBe('eu-west-1');
  });

  it.each(['stopping', 'stopped', 'shutting-down', 'terminated'])('is `already` for a %s instance', async (state) => {
    ec2.on(DescribeInstancesCommand).resolves(described(state)[0]!);
    expect(await stopInstance.run(STOP, context())).toEqual({ result: 'already' });
    expect(ec2.commandCalls(StopInstancesCommand)).toHaveLength(0);
  });

  it('is `already` for an instance EC2 no longer knows, found missing before or during the call', async () => {
    ec2.on(DescribeInstancesCommand).rejects(notFound());
    expect(await stopInstance.run(STOP, context())).toEqual({ result: 'already' });
    ec2.reset();
    ec2.on(DescribeInstancesCommand).resolves(described('running')[0]!);
    ec2.on(StopInstancesCommand).rejects(notFound());
    expect(await stopInstance.run(STOP, context())).toEqual({ result: 'already' });
  });

  it('observe gives state, type and launch time as the collector maps them; terminated counts as gone', async () => {
    ec2.on(DescribeInstancesCommand).resolvesOnce(described('running')[0]!).resolves(described('terminated')[0]!);
    expect(await stopInstance.observe(STOP, context())).toEqual({
      exists: true,
      props: expect.objectContaining({ state: 'running', instanceType: 'p3.16xlarge', launchTime: LAUNCHED.toISOString(), name: 'miner' }),
    });
    expect(await stopInstance.observe(STOP, context())).toMatchObject({ exists: false, props: { state: 'terminated' } });
  });

  it('undo starts a stopped instance, and does nothing to a running one', async () => {
    ec2.on(DescribeInstancesCommand).resolvesOnce(described('stopped')[0]!).resolves(described('running')[0]!);
    ec2.on(StartInstancesCommand).resolves({});
    const ctx = context();
    await stopInstance.undo!(STOP, { previousState: 'running' }, ctx);
    await stopInstance.undo!(STOP, { previousState: 'running' }, ctx);
    expect(trace(ec2)).toEqual([`DescribeInstances ${ID}`, `StartInstances ${ID}`, `DescribeInstances ${ID}`]);
    expect(ctx.logs).toEqual([`instance ${ID} is already running`]);
  });

  it('undo waits for a stop in progress before starting', async () => {
    const [stopping, stopped] = described('stopping', 'stopped');
    ec2.on(DescribeInstancesCommand).resolvesOnce(stopping!).resolves(stopped!);
    ec2.on(StartInstancesCommand).resolves({});
    await stopInstance.undo!(STOP, { previousState: 'running' }, context());
    expect(trace(ec2).at(-1)).toBe(`StartInstances ${ID}`);
    expect(ec2.commandCalls(DescribeInstancesCommand).length).toBeGreaterThanOrEqual(2);
  });

  it('undo says gone for an instance terminated meanwhile', async () => {
    ec2.on(DescribeInstancesCommand).resolves(described('terminated')[0]!);
    const ctx = context();
    expect(await stopInstance.undo!(STOP, { previousState: 'running' }, ctx)).toBe('gone');
    expect(ctx.logs).toContain(`instance ${ID} cannot be started again: it is terminated`);
  });
});

describe('terminateInstance', () => {
  it('terminates a stopped or running instance', async () => {
    ec2.on(DescribeInstancesCommand).resolves(described('stopped')[0]!);
    ec2.on(TerminateInstancesCommand).resolves({});
    expect(await terminateInstance.run(TERMINATE, context())).toMatchObject({ result: 'done' });
    expect(trace(ec2)).toEqual([`DescribeInstances ${ID}`, `TerminateInstances ${ID}`]);
    expect(terminateInstance.undo).toBeUndefined();
  });

  it.each(['shutting-down', 'terminated'])('is `already` for a %s instance', async (state) => {
    ec2.on(DescribeInstancesCommand).resolves(described(state)[0]!);
    expect(await terminateInstance.run(TERMINATE, context())).toEqual({ result: 'already' });
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
  });

  it('passes on a refusal such as termination protection', async () => {
    ec2.on(DescribeInstancesCommand).resolves(described('running')[0]!);
    const refusal = awsError('OperationNotPermitted', `The instance '${ID}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`, 400);
    ec2.on(TerminateInstancesCommand).rejects(refusal);
    await expect(terminateInstance.run(TERMINATE, context())).rejects.toBe(refusal);
  });
});
