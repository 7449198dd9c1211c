import {
  CancelSpotFleetRequestsCommand,
  CancelSpotInstanceRequestsCommand,
  DescribeSpotFleetRequestsCommand,
  DescribeSpotInstanceRequestsCommand,
  EC2Client,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executor as cancelSpotFleetRequest } from '../../../../src/apply/executors/cancelSpotFleetRequest.js';
import { executor as cancelSpotRequest } from '../../../../src/apply/executors/cancelSpotRequest.js';
import { awsError } from '../../../helpers/regional.js';
import { context, step, trace } from './context.js';

const ec2 = mockClient(EC2Client);
const SIR = 'sir-abcd1234';
const FLEET = 'sfr-11111111-2222-3333-4444-555555555555';
const SPOT = step('cancelSpotRequest', { type: 'ec2.spotRequest', id: SIR, region: 'us-east-1' });
const FLEET_STEP = step('cancelSpotFleetRequest', { type: 'ec2.spotFleetRequest', id: FLEET, region: 'us-east-1' });

const request = (State: string) => ({ SpotInstanceRequests: [{ SpotInstanceRequestId: SIR, State: State as never, Type: 'persistent' as const, InstanceId: 'i-0spot' }] });
const fleet = (state: string) => ({ SpotFleetRequestConfigs: [{ SpotFleetRequestId: FLEET, SpotFleetRequestState: state as never }] });

beforeEach(() => {
  ec2.reset();
});

describe('cancelSpotRequest', () => {
  it('cancels an active request and leaves its instance alone (the plan stops or terminates it in its own step)', async () => {
    ec2.on(DescribeSpotInstanceRequestsCommand).resolves(request('active'));
    ec2.on(CancelSpotInstanceRequestsCommand).resolves({});
    expect(await cancelSpotRequest.run(SPOT, context())).toMatchObject({ result: 'done' });
    expect(trace(ec2)).toEqual([`DescribeSpotInstanceRequests ${SIR}`, `CancelSpotInstanceRequests ${SIR}`]);
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
    expect(cancelSpotRequest.undo).toBeUndefined();
  });

  it.each(['closed', 'cancelled', 'failed'])('is `already` for a %s request', async (state) => {
    ec2.on(DescribeSpotInstanceRequestsCommand).resolves(request(state));
    expect(await cancelSpotRequest.run(SPOT, context())).toEqual({ result: 'already' });
    expect(await cancelSpotRequest.observe(SPOT, context())).toMatchObject({ exists: false, props: { state, instanceId: 'i-0spot' } });
  });

  it('is `already` for a request EC2 does not know (moto forgets a cancelled one)', async () => {
    ec2.on(DescribeSpotInstanceRequestsCommand).rejectsOnce(awsError('InvalidSpotInstanceRequestID.NotFound', `The spot instance request ID '${SIR}' does not exist`, 400)).resolves({ SpotInstanceRequests: [] });
    expect(await cancelSpotRequest.run(SPOT, context())).toEqual({ result: 'already' });
    expect(await cancelSpotRequest.run(SPOT, context())).toEqual({ result: 'already' });
  });
});

describe('cancelSpotFleetRequest', () => {
  it('cancels the fleet without terminating its instances', async () => {
    ec2.on(DescribeSpotFleetRequestsCommand).resolves(fleet('active'));
    ec2.on(CancelSpotFleetRequestsCommand).resolves({ SuccessfulFleetRequests: [{ SpotFleetRequestId: FLEET }] });
    expect(await cancelSpotFleetRequest.run(FLEET_STEP, context())).toMatchObject({ result: 'done' });
    expect(ec2.commandCalls(CancelSpotFleetRequestsCommand)[0]!.args[0].input).toEqual({ SpotFleetRequestIds: [FLEET], TerminateInstances: false });
  });

  it.each(['cancelled', 'cancelled_running', 'cancelled_terminating', 'failed'])('is `already` for a %s fleet', async (state) => {
    ec2.on(DescribeSpotFleetRequestsCommand).resolves(fleet(state));
    expect(await cancelSpotFleetRequest.run(FLEET_STEP, context())).toEqual({ result: 'already' });
    expect(ec2.commandCalls(CancelSpotFleetRequestsCommand)).toHaveLength(0);
  });

  it('reads a refusal from the answer: gone is `already`, anything else fails', async () => {
    ec2.on(DescribeSpotFleetRequestsCommand).resolves(fleet('active'));
    const refusal = (Code: string) => ({ UnsuccessfulFleetRequests: [{ SpotFleetRequestId: FLEET, Error: { Code: Code as never, Message: 'nope' } }] });
    ec2.on(CancelSpotFleetRequestsCommand).resolvesOnce(refusal('fleetRequestIdDoesNotExist')).resolves(refusal('unexpectedError'));
    expect(await cancelSpotFleetRequest.run(FLEET_STEP, context())).toEqual({ result: 'already' });
    await expect(cancelSpotFleetRequest.run(FLEET_STEP, context())).rejects.toThrow(`Cannot cancel spot fleet request ${FLEET}: unexpectedError: nope`);
  });
});
