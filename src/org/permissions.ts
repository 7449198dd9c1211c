/**
 * What an org run calls with its own credentials, in the management account
 * or a delegated administrator: who it is (the partition of the roles' ARNs),
 * the organization's id (the run's fingerprint) and accounts, the role in
 * each member account, and, with --config-aggregator, the AWS Config
 * aggregator it holds (its description, its sources' statuses, each
 * account's resources). In each
 * member, the role needs what `rollcall permissions audit` prints, and a trust
 * policy that trusts the identity the run starts as.
 * `rollcall permissions org` grants these; a test holds them to the calls the
 * code makes (test/unit/actions/permissions.test.ts).
 */
import type { IamAction } from '../model/permissions.js';

export const ORG_PERMISSIONS: readonly IamAction[] = [
  'sts:GetCallerIdentity',
  'organizations:ListAccounts',
  'organizations:DescribeOrganization',
  'sts:AssumeRole',
  'config:DescribeConfigurationAggregators',
  'config:DescribeConfigurationAggregatorSourcesStatus',
  'config:SelectAggregateResourceConfig',
];
