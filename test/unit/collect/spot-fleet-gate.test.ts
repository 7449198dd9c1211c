import { describe, expect, it } from 'vitest';
import { spotFleetGate } from '../../../src/collect/spot-fleet-gate.js';

const trust = (principal: unknown, extra: Record<string, unknown> = {}) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }],
});
const role = (name: string, trustPolicy: unknown) => ({ name, trustPolicy });

describe('spotFleetGate', () => {
  it('closes when the roles were read and none can be assumed by Spot Fleet, with a note saying so', () => {
    const gate = spotFleetGate([
      role('web', trust({ Service: 'ec2.amazonaws.com' })),
      role('ci', trust({ AWS: 'arn:aws:iam::123456789012:root' })),
      role('deny', { Statement: [{ Effect: 'Deny', Principal: { Service: 'spotfleet.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    ]);
    expect(gate).toEqual({ list: false, note: expect.stringMatching(/^Spot fleets were not listed: no IAM role trusts spotfleet\.amazonaws\.com/) });
    expect(spotFleetGate([])).toMatchObject({ list: false });
  });

  it('opens for the fleet role and for the service-linked role, in both partitions', () => {
    expect(spotFleetGate([role('aws-ec2-spot-fleet-tagging-role', trust({ Service: 'spotfleet.amazonaws.com' }))])).toEqual({
      list: true,
      because: 'role aws-ec2-spot-fleet-tagging-role trusts spotfleet.amazonaws.com',
    });
    expect(spotFleetGate([role('AWSServiceRoleForEC2SpotFleet', trust({ Service: ['ec2.amazonaws.com', 'spotfleet.amazonaws.com'] }))])).toMatchObject({ list: true });
    expect(spotFleetGate([role('fleet', trust({ Service: 'spotfleet.amazonaws.com.cn' }))])).toMatchObject({ list: true });
    expect(spotFleetGate([role('fleet', trust({ Service: 'spotfleet.amazonaws.com.evil' }))])).toMatchObject({ list: false });
  });

  it('opens on doubt: roles unread, a trust policy unreadable, one trusting everyone or allowing with NotPrincipal', () => {
    expect(spotFleetGate(null)).toEqual({ list: true, because: 'the IAM roles could not be read' });
    expect(spotFleetGate([role('odd', 'not json{')])).toEqual({ list: true, because: 'role odd trusts a trust policy rollcall cannot read' });
    expect(spotFleetGate([role('none', null)])).toMatchObject({ list: true });
    expect(spotFleetGate([role('open', trust('*'))])).toEqual({ list: true, because: 'role open trusts *' });
    expect(spotFleetGate([role('open', trust({ AWS: '*' }))])).toMatchObject({ list: true });
    const notPrincipal = { Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }] };
    expect(spotFleetGate([role('inverted', notPrincipal)])).toEqual({ list: true, because: 'role inverted trusts NotPrincipal' });
  });
});
