/**
 * The fields a rule can read by path, per resource type: `props.*` (what the
 * collectors fill, typed by iam-props.ts and regional-props.ts) and
 * `declared.*` (what engine/declarations.ts hands a rule for a baseline entry).
 * Rules are checked against these lists when they load, so a misspelt path is
 * an error instead of a condition that silently never holds. Each list is
 * checked by the compiler against its props interface: a property added there
 * must be added here.
 */
import type {
  AccessKeyProps,
  GroupMembershipProps,
  GroupProps,
  InlinePolicyProps,
  LoginProfileProps,
  PolicyAttachmentProps,
  PolicyProps,
  RoleProps,
  RootProps,
  UserProps,
} from './iam-props.js';
import type { FunctionProps, InstanceProps, SpotFleetRequestProps, SpotRequestProps, TaggedResourceProps } from './regional-props.js';
import type { ResourceType } from './resource.js';

/**
 * What a path may do past a field: `value` is a string, number, boolean or
 * null (nothing past it); `list` a list of values (an index, `roles.0`);
 * `map` string keys to values (`tags.team`); `any` a free-form document
 * (a policy document: anything past it).
 */
export type FieldKind = 'value' | 'list' | 'map' | 'any';
export type Fields = Readonly<Record<string, FieldKind>>;

const ROOT = {
  mfaEnabled: 'value',
  accessKeysPresent: 'value',
  signingCertificatesPresent: 'value',
  passwordLastUsed: 'value',
  accessKey1Active: 'value',
  accessKey2Active: 'value',
} as const satisfies Record<keyof RootProps, FieldKind>;

const USER = {
  name: 'value',
  userId: 'value',
  path: 'value',
  createDate: 'value',
  passwordEnabled: 'value',
  passwordLastUsed: 'value',
  mfaActive: 'value',
  accessKeyCount: 'value',
  activeAccessKeyCount: 'value',
  groups: 'list',
  attachedPolicies: 'list',
  inlinePolicies: 'list',
  permissionsBoundary: 'value',
} as const satisfies Record<keyof UserProps, FieldKind>;

const ACCESS_KEY = {
  user: 'value',
  status: 'value',
  createDate: 'value',
  lastUsedDate: 'value',
  lastUsedService: 'value',
  lastUsedRegion: 'value',
  lastActivity: 'value',
} as const satisfies Record<keyof AccessKeyProps, FieldKind>;

const LOGIN_PROFILE = {
  user: 'value',
  passwordLastUsed: 'value',
  passwordLastChanged: 'value',
} as const satisfies Record<keyof LoginProfileProps, FieldKind>;

const ROLE = {
  name: 'value',
  roleId: 'value',
  path: 'value',
  createDate: 'value',
  trustPolicy: 'any',
  trustedPrincipals: 'list',
  attachedPolicies: 'list',
  inlinePolicies: 'list',
  permissionsBoundary: 'value',
  lastUsedDate: 'value',
  serviceLinked: 'value',
  instanceProfiles: 'list',
} as const satisfies Record<keyof RoleProps, FieldKind>;

const GROUP = {
  name: 'value',
  groupId: 'value',
  path: 'value',
  createDate: 'value',
  attachedPolicies: 'list',
  inlinePolicies: 'list',
} as const satisfies Record<keyof GroupProps, FieldKind>;

const POLICY = {
  name: 'value',
  policyId: 'value',
  path: 'value',
  createDate: 'value',
  updateDate: 'value',
  defaultVersionId: 'value',
  attachmentCount: 'value',
  document: 'any',
  allowsAll: 'value',
  denyOnly: 'value',
} as const satisfies Record<keyof PolicyProps, FieldKind>;

const POLICY_ATTACHMENT = {
  principalType: 'value',
  principalName: 'value',
  policyArn: 'value',
  policyName: 'value',
  awsManaged: 'value',
} as const satisfies Record<keyof PolicyAttachmentProps, FieldKind>;

const INLINE_POLICY = {
  principalType: 'value',
  principalName: 'value',
  policyName: 'value',
  document: 'any',
  allowsAll: 'value',
  denyOnly: 'value',
} as const satisfies Record<keyof InlinePolicyProps, FieldKind>;

const GROUP_MEMBERSHIP = { user: 'value', group: 'value' } as const satisfies Record<keyof GroupMembershipProps, FieldKind>;

const INSTANCE = {
  state: 'value',
  instanceType: 'value',
  launchTime: 'value',
  imageId: 'value',
  keyName: 'value',
  name: 'value',
  instanceProfileArn: 'value',
  roles: 'list',
  lifecycle: 'value',
  spotRequestId: 'value',
  vpcId: 'value',
  subnetId: 'value',
  publicIp: 'value',
  privateIp: 'value',
} as const satisfies Record<keyof InstanceProps, FieldKind>;

const SPOT_REQUEST = {
  state: 'value',
  statusCode: 'value',
  type: 'value',
  instanceId: 'value',
  spotPrice: 'value',
  instanceType: 'value',
  imageId: 'value',
  keyName: 'value',
  instanceProfileArn: 'value',
  createTime: 'value',
  name: 'value',
} as const satisfies Record<keyof SpotRequestProps, FieldKind>;

const SPOT_FLEET_REQUEST = {
  state: 'value',
  targetCapacity: 'value',
  type: 'value',
  iamFleetRole: 'value',
  createTime: 'value',
  name: 'value',
} as const satisfies Record<keyof SpotFleetRequestProps, FieldKind>;

const FUNCTION = {
  name: 'value',
  runtime: 'value',
  roleArn: 'value',
  roles: 'list',
  handler: 'value',
  lastModified: 'value',
  codeSize: 'value',
  memorySize: 'value',
  timeout: 'value',
  packageType: 'value',
} as const satisfies Record<keyof FunctionProps, FieldKind>;

const TAGGED_RESOURCE = { service: 'value', resourceType: 'value', name: 'value' } as const satisfies Record<keyof TaggedResourceProps, FieldKind>;

/** `props.*`, per resource type. */
export const PROPS: Record<ResourceType, Fields> = {
  'account.root': ROOT,
  'iam.user': USER,
  'iam.accessKey': ACCESS_KEY,
  'iam.loginProfile': LOGIN_PROFILE,
  'iam.role': ROLE,
  'iam.group': GROUP,
  'iam.policy': POLICY,
  'iam.policyAttachment': POLICY_ATTACHMENT,
  'iam.inlinePolicy': INLINE_POLICY,
  'iam.groupMembership': GROUP_MEMBERSHIP,
  'ec2.instance': INSTANCE,
  'ec2.spotRequest': SPOT_REQUEST,
  'ec2.spotFleetRequest': SPOT_FLEET_REQUEST,
  'lambda.function': FUNCTION,
  'tagged.resource': TAGGED_RESOURCE,
};

const PER_PRINCIPAL = { principalType: 'value', principalName: 'value', policy: 'value' } as const;
const SELECTOR = { id: 'value', name: 'value', region: 'value', tags: 'map', max: 'value', description: 'value', index: 'value' } as const;

/**
 * `declared.*`, per resource type: the fields of the baseline entry a resource
 * matched, as engine/declarations.ts builds them (a unit test holds the two
 * together). A type the baseline cannot declare has none.
 */
export const DECLARED: Record<ResourceType, Fields> = {
  'account.root': { mfa: 'value', accessKeys: 'value' },
  'iam.user': { name: 'value', console: 'value', accessKeys: 'list', policies: 'list', inlinePolicies: 'list', groups: 'list' },
  'iam.accessKey': { name: 'value', id: 'value', user: 'value', maxAgeDays: 'value' },
  'iam.loginProfile': { name: 'value', user: 'value' },
  'iam.role': { name: 'value', trustedPrincipals: 'list', policies: 'list', inlinePolicies: 'list' },
  'iam.group': { name: 'value', policies: 'list', inlinePolicies: 'list' },
  'iam.policy': { name: 'value' },
  'iam.policyAttachment': PER_PRINCIPAL,
  'iam.inlinePolicy': PER_PRINCIPAL,
  'iam.groupMembership': { name: 'value', user: 'value', group: 'value' },
  'ec2.instance': SELECTOR,
  'ec2.spotRequest': SELECTOR,
  'ec2.spotFleetRequest': SELECTOR,
  'lambda.function': SELECTOR,
  'tagged.resource': {},
};
