/**
 * The AWS Config rules' failing and passing cases, for the built-in rules
 * test (builtin-rules.test.ts spreads them into its table). Resources are made
 * with the collector's own mapping of Config's query rows and its type summary.
 */
import { configResourceOf, configTypesOf, withRegionPresence } from '../../../src/answers/config.js';
import type { Baseline } from '../../../src/model/baseline.js';
import type { Resource } from '../../../src/model/resource.js';
import { ACCOUNT, baseline } from '../../helpers/resources.js';

interface Case {
  baseline: Baseline;
  resources: Resource[];
  subjects: string[];
}

/** A resource as the Config collector maps one row of SelectResourceConfig. */
export function configRow(type: string, id: string, region: string, o: { name?: string; tags?: Record<string, string> } = {}): Resource {
  const row = {
    resourceType: type,
    resourceId: id,
    ...(o.name ? { resourceName: o.name } : {}),
    awsRegion: region,
    accountId: ACCOUNT,
    arn: `arn:aws:${type.split('::')[1]!.toLowerCase()}:${region}:${ACCOUNT}:${id}`,
    tags: Object.entries(o.tags ?? {}).map(([key, value]) => ({ key, value })),
    configurationItemCaptureTime: '2026-11-20T10:00:00.000Z',
    resourceCreationTime: '2026-11-19T09:00:00.000Z',
    configurationItemStatus: 'OK',
  };
  return configResourceOf(JSON.stringify(row), 'recorder', {})!;
}

/** Resources and the type summaries the collector adds to them. */
export const withTypes = (resources: Resource[]): Resource[] => [...resources, ...configTypesOf(resources, ACCOUNT)];

const NOTEBOOK = 'AWS::SageMaker::NotebookInstance';
const research = configRow(NOTEBOOK, 'research-1', 'us-east-1', { name: 'research-1' });
const intruder = configRow(NOTEBOOK, 'miner', 'eu-west-1', { name: 'miner' });
const vpc = configRow('AWS::EC2::VPC', 'vpc-1', 'us-east-1');
const sg = configRow('AWS::EC2::SecurityGroup', 'sg-1', 'us-east-1', { name: 'default' });
// A resource a collector lists too: never judged as a Config resource.
const instanceFromConfig = configRow('AWS::EC2::Instance', 'i-0abc', 'us-east-1');

/** Notebooks declared by name, the network by type alone. */
const declared = baseline({
  resources: {
    'config.resource': [
      { configType: NOTEBOOK, name: 'research-*', max: 1 },
      { configType: 'AWS::EC2::*' },
      { configType: 'AWS::S3::Bucket', id: 'AWS::S3::Bucket/logs', region: 'us-east-1' },
    ],
  },
});

const allowed = baseline({ regions: { allowed: ['us-east-1'] } });

export const CONFIG_CASES: Record<string, { fail: Case; pass: Case }> = {
  'config-resource-region-not-allowed': {
    fail: {
      baseline: allowed,
      resources: withTypes(
        withRegionPresence(
          [
            configRow('AWS::S3::Bucket', 'exfil', 'ap-south-1', { tags: { owner: 'x' } }),
            // An untagged resource of a type not found in every region read: the intruder's notebook.
            configRow('AWS::SageMaker::NotebookInstance', 'miner', 'ap-south-1', { name: 'miner' }),
            // Untagged defaults of a region (their type is in every region read) are not judged for it; nor is IAM's global, nor what a collector lists.
            configRow('AWS::EC2::VPC', 'vpc-default', 'ap-south-1'),
            configRow('AWS::EC2::VPC', 'vpc-main', 'us-east-1'),
            configRow('AWS::IAM::OIDCProvider', 'oidc', 'global', { tags: { a: 'b' } }),
            configRow('AWS::EC2::Instance', 'i-1', 'ap-south-1', { tags: { a: 'b' } }),
          ],
          ['us-east-1', 'ap-south-1'],
        ),
      ),
      subjects: ['config/ap-south-1/AWS::S3::Bucket/exfil', 'config/ap-south-1/AWS::SageMaker::NotebookInstance/miner'],
    },
    pass: { baseline: allowed, resources: withTypes([configRow('AWS::S3::Bucket', 'logs', 'us-east-1', { tags: { owner: 'x' } })]), subjects: [] },
  },
  'config-resource-undeclared': {
    fail: {
      baseline: declared,
      resources: withTypes([research, intruder, vpc, instanceFromConfig, configRow('AWS::ECS::Cluster', 'c1', 'us-east-1')]),
      subjects: ['config/eu-west-1/AWS::SageMaker::NotebookInstance/miner'],
    },
    pass: { baseline: declared, resources: withTypes([research, vpc, sg, instanceFromConfig]), subjects: [] },
  },
  'config-resource-type-undeclared': {
    fail: {
      baseline: baseline({ resources: { 'config.resource': [{ configType: 'AWS::EC2::*' }] } }),
      resources: withTypes([research, intruder, vpc, sg, instanceFromConfig]),
      subjects: ['configType/eu-west-1/AWS::SageMaker::NotebookInstance', 'configType/us-east-1/AWS::SageMaker::NotebookInstance'],
    },
    pass: { baseline: declared, resources: withTypes([research, intruder, vpc, sg, instanceFromConfig]), subjects: [] },
  },
  'config-resource-count-over-max': {
    fail: {
      baseline: declared,
      resources: withTypes([research, configRow(NOTEBOOK, 'research-2', 'us-east-1', { name: 'research-2' })]),
      subjects: ['config/*/AWS::SageMaker::NotebookInstance/research-*'],
    },
    pass: { baseline: declared, resources: withTypes([research, vpc]), subjects: [] },
  },
};
