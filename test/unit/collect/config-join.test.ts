/**
 * The join of AWS Config's resources to the collectors' (collect/config-join.ts):
 * one record per resource. A collector's own record wins where it answered;
 * Config's stays where that collector has a gap; a Tagging API entry for the
 * same ARN gives Config's record its tags and goes.
 */
import { describe, expect, it } from 'vitest';
import { joinConfig } from '../../../src/collect/config-join.js';
import type { Gap } from '../../../src/model/inventory.js';
import type { Resource } from '../../../src/model/resource.js';
import { ACCOUNT, instance, user } from '../../helpers/resources.js';
import { configRow } from '../rules/config-cases.js';

const gap = (type: Gap['type'], region: string): Gap => ({ type, region, operation: 'x:Y', code: 'TimeoutError', message: 'timed out' });
const ids = (rs: Resource[]) => rs.map((r) => `${r.type} ${r.region} ${r.id}`).sort();

describe('joinConfig', () => {
  const fromConfig = [
    configRow('AWS::EC2::Instance', 'i-1', 'us-east-1'),
    configRow('AWS::EC2::Instance', 'i-2', 'eu-west-1'),
    configRow('AWS::IAM::User', 'AIDA1', 'global', { name: 'alice' }),
    configRow('AWS::SageMaker::NotebookInstance', 'nb', 'us-east-1', { tags: { stale: 'yes' } }),
  ];
  const notebookArn = fromConfig[3]!.arn!;
  const tagged: Resource = { type: 'tagged.resource', id: notebookArn, arn: notebookArn, region: 'us-east-1', accountId: ACCOUNT, tags: { owner: 'research' }, props: { service: 'sagemaker', resourceType: 'notebook-instance', name: 'nb' } };
  const otherTagged: Resource = { ...tagged, id: 'arn:aws:s3:::bucket', arn: 'arn:aws:s3:::bucket' };

  it('a collector that answered wins: Config copies of its resources go, even ones it does not list (gone since Config recorded them)', () => {
    const out = joinConfig([instance('i-1', 'us-east-1'), user('alice'), tagged, otherTagged, ...fromConfig], []);
    expect(ids(out)).toEqual(
      [
        'ec2.instance us-east-1 i-1',
        'iam.user global alice',
        'tagged.resource us-east-1 arn:aws:s3:::bucket',
        'config.resource us-east-1 AWS::SageMaker::NotebookInstance/nb',
      ].sort(),
    );
    // The Tagging API's entry for the notebook is joined into Config's record: its tags, not Config's (which may lag).
    expect(out.find((r) => r.type === 'config.resource')!).toMatchObject({ tags: { owner: 'research' }, props: { tagged: true } });
  });

  it("where a collector has a gap, Config's record of its resource stays, marked with the type that collector gives it", () => {
    const out = joinConfig([instance('i-1', 'us-east-1'), ...fromConfig], [gap('ec2.instance', 'eu-west-1'), gap('iam.user', 'global')]);
    expect(ids(out)).toEqual(
      ['ec2.instance us-east-1 i-1', 'config.resource eu-west-1 AWS::EC2::Instance/i-2', 'config.resource global AWS::IAM::User/AIDA1', 'config.resource us-east-1 AWS::SageMaker::NotebookInstance/nb'].sort(),
    );
    expect(out.find((r) => r.id === 'AWS::EC2::Instance/i-2')!.props.collectedAs).toBe('ec2.instance');
  });

  it('without Config, nothing changes', () => {
    const rs = [instance('i-1', 'us-east-1'), tagged];
    expect(joinConfig(rs, [])).toBe(rs);
  });
});
