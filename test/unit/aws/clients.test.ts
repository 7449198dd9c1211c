import { EC2Client } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../../src/aws/clients.js';
import { ProjectingEc2Protocol } from '../../../src/aws/ec2-protocol.js';

describe('AwsClients', () => {
  let clients: AwsClients | undefined;
  afterEach(() => {
    clients?.destroy();
    clients = undefined;
  });

  it('builds each service and region once, without the SDK logger middleware', () => {
    clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
    const ec2 = clients.ec2('eu-west-1');
    expect(clients.ec2('eu-west-1')).toBe(ec2);
    expect(clients.ec2('us-east-1')).not.toBe(ec2);
    const names = ec2.middlewareStack.identify().map((entry) => entry.split(' ')[0]);
    expect(names).not.toContain('loggerMiddleware');
    expect(names.length).toBeGreaterThan(5); // the rest of the stack is intact
    expect(new EC2Client({ region: 'eu-west-1' }).middlewareStack.identify().some((e) => e.startsWith('loggerMiddleware'))).toBe(true);
  });

  it('reads EC2 instances and spot requests through projections', () => {
    clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
    expect(clients.ec2('eu-west-1').config.protocol).toBeInstanceOf(ProjectingEc2Protocol);
    expect(new EC2Client({ region: 'eu-west-1' }).config.protocol).not.toBeInstanceOf(ProjectingEc2Protocol);
  });
});
