/**
 * ARNs, parsed and built. Pure: the tagging collector reads a resource's
 * service, type and name from its ARN, and the orchestrator matches the Tagging
 * API's ARNs to the instances and functions other collectors found.
 *
 * `arn:partition:service:region:account:resource`, where the resource is
 * `type/name`, `type:name` or a bare name (`arn:aws:s3:::bucket`,
 * `arn:aws:sqs:us-east-1:123456789012:queue`). The name is everything after the
 * first separator, so it may itself hold `/` or `:` (`role/service-role/x`,
 * `log-group:/aws/lambda/fn`, `function:fn:alias`).
 */

export interface Arn {
  partition: string;
  service: string;
  /** Empty for global resources (IAM, S3). */
  region: string;
  /** Empty where the ARN has none (S3 buckets). */
  accountId: string;
  /** Everything after the account: `volume/vol-1`, `function:fn`, `bucket`. */
  resource: string;
  /** `volume`, `function`... or empty when the resource is a bare name. */
  resourceType: string;
  name: string;
}

/** The parts of an ARN, or null when the text is not one. */
export function parseArn(text: string): Arn | null {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  const [, partition = '', service = '', region = '', accountId = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (partition === '' || service === '' || resource === '') return null;
  const sep = resource.search(/[/:]/);
  const typed = sep > 0;
  return {
    partition,
    service,
    region,
    accountId,
    resource,
    resourceType: typed ? resource.slice(0, sep) : '',
    name: typed ? resource.slice(sep + 1) : resource,
  };
}

/** The partition a region belongs to: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** An AWS managed policy's ARN (`arn:aws:iam::aws:policy/...`, in any partition), as opposed to a customer managed one. */
export const isAwsManagedPolicy = (arn: string): boolean => /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);

/** `arn:<partition of region>:service:region:account:resource`. */
export function formatArn(service: string, region: string, accountId: string, resource: string): string {
  return `arn:${partitionOf(region)}:${service}:${region}:${accountId}:${resource}`;
}
