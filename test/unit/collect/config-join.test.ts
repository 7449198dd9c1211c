/**
 * The join of AWS Config's resources to the collectors' (collect/config-join.ts):
 * one record per resource. A collector's own record wins where it answered;
 * Config's stays where that collector has a gap; a Tagging API entry for the
 * same ARN gives Config's record its tags and goes.
 */
import { describe, expect, it } from 'vitest';
import { joinConfig, ranKey } from '../../../src/collect/config-join.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import type { Gap } from '../../../src/model/inventory.js';
import type { Resource } from '../../../src/model/resource.js';
import { ACCOUNT, NOW, baseline, instance, inventory, user } from '../../helpers/resources.js';
import { configRow } from '../rules/config-cases.js';

const gap = (type: Gap['type'], region: string): Gap => ({ type, region, operation: 'x:Y', code: 'TimeoutError', message: 'timed out' });
/** Every collector ran everywhere these tests look. */
const ran = new Set(['us-east-1', 'eu-west-1', 'ap-south-1', 'global'].flatMap((r) => (['ec2.instance', 'ec2.spotFleetRequest', 'iam.user', 'tagged.resource'] as const).map((t) => ranKey(t, r))));
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
    const out = joinConfig([instance('i-1', 'us-east-1'), user('alice'), tagged, otherTagged, ...fromConfig], [], ran);
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
    const out = joinConfig([instance('i-1', 'us-east-1'), ...fromConfig], [gap('ec2.instance', 'eu-west-1'), gap('iam.user', 'global')], ran);
    expect(ids(out)).toEqual(
      ['ec2.instance us-east-1 i-1', 'config.resource eu-west-1 AWS::EC2::Instance/i-2', 'config.resource global AWS::IAM::User/AIDA1', 'config.resource us-east-1 AWS::SageMaker::NotebookInstance/nb'].sort(),
    );
    expect(out.find((r) => r.id === 'AWS::EC2::Instance/i-2')!.props.collectedAs).toBe('ec2.instance');
  });

  it("where Config has a gap in the region (a type it does not record, a stopped recorder), the Tagging API's entry stays, once, and is judged as without Config", () => {
    const arn = `arn:aws:sagemaker:ap-south-1:${ACCOUNT}:notebook-instance/miner`;
    const taggedMiner: Resource = { ...tagged, id: arn, arn, region: 'ap-south-1', props: { service: 'sagemaker', resourceType: 'notebook-instance', name: 'miner' } };
    const stale = { ...configRow('AWS::SageMaker::NotebookInstance', 'miner', 'ap-south-1', { tags: { owner: 'x' } }), arn };
    const gaps: Gap[] = [{ type: 'config.resource', region: 'ap-south-1', operation: 'config:DescribeConfigurationRecorders', code: 'ConfigTypesNotRecorded', message: 'records only 1 type' }];
    const out = joinConfig([taggedMiner, stale], gaps, ran);
    expect(ids(out)).toEqual([`tagged.resource ap-south-1 ${arn}`]);
    // A definite critical failure without Config stays one with Config.
    const rules = loadRules([builtinRulesDir()]);
    const { violations } = evaluate({ inventory: inventory(out, gaps), baseline: baseline({ regions: { allowed: ['us-east-1'] } }), rules, now: NOW });
    // (Config's own rule is unknown there, for the gap: it no longer hides the failure.)
    expect(violations.filter((v) => v.ruleId.includes('region-not-allowed')).map((v) => [v.ruleId, v.status, v.severity]).sort()).toEqual([
      ['config-resource-region-not-allowed', 'unknown', 'critical'],
      ['resource-region-not-allowed', 'fail', 'critical'],
    ]);
  });

  it("where a collector did not run (the spot fleet gate skipped it: no gap, no answer), Config's record of its resource stays", () => {
    const fleet = configRow('AWS::EC2::SpotFleet', 'sfr-1', 'us-east-1');
    const skipped = new Set([...ran].filter((k) => k !== ranKey('ec2.spotFleetRequest', 'us-east-1')));
    expect(ids(joinConfig([fleet], [], skipped))).toEqual(['config.resource us-east-1 AWS::EC2::SpotFleet/sfr-1']);
    expect(joinConfig([fleet], [], ran)).toEqual([]);
  });

  it('without Config, nothing changes', () => {
    const rs = [instance('i-1', 'us-east-1'), tagged];
    expect(joinConfig(rs, [], ran)).toBe(rs);
  });
});
