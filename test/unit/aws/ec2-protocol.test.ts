/**
 * The projected EC2 reads against the SDK's own deserialisation of the same
 * AWS-shaped answers (as the EC2 API reference documents them, with every
 * member the mappings read, and decoys of the same names deeper down). The
 * emulator test covers real answers; these cover members moto leaves out
 * (spotInstanceRequestId, a spot request's instance profile).
 */
import { Readable } from 'node:stream';
import { DescribeInstancesCommand, DescribeSpotInstanceRequestsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { ProjectingEc2Protocol } from '../../../src/aws/ec2-protocol.js';
import { instance, spotRequest } from '../../../src/answers/ec2.js';
import type { RegionalContext } from '../../../src/answers/regional.js';
import { ACCOUNT } from '../../helpers/regional.js';

const ctx: RegionalContext = { accountId: ACCOUNT, region: 'ap-south-1', now: new Date('2026-11-22T00:00:00Z') };

const INSTANCES = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
  <reservationSet>
    <item>
      <reservationId>r-1234567890abcdef0</reservationId>
      <ownerId>${ACCOUNT}</ownerId>
      <groupSet/>
      <instancesSet>
        <item>
          <instanceId>i-1234567890abcdef0</instanceId>
          <imageId>ami-bff32ccc</imageId>
          <instanceState><code>16</code><name>running</name></instanceState>
          <privateDnsName>ip-192-168-1-88.ap-south-1.compute.internal</privateDnsName>
          <dnsName>ec2-54-194-252-215.ap-south-1.compute.amazonaws.com</dnsName>
          <reason/>
          <keyName>my_keypair</keyName>
          <amiLaunchIndex>0</amiLaunchIndex>
          <productCodes/>
          <instanceType>c5.4xlarge</instanceType>
          <launchTime>2026-11-20T03:14:15.000Z</launchTime>
          <placement><availabilityZone>ap-south-1b</availabilityZone><groupName/><tenancy>default</tenancy></placement>
          <monitoring><state>disabled</state></monitoring>
          <subnetId>subnet-56f5f633</subnetId>
          <vpcId>vpc-11112222</vpcId>
          <privateIpAddress>192.168.1.88</privateIpAddress>
          <ipAddress>54.194.252.215</ipAddress>
          <sourceDestCheck>true</sourceDestCheck>
          <groupSet><item><groupId>sg-e4076980</groupId><groupName>SecurityGroup1</groupName></item></groupSet>
          <architecture>x86_64</architecture>
          <rootDeviceType>ebs</rootDeviceType>
          <rootDeviceName>/dev/xvda</rootDeviceName>
          <blockDeviceMapping>
            <item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-1234567890abcdef0</volumeId><status>attached</status><attachTime>2026-11-20T03:14:16.000Z</attachTime><deleteOnTermination>true</deleteOnTermination></ebs></item>
          </blockDeviceMapping>
          <instanceLifecycle>spot</instanceLifecycle>
          <spotInstanceRequestId>sir-08b93456</spotInstanceRequestId>
          <virtualizationType>hvm</virtualizationType>
          <clientToken>xMcwG14507example</clientToken>
          <tagSet>
            <item><key>Name</key><value>miner &amp; co &lt;1&gt;</value></item>
            <item><key>aws:ec2spot:fleet-request-id</key><value>sfr-1</value></item>
          </tagSet>
          <hypervisor>xen</hypervisor>
          <networkInterfaceSet>
            <item>
              <networkInterfaceId>eni-551ba033</networkInterfaceId>
              <subnetId>subnet-decoy</subnetId>
              <vpcId>vpc-decoy</vpcId>
              <ownerId>${ACCOUNT}</ownerId>
              <status>in-use</status>
              <privateIpAddress>10.99.99.99</privateIpAddress>
              <association><publicIp>203.0.113.9</publicIp><ipOwnerId>amazon</ipOwnerId></association>
              <tagSet><item><key>Name</key><value>decoy</value></item></tagSet>
              <privateIpAddressesSet><item><privateIpAddress>10.99.99.99</privateIpAddress><primary>true</primary></item></privateIpAddressesSet>
            </item>
          </networkInterfaceSet>
          <iamInstanceProfile><arn>arn:aws:iam::${ACCOUNT}:instance-profile/miner</arn><id>AIPAJ7K7EXAMPLE</id></iamInstanceProfile>
          <ebsOptimized>false</ebsOptimized>
          <cpuOptions><coreCount>8</coreCount><threadsPerCore>2</threadsPerCore></cpuOptions>
          <metadataOptions><state>applied</state><httpTokens>optional</httpTokens></metadataOptions>
        </item>
        <item>
          <instanceId>i-0598c7d356eba48d7</instanceId>
          <imageId>ami-bff32ccc</imageId>
          <instanceState><code>80</code><name>stopped</name></instanceState>
          <instanceType>t3.nano</instanceType>
          <launchTime>2026-01-02T00:00:00.000Z</launchTime>
          <groupSet/>
          <tagSet/>
        </item>
      </instancesSet>
    </item>
  </reservationSet>
  <nextToken>eyJ2IjoiMiIsImMiOiJleGFtcGxl</nextToken>
</DescribeInstancesResponse>`;

const SPOT_REQUESTS = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeSpotInstanceRequestsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>d9f4e8c2-example</requestId>
  <spotInstanceRequestSet>
    <item>
      <spotInstanceRequestId>sir-08b93456</spotInstanceRequestId>
      <spotPrice>0.250000</spotPrice>
      <type>persistent</type>
      <state>active</state>
      <status><code>fulfilled</code><updateTime>2026-11-20T03:14:20.000Z</updateTime><message>Your spot request is fulfilled.</message></status>
      <launchSpecification>
        <imageId>ami-bff32ccc</imageId>
        <keyName>my_keypair</keyName>
        <groupSet><item><groupId>sg-e4076980</groupId><groupName>SecurityGroup1</groupName></item></groupSet>
        <instanceType>c5.4xlarge</instanceType>
        <blockDeviceMapping/>
        <monitoring><enabled>false</enabled></monitoring>
        <iamInstanceProfile><arn>arn:aws:iam::${ACCOUNT}:instance-profile/miner</arn></iamInstanceProfile>
      </launchSpecification>
      <instanceId>i-1234567890abcdef0</instanceId>
      <createTime>2026-11-20T03:14:00.000Z</createTime>
      <productDescription>Linux/UNIX</productDescription>
      <tagSet><item><key>Name</key><value>bid</value></item></tagSet>
      <launchedAvailabilityZone>ap-south-1b</launchedAvailabilityZone>
    </item>
    <item>
      <spotInstanceRequestId>sir-0e54a519</spotInstanceRequestId>
      <spotPrice>0.010000</spotPrice>
      <type>one-time</type>
      <state>open</state>
      <status><code>pending-evaluation</code></status>
      <launchSpecification><imageId>ami-bff32ccc</imageId><instanceType>t3.micro</instanceType></launchSpecification>
      <createTime>2026-11-21T00:00:00.000Z</createTime>
    </item>
  </spotInstanceRequestSet>
</DescribeSpotInstanceRequestsResponse>`;

/** An EC2 client whose HTTP layer answers every request with `xml`, in small chunks as a socket would. */
function answering(xml: string, projected: boolean): EC2Client {
  const bytes = Buffer.from(xml, 'utf8');
  const chunks = Array.from({ length: Math.ceil(bytes.length / 97) }, (_, i) => bytes.subarray(i * 97, (i + 1) * 97));
  return new EC2Client({
    region: ctx.region,
    credentials: { accessKeyId: 'AKIAUNITTEST00000000', secretAccessKey: 'unit' },
    ...(projected ? { protocol: ProjectingEc2Protocol } : {}),
    requestHandler: { handle: async () => ({ response: { statusCode: 200, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body: Readable.from(chunks) } }) },
  });
}

describe('ProjectingEc2Protocol', () => {
  it('reads DescribeInstances to the same instances as the SDK, skipping same-named members of network interfaces', async () => {
    const command = new DescribeInstancesCommand({ MaxResults: 1000 });
    const full = await answering(INSTANCES, false).send(command);
    const lean = await answering(INSTANCES, true).send(command);
    const map = (a: typeof full) => (a.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => instance(ctx, i)));
    expect(map(lean)).toEqual(map(full));
    expect(lean.NextToken).toBe(full.NextToken);
    expect(lean.NextToken).toBe('eyJ2IjoiMiIsImMiOiJleGFtcGxl');
    expect(lean.$metadata.httpStatusCode).toBe(200);
    const [miner, stopped] = map(lean);
    expect(miner!.props).toEqual({
      state: 'running',
      instanceType: 'c5.4xlarge',
      launchTime: '2026-11-20T03:14:15.000Z',
      imageId: 'ami-bff32ccc',
      keyName: 'my_keypair',
      name: 'miner & co <1>',
      instanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/miner`,
      roles: null,
      lifecycle: 'spot',
      spotRequestId: 'sir-08b93456',
      vpcId: 'vpc-11112222',
      subnetId: 'subnet-56f5f633',
      publicIp: '54.194.252.215',
      privateIp: '192.168.1.88',
    });
    expect(miner!.tags).toEqual({ Name: 'miner & co <1>', 'aws:ec2spot:fleet-request-id': 'sfr-1' });
    expect(stopped!.props).toMatchObject({ state: 'stopped', keyName: null, instanceProfileArn: null, lifecycle: 'on-demand', publicIp: null });
    expect(stopped!.tags).toEqual({});
  });

  it('reads DescribeSpotInstanceRequests to the same requests as the SDK', async () => {
    const command = new DescribeSpotInstanceRequestsCommand({ MaxResults: 1000 });
    const full = await answering(SPOT_REQUESTS, false).send(command);
    const lean = await answering(SPOT_REQUESTS, true).send(command);
    const map = (a: typeof full) => (a.SpotInstanceRequests ?? []).map((r) => spotRequest(ctx, r));
    expect(map(lean)).toEqual(map(full));
    expect(lean.NextToken).toBeUndefined();
    const [active, open] = map(lean);
    expect(active!.props).toEqual({
      state: 'active',
      statusCode: 'fulfilled',
      type: 'persistent',
      instanceId: 'i-1234567890abcdef0',
      spotPrice: '0.250000',
      instanceType: 'c5.4xlarge',
      imageId: 'ami-bff32ccc',
      keyName: 'my_keypair',
      instanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/miner`,
      createTime: '2026-11-20T03:14:00.000Z',
      name: 'bid',
    });
    expect(open!.props).toMatchObject({ state: 'open', instanceId: null, keyName: null, instanceProfileArn: null, name: null });
  });

  it('turns a truncated answer into an error, not a short list', async () => {
    const cut = INSTANCES.slice(0, INSTANCES.indexOf('<item>\n          <instanceId>i-0598'));
    await expect(answering(cut, true).send(new DescribeInstancesCommand({}))).rejects.toThrow(/malformed XML/);
  });
});
