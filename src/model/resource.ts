/**
 * The closed set of resource types rollcall knows. Each one has a short subject
 * prefix (used in violation subjects and exceptions, e.g. `user/alice`), the
 * AWS service that collects it, and whether it lives in one global endpoint.
 */
export const RESOURCE_TYPES = {
  'account.root': { prefix: 'root', service: 'iam', global: true },
  'iam.user': { prefix: 'user', service: 'iam', global: true },
  'iam.accessKey': { prefix: 'accessKey', service: 'iam', global: true },
  'iam.loginProfile': { prefix: 'loginProfile', service: 'iam', global: true },
  'iam.role': { prefix: 'role', service: 'iam', global: true },
  'iam.group': { prefix: 'group', service: 'iam', global: true },
  'iam.policy': { prefix: 'policy', service: 'iam', global: true },
  'iam.policyAttachment': { prefix: 'attachment', service: 'iam', global: true },
  'iam.inlinePolicy': { prefix: 'inlinePolicy', service: 'iam', global: true },
  'iam.groupMembership': { prefix: 'membership', service: 'iam', global: true },
  'ec2.instance': { prefix: 'instance', service: 'ec2', global: false },
  'ec2.spotRequest': { prefix: 'spotRequest', service: 'ec2', global: false },
  'ec2.spotFleetRequest': { prefix: 'spotFleet', service: 'ec2', global: false },
  'lambda.function': { prefix: 'function', service: 'lambda', global: false },
  'tagged.resource': { prefix: 'tagged', service: 'tagging', global: false },
} as const satisfies Record<string, { prefix: string; service: string; global: boolean }>;

export type ResourceType = keyof typeof RESOURCE_TYPES;
export const RESOURCE_TYPE_NAMES = Object.keys(RESOURCE_TYPES) as ResourceType[];

/**
 * States in which a resource is gone or going (AWS lists terminated instances
 * for about an hour). The engine leaves such resources out of every rule.
 */
export const TERMINAL_STATES: Partial<Record<ResourceType, readonly string[]>> = {
  'ec2.instance': ['shutting-down', 'terminated'],
  'ec2.spotRequest': ['closed', 'cancelled', 'failed'],
  'ec2.spotFleetRequest': ['cancelled', 'failed', 'cancelled_terminating', 'cancelled_running'],
};

export function isTerminal(r: { type: ResourceType; props: Record<string, unknown> }): boolean {
  const states = TERMINAL_STATES[r.type];
  return states !== undefined && typeof r.props.state === 'string' && states.includes(r.props.state);
}

/** Plain, JSON-serialisable values only: never SDK objects. */
export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };
export type Props = Record<string, Plain>;

export interface Resource {
  type: ResourceType;
  /** Identity within its type and region: a user name, a key id, `user/alice/arn:...` for an attachment. */
  id: string;
  arn?: string;
  /** `global` for IAM and the account. */
  region: string;
  accountId: string;
  tags: Record<string, string>;
  props: Props;
}

/** The stable, human-readable identity of a resource: `user/alice`, `accessKey/AKIA...`, `instance/us-east-1/i-0abc`. */
export function subjectOf(type: ResourceType, id: string, region: string): string {
  const def = RESOURCE_TYPES[type];
  return def.global ? `${def.prefix}/${id}` : `${def.prefix}/${region}/${id}`;
}
