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
  'sts.amazonaws.com': names('credentials', ['GetSessionToken', 'GetFederationToken', 'AssumeRole']),
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
export const READ_ONLY_LOOKUPS: readonly string[] = ['GetSessionToken', 'GetFederationToken', 'AssumeRole'];

/**
 * Where a record names the resources an event acted on (dotted paths into the
 * record; `[]` walks an array). Only these values are read: a record's other
 * fields (policy documents, session tokens) never reach the timeline.
 */
export const TARGET_PATHS: readonly string[] = [
  'requestParameters.userName',
  'requestParameters.roleName',
  'requestParameters.groupName',
  'requestParameters.policyArn',
  'requestParameters.policyName',
  'requestParameters.instanceProfileName',
  'requestParameters.roleArn',
  'requestParameters.roleSessionName',
  'requestParameters.name',
  'requestParameters.trailName',
  'requestParameters.functionName',
  'requestParameters.keyName',
  'requestParameters.groupId',
  'requestParameters.detectorId',
  'requestParameters.keyId',
  'requestParameters.logGroupName',
  'requestParameters.configurationRecorderName',
  'requestParameters.accessKeyId',
  'requestParameters.serialNumber',
  'requestParameters.flowLogIds.item[]',
  'responseElements.user.arn',
  'responseElements.role.arn',
  'responseElements.policy.arn',
  'responseElements.accessKey.accessKeyId',
  'responseElements.credentials.accessKeyId',
  'responseElements.assumedRoleUser.arn',
  'responseElements.federatedUser.arn',
  'responseElements.instancesSet.items[].instanceId',
  'responseElements.spotInstanceRequestSet.item[].spotInstanceRequestId',
  'responseElements.RequestSpotFleetResponse.spotFleetRequestId',
  'responseElements.functionArn',
  'resources[].ARN',
];

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
