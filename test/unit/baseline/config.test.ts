/**
 * baseline init and update with AWS Config's resources: one selector per
 * Config type found (so a new type is reported, not every default VPC), no
 * region put in use by them, types a collector lists left to their own
 * sections, and a type the baseline names strictly kept strict by update.
 */
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { baselineText, initBaseline } from '../../../src/baseline/init.js';
import { updateBaseline } from '../../../src/baseline/update.js';
import { root, user } from '../../helpers/resources.js';
import { configRow, withTypes } from '../rules/config-cases.js';
import { checked, inventoryOf, regional, violationsOf } from './fixtures.js';

const found = () =>
  inventoryOf([
    root(),
    user('alice'),
    regional('ec2.instance', 'i-0000000000000000a', 'us-east-1'),
    ...withTypes([
      configRow('AWS::EC2::VPC', 'vpc-1', 'us-east-1'),
      configRow('AWS::EC2::VPC', 'vpc-2', 'ap-south-1'),
      configRow('AWS::EC2::SecurityGroup', 'sg-1', 'ap-south-1', { name: 'default' }),
      configRow('AWS::S3::Bucket', 'logs', 'us-east-1'),
      // Listed by the EC2 collector too: declared in its own section.
      configRow('AWS::EC2::Instance', 'i-0000000000000000a', 'us-east-1'),
      // A custom type whose name the schema refuses: left for audit.
      configRow('Evil::<b>::"x"', 'odd', 'us-east-1'),
    ]),
  ]);

describe('baseline init and update with AWS Config', () => {
  it('declares each Config type found by a selector of its own; audit then reports nothing but a new type or a look-alike beyond the declared', () => {
    const inv = found();
    const text = baselineText(initBaseline(inv).document);
    const baseline = checked(text);
    expect(baseline.resources?.['config.resource']).toEqual([{ configType: 'AWS::EC2::SecurityGroup' }, { configType: 'AWS::EC2::VPC' }, { configType: 'AWS::S3::Bucket' }]);
    // Config's default VPCs put no region in use.
    expect(baseline.regions).toEqual({ allowed: ['us-east-1'] });
    expect(text).toContain('# 2 resources of "AWS::EC2::VPC" found (ap-south-1, us-east-1): every one is accepted.');
    // The odd custom type is the one finding left, and it is reported escaped.
    expect(violationsOf(inv, baseline)).toEqual(['config-resource-type-undeclared configType/us-east-1/Evil::<b>::"x"']);

    inv.resources.push(...withTypes([configRow('AWS::SageMaker::NotebookInstance', 'miner', 'eu-west-1', { name: 'miner' })]).filter((r) => r.id.includes('SageMaker')));
    expect(violationsOf(inv, baseline)).toEqual(['config-resource-type-undeclared configType/eu-west-1/AWS::SageMaker::NotebookInstance', 'config-resource-type-undeclared configType/us-east-1/Evil::<b>::"x"']);
  });

  it('update: a new type gets its own selector; a type declared by name keeps its strictness (new ones added by id)', () => {
    const doc = parseDocument(
      [
        'version: 1',
        'account: { id: "123456789012" }',
        'resources:',
        '  config.resource:',
        '    - { configType: "AWS::S3::Bucket", name: "logs*" }',
      ].join('\n'),
    );
    const inv = inventoryOf(withTypes([configRow('AWS::S3::Bucket', 'logs-1', 'us-east-1', { name: 'logs-1' }), configRow('AWS::S3::Bucket', 'stolen', 'eu-west-1', { name: 'stolen' }), configRow('AWS::ECS::Cluster', 'c1', 'us-east-1')]));
    const { changes } = updateBaseline(doc, inv);
    const baseline = checked(doc.toString());
    expect(baseline.resources?.['config.resource']).toEqual([
      { configType: 'AWS::S3::Bucket', name: 'logs*' },
      { configType: 'AWS::ECS::Cluster' },
      { configType: 'AWS::S3::Bucket', id: 'AWS::S3::Bucket/stolen', region: 'eu-west-1' },
    ]);
    expect(changes.filter((c) => c.startsWith('config.resource'))).toHaveLength(2);
  });
});
