import { describe, expect, it } from 'vitest';
import { joinResources } from '../../../src/collect/join.js';
import type { Gap } from '../../../src/model/inventory.js';
import type { Props, Resource, ResourceType } from '../../../src/model/resource.js';
import { ACCOUNT, role, user } from '../../helpers/resources.js';

const regional = (type: ResourceType, region: string, id: string, arn: string, props: Props = {}, tags: Record<string, string> = {}): Resource => ({
  type,
  id,
  arn,
  region,
  accountId: ACCOUNT,
  tags,
  props,
});
const instance = (region: string, id: string, profile: string | null) =>
  regional('ec2.instance', region, id, `arn:aws:ec2:${region}:${ACCOUNT}:instance/${id}`, {
    state: 'running',
    instanceProfileArn: profile && `arn:aws:iam::${ACCOUNT}:instance-profile/${profile}`,
    roles: null,
  });
const fn = (region: string, name: string) => regional('lambda.function', region, name, `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`, { name });
const tagged = (arn: string, tags: Record<string, string>) => regional('tagged.resource', arn.split(':')[3] ?? '', arn, arn, {}, tags);
const gap = (type: ResourceType, region: string): Gap => ({ type, region, operation: 'x:Y', code: 'TimeoutError', message: 'timed out' });
const byId = (resources: Resource[], id: string) => resources.find((r) => r.id === id);

describe('joinResources', () => {
  it('gives each function the tags the Tagging API holds for its ARN; none there means {}', () => {
    const out = joinResources(
      [fn('us-east-1', 'orders'), fn('us-east-1', 'untagged'), fn('eu-west-1', 'orders'), tagged(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders`, { team: 'orders' })],
      [],
    );
    expect(out.filter((r) => r.type === 'lambda.function').map((r) => [r.region, r.id, r.tags])).toEqual([
      ['us-east-1', 'orders', { team: 'orders' }],
      ['us-east-1', 'untagged', {}],
      ['eu-west-1', 'orders', {}],
    ]);
  });

  it('drops Tagging API entries for what a specific collector lists, keeps the rest', () => {
    const bucket = tagged('arn:aws:s3:::logs', { team: 'ops' });
    const volume = tagged(`arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-1`, { team: 'web' });
    const out = joinResources(
      [
        instance('us-east-1', 'i-1', null),
        regional('ec2.spotRequest', 'us-east-1', 'sir-1', `arn:aws:ec2:us-east-1:${ACCOUNT}:spot-instances-request/sir-1`),
        regional('ec2.spotFleetRequest', 'us-east-1', 'sfr-1', `arn:aws:ec2:us-east-1:${ACCOUNT}:spot-fleet-request/sfr-1`),
        fn('us-east-1', 'orders'),
        tagged(`arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1`, { team: 'web' }),
        tagged(`arn:aws:ec2:us-east-1:${ACCOUNT}:spot-instances-request/sir-1`, { a: 'b' }),
        tagged(`arn:aws:ec2:us-east-1:${ACCOUNT}:spot-fleet-request/sfr-1`, { a: 'b' }),
        tagged(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders`, { a: 'b' }),
        bucket,
        volume,
      ],
      [],
    );
    expect(out.filter((r) => r.type === 'tagged.resource')).toEqual([bucket, volume]);
    expect(out).toHaveLength(6);
  });

  it('an entry for a kind whose collector answered but did not list it is stale and dropped; with a gap there, it is all we know and stays', () => {
    const stale = tagged(`arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-gone`, {});
    const hidden = tagged(`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-9`, { Name: 'miner' });
    const out = joinResources([stale, hidden], [gap('ec2.instance', 'eu-west-1')]);
    expect(out).toEqual([hidden]);
  });

  it('when the tagging call failed, functions keep {} and its gap is left alone', () => {
    const gaps = [gap('tagged.resource', 'us-east-1')];
    const out = joinResources([fn('us-east-1', 'orders')], gaps);
    expect(out[0]?.tags).toEqual({});
    expect(gaps).toEqual([gap('tagged.resource', 'us-east-1')]);
  });

  it("fills an instance's roles from its profile's roles in IAM: [] without a profile, null when IAM roles are unknown", () => {
    const iam = [
      role('web', [], { instanceProfiles: ['web-profile'] }),
      role('web-extra', [], { instanceProfiles: ['web-profile', 'other'] }),
      role('lonely', []),
      user('alice'),
    ];
    const resources = [...iam, instance('us-east-1', 'i-web', 'web-profile'), instance('us-east-1', 'i-bare', null), instance('us-east-1', 'i-orphan', 'deleted')];
    const out = joinResources(resources, []);
    expect(byId(out, 'i-web')?.props.roles).toEqual(['web', 'web-extra']);
    expect(byId(out, 'i-bare')?.props.roles).toEqual([]);
    expect(byId(out, 'i-orphan')?.props.roles).toEqual([]);
    expect(byId(joinResources(resources, [gap('iam.role', 'global')]), 'i-web')?.props.roles).toBeNull();
    expect(byId(joinResources(resources, [gap('iam.role', 'global')]), 'i-bare')?.props.roles).toEqual([]);
  });

  it('reads the profile name from a path-qualified instance profile ARN', () => {
    const i = instance('us-east-1', 'i-1', null);
    i.props.instanceProfileArn = `arn:aws:iam::${ACCOUNT}:instance-profile/team/web/web-profile`;
    expect(byId(joinResources([role('web', [], { instanceProfiles: ['web-profile'] }), i], []), 'i-1')?.props.roles).toEqual(['web']);
  });

  it('does not modify its input', () => {
    const input = [fn('us-east-1', 'orders'), tagged(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders`, { team: 'orders' }), instance('us-east-1', 'i-1', null)];
    const copy = structuredClone(input);
    joinResources(input, []);
    expect(input).toEqual(copy);
  });
});
