/**
 * The `props` of AWS Config's resource types (collect/config.ts fills them,
 * rules read them). Everything here comes from AWS Config, written by whoever
 * could create the resource: hostile data like any other answer.
 */

/**
 * id: `<Config type>/<Config resource id>` (`AWS::SageMaker::NotebookInstance/research-1`),
 * unique in its region even where two types share a resource id. region: the
 * Config item's region; `global` for IAM's types. tags: Config's, or the
 * Tagging API's where both know the resource (collect/config-join.ts).
 */
export interface ConfigResourceProps {
  /** The Config resource type: `AWS::SageMaker::NotebookInstance`. */
  configType: string;
  /** The Config resource id: an instance id, a bucket name, an ARN for some types. */
  resourceId: string;
  /** Config's resourceName, null when it records none; selectors' `name` matches it. */
  name: string | null;
  /** When Config last recorded the resource (configurationItemCaptureTime). */
  captureTime: string | null;
  /** When the resource was created, when Config knows (resourceCreationTime). */
  createdTime: string | null;
  /** Where it was read: `recorder` (the account's own recorder in its region) or `aggregator:<name>`. */
  source: string;
  /**
   * The rollcall type whose collector lists the same resource (`ec2.instance`,
   * `iam.user`...), or null. Such a resource is in the inventory as a
   * config.resource only when that collector could not read its region: the
   * collector's record wins otherwise.
   */
  collectedAs: string | null;
  /**
   * Whether it carries tags (the Tagging API's, where it lists the resource):
   * a tagged resource is judged for its region as the Tagging API's are
   * (config-resource-region-not-allowed).
   */
  tagged: boolean;
  /**
   * Whether Config found its type in every region it read in full for the
   * account (regions without a gap for config.resource; at least two): a
   * per-region default (a VPC, its subnets, a security group) is, an
   * intruder's notebook in one region is not. An untagged resource is judged
   * for its region only when this is false; null (in `global`, or fewer than
   * two regions read in full) says nothing, and it is not judged.
   */
  inEveryRegion: boolean | null;
}

/**
 * One Config resource type found in one region (IAM's global types: in
 * `global`): what the rule on undeclared types judges, one finding per type
 * and region, not per resource; a region Config cannot see is unknown for it,
 * while what Config saw elsewhere is still judged. id: the Config type. Made
 * only for types no rollcall collector lists.
 */
export interface ConfigResourceTypeProps {
  configType: string;
  /** How many resources of the type Config records in the region. */
  count: number;
  /** Up to five of them, by name or id, for the report. */
  examples: string[];
}
