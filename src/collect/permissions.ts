/**
 * The IAM actions each collector calls, by the collector names of
 * COLLECTOR_TYPES (the compiler asks for every one), and those every
 * collection makes: who is calling, and which regions are enabled.
 * `rollcall permissions audit` grants their union; a test holds them to the
 * calls the code makes (test/integration/permissions.test.ts).
 */
import type { IamAction } from '../model/permissions.js';
import type { COLLECTOR_TYPES } from './collectors.js';

export const COLLECTOR_PERMISSIONS: Record<keyof typeof COLLECTOR_TYPES, readonly IamAction[]> = {
  iam: [
    'iam:GetAccountAuthorizationDetails',
    'iam:GenerateCredentialReport',
    'iam:GetCredentialReport',
    'iam:GetAccountSummary',
    'iam:ListAccessKeys',
    'iam:GetAccessKeyLastUsed',
    'iam:GetLoginProfile',
    // a reused credential report: which users changed since, from CloudTrail's event history (iam-changes.ts)
    'cloudtrail:LookupEvents',
  ],
  ec2: ['ec2:DescribeInstances', 'ec2:DescribeSpotInstanceRequests'],
  'ec2.spotFleets': ['ec2:DescribeSpotFleetRequests'],
  lambda: ['lambda:ListFunctions'],
  tagging: ['tag:GetResources'],
  cloudtrail: ['cloudtrail:ListTrails', 'cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
  // with --config (the account's recorders) or --config-aggregator (an aggregator in the run's region): collect/config.ts
  config: [
    'config:DescribeConfigurationRecorders',
    'config:DescribeConfigurationRecorderStatus',
    'config:SelectResourceConfig',
    'config:DescribeConfigurationAggregators',
    'config:DescribeConfigurationAggregatorSourcesStatus',
    'config:SelectAggregateResourceConfig',
  ],
};

/**
 * Every collection: the caller's identity (in plans and reports), and the
 * account's enabled regions; an audit whose baseline sets incident.since also
 * reads the spend since then (collect/spend.ts).
 */
export const COLLECT_BASE_PERMISSIONS: readonly IamAction[] = ['sts:GetCallerIdentity', 'ec2:DescribeRegions', 'ce:GetCostAndUsage'];
