/**
 * baseline init and update with AWS Config's resources: one selector per
 * Config type and region found (so a new type, or a type in a new region, is
 * reported, not every default VPC), no
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
    expect(baseline.resources?.['config.resource']).toEqual([
      { configType: 'AWS::EC2::SecurityGroup', region: 'ap-south-1' },
      { configType: 'AWS::EC2::VPC', region: 'ap-south-1' },
      { configType: 'AWS::EC2::VPC', region: 'us-east-1' },
      { configType: 'AWS::S3::Bucket', region: 'us-east-1' },
    ]);
    // Config's default VPCs put no region in use.
    expect(baseline.regions).toEqual({ allowed: ['us-east-1'] });
    expect(text).toContain('# 1 resource of "AWS::EC2::VPC" found in ap-south-1: every one there is accepted.');
    // The odd custom type is the one finding left, and it is reported escaped.
    expect(violationsOf(inv, baseline)).toEqual(['config-resource-type-undeclared configType/us-east-1/Evil::<b>::"x"']);

    inv.resources.push(...withTypes([configRow('AWS::SageMaker::NotebookInstance', 'miner', 'eu-west-1', { name: 'miner' })]).filter((r) => r.id.includes('SageMaker')));
    expect(violationsOf(inv, baseline)).toEqual(['config-resource-type-undeclared configType/eu-west-1/AWS::SageMaker::NotebookInstance', 'config-resource-type-undeclared configType/us-east-1/Evil::<b>::"x"']);
  });

  it('a declared type found in a region where it was not before is reported (the untagged notebook in a new region)', () => {
    const inv = inventoryOf([root(), user('alice'), ...withTypes([configRow('AWS::SageMaker::NotebookInstance', 'research', 'us-east-1', { name: 'research' })])]);
    const baseline = checked(baselineText(initBaseline(inv).document));
    expect(baseline.resources?.['config.resource']).toEqual([{ configType: 'AWS::SageMaker::NotebookInstance', region: 'us-east-1' }]);
    inv.resources.push(...withTypes([configRow('AWS::SageMaker::NotebookInstance', 'miner', 'ap-south-1', { name: 'miner' })]));
    expect(violationsOf(inv, baseline)).toEqual(['config-resource-undeclared config/ap-south-1/AWS::SageMaker::NotebookInstance/miner']);
  });

  it('update: a type declared region by region gets the new region the same way; one declared by id stays by id', () => {
    const doc = parseDocument(
      [
        'version: 1',
        'account: { id: "123456789012" }',
        'resources:',
        '  config.resource:',
        '    - { configType: "AWS::EC2::VPC", region: us-east-1 }',
        '    - { configType: "AWS::S3::Bucket", id: "AWS::S3::Bucket/logs", region: us-east-1 }',
      ].join('\n'),
    );
    const inv = inventoryOf(withTypes([configRow('AWS::EC2::VPC', 'vpc-1', 'us-east-1'), configRow('AWS::EC2::VPC', 'vpc-2', 'eu-west-1'), configRow('AWS::EC2::VPC', 'vpc-3', 'eu-west-1'), configRow('AWS::S3::Bucket', 'logs', 'us-east-1'), configRow('AWS::S3::Bucket', 'new', 'eu-west-1')]));
    updateBaseline(doc, inv);
    expect(checked(doc.toString()).resources?.['config.resource']).toEqual([
      { configType: 'AWS::EC2::VPC', region: 'us-east-1' },
      { configType: 'AWS::S3::Bucket', id: 'AWS::S3::Bucket/logs', region: 'us-east-1' },
      { configType: 'AWS::EC2::VPC', region: 'eu-west-1' },
      { configType: 'AWS::S3::Bucket', id: 'AWS::S3::Bucket/new', region: 'eu-west-1' },
    ]);
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
      { configType: 'AWS::ECS::Cluster', region: 'us-east-1' },
      { configType: 'AWS::S3::Bucket', id: 'AWS::S3::Bucket/stolen', region: 'eu-west-1' },
    ]);
    expect(changes.filter((c) => c.startsWith('config.resource'))).toHaveLength(2);
  });
});
