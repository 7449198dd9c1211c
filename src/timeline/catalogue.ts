/**
 * The CloudTrail events the timeline keeps, in one table: each event source
 * with the event names that matter in a compromise, and what kind of thing
 * each does. To keep another event, add its name here (and, when it is a
 * read-only event LookupEvents must ask for by name, list it in
 * READ_ONLY_LOOKUPS); nothing else changes.
 */

export const CATEGORIES = ['identity', 'credentials', 'compute', 'network', 'defence-evasion', 'login'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Event source -> event name -> category. Lambda's versioned names (`CreateFunction20150331`) match their base name. */
export const SECURITY_EVENTS: Readonly<Record<string, Readonly<Record<string, Category>>>> = {
  'iam.amazonaws.com': {
    ...names('identity', [
      // users, their keys, passwords, MFA and other credentials
      'CreateUser', 'DeleteUser', 'UpdateUser', 'TagUser',
      'CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey',
      'CreateLoginProfile', 'UpdateLoginProfile', 'DeleteLoginProfile',
      'CreateServiceSpecificCredential', 'UploadSSHPublicKey', 'UploadSigningCertificate',
      'CreateVirtualMFADevice', 'EnableMFADevice', 'DeactivateMFADevice', 'DeleteVirtualMFADevice',
      'AddUserToGroup', 'RemoveUserFromGroup', 'CreateGroup', 'DeleteGroup',
      // policies, wherever they are attached
      'CreatePolicy', 'CreatePolicyVersion', 'SetDefaultPolicyVersion', 'DeletePolicy', 'DeletePolicyVersion',
      'AttachUserPolicy', 'DetachUserPolicy', 'PutUserPolicy', 'DeleteUserPolicy',
      'AttachGroupPolicy', 'DetachGroupPolicy', 'PutGroupPolicy', 'DeleteGroupPolicy',
      'AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy',
      'PutUserPermissionsBoundary', 'DeleteUserPermissionsBoundary', 'PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary',
      // roles and their trust
      'CreateRole', 'DeleteRole', 'UpdateRole', 'UpdateAssumeRolePolicy',
      'CreateInstanceProfile', 'AddRoleToInstanceProfile',
      'CreateOpenIDConnectProvider', 'CreateSAMLProvider',
      'UpdateAccountPasswordPolicy', 'DeleteAccountPasswordPolicy',
    ]),
  },
  'sts.amazonaws.com': names('credentials', ['GetSessionToken', 'GetFederationToken', 'AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']),
  'signin.amazonaws.com': names('login', ['ConsoleLogin']),
  'ec2.amazonaws.com': {
    ...names('compute', ['RunInstances', 'RequestSpotInstances', 'RequestSpotFleet', 'CreateFleet', 'ImportKeyPair', 'CreateKeyPair', 'ModifyInstanceAttribute']),
    ...names('network', ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'ModifySecurityGroupRules']),
    ...names('defence-evasion', ['DeleteFlowLogs']),
  },
  'lambda.amazonaws.com': {
    ...names('compute', ['CreateFunction', 'UpdateFunctionCode', 'UpdateFunctionConfiguration']),
    ...names('identity', ['AddPermission']),
  },
  'cloudtrail.amazonaws.com': names('defence-evasion', [
    'StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors',
    'DeleteEventDataStore', 'StopEventDataStoreIngestion',
    // Not evasion, but kept with it: a trail that logs again after a StopLogging is not silent (timeline/join.ts).
    'StartLogging',
  ]),
  'guardduty.amazonaws.com': names('defence-evasion', [
    'DeleteDetector', 'UpdateDetector', 'DisassociateFromMasterAccount', 'DisassociateFromAdministratorAccount',
    'DeleteMembers', 'StopMonitoringMembers', 'CreateIPSet', 'UpdateIPSet', 'CreateFilter', 'UpdateFilter',
  ]),
  'config.amazonaws.com': names('defence-evasion', ['StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel']),
  'securityhub.amazonaws.com': names('defence-evasion', ['DisableSecurityHub', 'BatchDisableStandards']),
  'access-analyzer.amazonaws.com': names('defence-evasion', ['DeleteAnalyzer']),
  'logs.amazonaws.com': names('defence-evasion', ['DeleteLogGroup', 'DeleteLogStream']),
  'kms.amazonaws.com': names('defence-evasion', ['ScheduleKeyDeletion', 'DisableKey']),
  'organizations.amazonaws.com': names('defence-evasion', ['LeaveOrganization']),
};

/**
 * The kept events CloudTrail records as read-only: a LookupEvents by
 * `ReadOnly=false` does not return them, so each is asked for by name.
 */
export const READ_ONLY_LOOKUPS: readonly string[] = ['GetSessionToken', 'GetFederationToken', 'AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML'];

/** What kind of thing a target is, so that a reader can join it to an inventory resource without guessing from its shape. */
export const SUBJECT_KINDS = [
  'user', 'role', 'group', 'policy', 'inlinePolicy', 'instanceProfile', 'sessionName', 'name', 'accessKey', 'mfaDevice',
  'trail', 'function', 'keyPair', 'securityGroup', 'detector', 'kmsKey', 'logGroup', 'configRecorder', 'flowLog',
  'instance', 'spotRequest', 'spotFleet', 'session', 'sessionPrincipal', 'arn',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export interface TargetPath {
  /** Dotted path into the record; `[]` walks an array. */
  path: string;
  kind: SubjectKind;
  /** The kind for events of these sources, where the path's meaning depends on the service. */
  bySource?: Readonly<Record<string, SubjectKind>>;
}

/**
 * Where a record names the resources an event acted on, and what kind each
 * is. Only these values are read: a record's other fields (policy documents,
 * session tokens) never reach the timeline.
 */
export const TARGET_PATHS: readonly TargetPath[] = [
  { path: 'requestParameters.userName', kind: 'user' },
  { path: 'requestParameters.roleName', kind: 'role' },
  { path: 'requestParameters.groupName', kind: 'group' },
  { path: 'requestParameters.policyArn', kind: 'policy' },
  { path: 'requestParameters.policyName', kind: 'inlinePolicy' },
  { path: 'requestParameters.instanceProfileName', kind: 'instanceProfile' },
  { path: 'requestParameters.roleArn', kind: 'role' },
  // Lambda's execution role (CreateFunction, UpdateFunctionConfiguration).
  { path: 'requestParameters.role', kind: 'role' },
  { path: 'requestParameters.roleSessionName', kind: 'sessionName' },
  { path: 'requestParameters.name', kind: 'name', bySource: { 'cloudtrail.amazonaws.com': 'trail', 'sts.amazonaws.com': 'sessionName' } },
  { path: 'requestParameters.trailName', kind: 'trail' },
  { path: 'requestParameters.functionName', kind: 'function' },
  { path: 'requestParameters.keyName', kind: 'keyPair' },
  { path: 'requestParameters.groupId', kind: 'securityGroup' },
  { path: 'requestParameters.detectorId', kind: 'detector' },
  { path: 'requestParameters.keyId', kind: 'kmsKey' },
  { path: 'requestParameters.logGroupName', kind: 'logGroup' },
  { path: 'requestParameters.configurationRecorderName', kind: 'configRecorder' },
  { path: 'requestParameters.accessKeyId', kind: 'accessKey' },
  { path: 'requestParameters.serialNumber', kind: 'mfaDevice' },
  { path: 'requestParameters.flowLogIds.item[]', kind: 'flowLog' },
  { path: 'responseElements.user.arn', kind: 'user' },
  { path: 'responseElements.role.arn', kind: 'role' },
  { path: 'responseElements.policy.arn', kind: 'policy' },
  { path: 'responseElements.accessKey.accessKeyId', kind: 'accessKey' },
  { path: 'responseElements.credentials.accessKeyId', kind: 'session' },
  { path: 'responseElements.assumedRoleUser.arn', kind: 'sessionPrincipal' },
  { path: 'responseElements.federatedUser.arn', kind: 'sessionPrincipal' },
  { path: 'responseElements.instancesSet.items[].instanceId', kind: 'instance' },
  { path: 'responseElements.spotInstanceRequestSet.item[].spotInstanceRequestId', kind: 'spotRequest' },
  { path: 'responseElements.RequestSpotFleetResponse.spotFleetRequestId', kind: 'spotFleet' },
  { path: 'responseElements.functionArn', kind: 'function' },
  { path: 'resources[].ARN', kind: 'arn' },
];

/**
 * Where an event that issues a credential says which one: a new access key
 * (CreateAccessKey) or a session (GetSessionToken, GetFederationToken,
 * AssumeRole). The key id only, and when the credential ends: never the
 * secret or the session token, which these records may carry beside it.
 */
export const ISSUED_PATHS = {
  accessKeyId: ['responseElements.accessKey.accessKeyId', 'responseElements.credentials.accessKeyId'],
  expiration: ['responseElements.credentials.expiration'],
  principal: ['responseElements.assumedRoleUser.arn', 'responseElements.federatedUser.arn'],
  /** Whose key CreateAccessKey made: the user named, else the caller itself. */
  owner: ['responseElements.accessKey.userName', 'requestParameters.userName'],
} as const;

function names(category: Category, list: readonly string[]): Record<string, Category> {
  return Object.fromEntries(list.map((n) => [n, category]));
}

/** `CreateFunction20150331`, `UpdateFunctionCode20150331v2` -> the API's own name. */
const VERSIONED = /\d{8}(?:v\d+)?$/;

/** The category of a kept event, or undefined for one the timeline drops. */
export function categoryOf(source: string, name: string): Category | undefined {
  const events = Object.hasOwn(SECURITY_EVENTS, source) ? SECURITY_EVENTS[source] : undefined;
  if (!events) return undefined;
  const base = name.replace(VERSIONED, '');
  return Object.hasOwn(events, base) ? events[base] : undefined;
}
