import { describe, expect, it } from 'vitest';
import { formatArn, parseArn, partitionOf } from '../../../src/answers/arn.js';

describe('parseArn', () => {
  it.each([
    ['arn:aws:s3:::bucket', 's3', '', '', '', 'bucket'],
    ['arn:aws:ec2:r:a:volume/vol-1', 'ec2', 'r', 'a', 'volume', 'vol-1'],
    ['arn:aws:lambda:r:a:function:fn', 'lambda', 'r', 'a', 'function', 'fn'],
    ['arn:aws:sqs:r:a:queue-name', 'sqs', 'r', 'a', '', 'queue-name'],
    ['arn:aws:lambda:r:a:function:fn:live', 'lambda', 'r', 'a', 'function', 'fn:live'],
    ['arn:aws:iam::123456789012:role/service-role/deploy', 'iam', '', '123456789012', 'role', 'service-role/deploy'],
    ['arn:aws:logs:r:a:log-group:/aws/lambda/fn', 'logs', 'r', 'a', 'log-group', '/aws/lambda/fn'],
    ['arn:aws:elasticloadbalancing:r:a:loadbalancer/app/web/50dc6c495c0c9188', 'elasticloadbalancing', 'r', 'a', 'loadbalancer', 'app/web/50dc6c495c0c9188'],
    ['arn:aws:apigateway:r::/restapis/abc', 'apigateway', 'r', '', '', '/restapis/abc'],
    ['arn:aws:s3:::bucket/key/part', 's3', '', '', 'bucket', 'key/part'],
  ])('%s -> %s %s %s [%s] %s', (text, service, region, accountId, resourceType, name) => {
    expect(parseArn(text)).toMatchObject({ partition: 'aws', service, region, accountId, resourceType, name });
  });

  it('keeps the partition and the whole resource part', () => {
    expect(parseArn('arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-1')).toEqual({
      partition: 'aws-cn',
      service: 'ec2',
      region: 'cn-north-1',
      accountId: '123456789012',
      resource: 'instance/i-1',
      resourceType: 'instance',
      name: 'i-1',
    });
  });

  it.each(['', 'bucket', 'arn:aws:s3', 'arn:aws:s3:::', 'arx:aws:s3:::bucket', 'arn::s3:::bucket', 'arn:aws::r:a:thing'])('rejects %j', (text) => {
    expect(parseArn(text)).toBeNull();
  });
});

describe('formatArn', () => {
  it('builds an ARN in the partition of its region', () => {
    expect(formatArn('ec2', 'us-east-1', '123456789012', 'instance/i-1')).toBe('arn:aws:ec2:us-east-1:123456789012:instance/i-1');
    expect(formatArn('ec2', 'cn-northwest-1', '1', 'volume/v')).toBe('arn:aws-cn:ec2:cn-northwest-1:1:volume/v');
    expect(formatArn('lambda', 'us-gov-west-1', '1', 'function:f')).toBe('arn:aws-us-gov:lambda:us-gov-west-1:1:function:f');
    expect(partitionOf('eu-west-1')).toBe('aws');
  });

  it('round-trips through parseArn', () => {
    const arn = formatArn('ec2', 'eu-west-1', '123456789012', 'spot-fleet-request/sfr-1');
    expect(parseArn(arn)).toMatchObject({ service: 'ec2', region: 'eu-west-1', accountId: '123456789012', resourceType: 'spot-fleet-request', name: 'sfr-1' });
  });
});
