/**
 * The `props` of regional resource types, as collectors fill them and rules
 * read them. Dates are ISO-8601 strings; `null` means AWS reports none.
 */

/** id: the instance id. tags: the instance's tags. */
export interface InstanceProps {
  /** pending | running | shutting-down | terminated | stopping | stopped */
  state: string;
  instanceType: string;
  launchTime: string;
  imageId: string | null;
  keyName: string | null;
  /** The `Name` tag, for name selectors. */
  name: string | null;
  instanceProfileArn: string | null;
  /** Roles of the instance profile, resolved from the IAM inventory; null when IAM could not be read. */
  roles: string[] | null;
  /** spot | scheduled | capacity-block | on-demand */
  lifecycle: string;
  spotRequestId: string | null;
  vpcId: string | null;
  subnetId: string | null;
  publicIp: string | null;
  privateIp: string | null;
}

/** id: the spot instance request id. */
export interface SpotRequestProps {
  /** open | active | closed | cancelled | failed */
  state: string;
  statusCode: string | null;
  /** one-time | persistent */
  type: string;
  instanceId: string | null;
  spotPrice: string | null;
  instanceType: string | null;
  imageId: string | null;
  keyName: string | null;
  instanceProfileArn: string | null;
  createTime: string | null;
  name: string | null;
}

/** id: the spot fleet request id. */
export interface SpotFleetRequestProps {
  /** submitted | active | cancelled | failed | cancelled_running | cancelled_terminating | modifying */
  state: string;
  targetCapacity: number | null;
  type: string | null;
  iamFleetRole: string | null;
  createTime: string | null;
  name: string | null;
}

/** id: the function name. tags: from the Resource Groups Tagging API. */
export interface FunctionProps {
  name: string;
  runtime: string | null;
  /** The execution role's ARN, and its name. */
  roleArn: string | null;
  roles: string[];
  handler: string | null;
  lastModified: string | null;
  codeSize: number | null;
  memorySize: number | null;
  timeout: number | null;
  packageType: string | null;
}

/** id: the resource's ARN. Any taggable resource no specific collector covers. */
export interface TaggedResourceProps {
  /** `s3`, `sqs`, `dynamodb`... from the ARN. */
  service: string;
  /** `bucket`, `volume`, `security-group`... from the ARN, empty when the ARN has none. */
  resourceType: string;
  name: string;
}
