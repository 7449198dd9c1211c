/**
 * The AWS services rollcall builds clients for, in one place: AwsClients has a
 * method of each name (clients.ts), and apply's write guard wraps every one
 * (apply/write-ahead.ts). No SDK is loaded here.
 */

/** Each service, with its IAM action prefix: calls are counted as `prefix:Operation`, as gaps name them (`tag:GetResources`). */
export const ACTION_PREFIX = { iam: 'iam', sts: 'sts', ec2: 'ec2', lambda: 'lambda', tagging: 'tag', cloudtrail: 'cloudtrail', s3: 's3', health: 'health', costExplorer: 'ce', config: 'config', organizations: 'organizations' } as const;

export type ServiceName = keyof typeof ACTION_PREFIX;

export const CLIENT_SERVICES = Object.keys(ACTION_PREFIX) as ServiceName[];
