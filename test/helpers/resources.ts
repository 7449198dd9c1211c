import type { Baseline } from '../../src/model/baseline.js';
import type { Gap, Inventory } from '../../src/model/inventory.js';
import type { Props, Resource, ResourceType } from '../../src/model/resource.js';

export const ACCOUNT = '123456789012';
export const NOW = new Date('2026-11-22T12:00:00Z');
export const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

function res(type: ResourceType, id: string, props: Props, arn?: string): Resource {
  return { type, id, region: 'global', accountId: ACCOUNT, tags: {}, props, ...(arn ? { arn } : {}) };
}

export function user(name: string, p: Partial<Record<string, unknown>> = {}): Resource {
  return res(
    'iam.user',
    name,
    {
      name,
      userId: `AIDA${name.toUpperCase()}`,
      path: '/',
      createDate: daysAgo(10),
      passwordEnabled: false,
      passwordLastUsed: null,
      mfaActive: false,
      accessKeyCount: 0,
      activeAccessKeyCount: 0,
      groups: [],
      attachedPolicies: [],
      inlinePolicies: [],
      permissionsBoundary: null,
      ...p,
    } as Props,
    `arn:aws:iam::${ACCOUNT}:user/${name}`,
  );
}

export function accessKey(id: string, userName: string, p: Partial<Record<string, unknown>> = {}): Resource {
  const createDate = (p.createDate as string | undefined) ?? daysAgo(10);
  const lastUsedDate = (p.lastUsedDate as string | null | undefined) ?? null;
  return res('iam.accessKey', id, {
    user: userName,
    status: 'Active',
    createDate,
    lastUsedDate,
    lastUsedService: null,
    lastUsedRegion: null,
    lastActivity: lastUsedDate ?? createDate,
    ...p,
  } as Props);
}

export function loginProfile(userName: string): Resource {
  return res('iam.loginProfile', userName, { user: userName, passwordLastUsed: null, passwordLastChanged: daysAgo(3) });
}

export function role(name: string, trustedPrincipals: string[], p: Partial<Record<string, unknown>> = {}): Resource {
  return res(
    'iam.role',
    name,
    {
      name,
      roleId: `AROA${name.toUpperCase()}`,
      path: '/',
      createDate: daysAgo(30),
      trustPolicy: {},
      trustedPrincipals,
      attachedPolicies: [],
      inlinePolicies: [],
      permissionsBoundary: null,
      lastUsedDate: null,
      serviceLinked: false,
      instanceProfiles: [],
      ...p,
    } as Props,
    `arn:aws:iam::${ACCOUNT}:role/${name}`,
  );
}

export function group(name: string): Resource {
  return res('iam.group', name, { name, groupId: `AGPA${name}`, path: '/', createDate: daysAgo(30), attachedPolicies: [], inlinePolicies: [] });
}

export function policy(name: string, p: Partial<Record<string, unknown>> = {}): Resource {
  return res(
    'iam.policy',
    name,
    { name, policyId: `ANPA${name}`, path: '/', createDate: daysAgo(30), updateDate: daysAgo(30), defaultVersionId: 'v1', attachmentCount: 0, document: {}, allowsAll: false, denyOnly: false, ...p } as Props,
    `arn:aws:iam::${ACCOUNT}:policy/${name}`,
  );
}

export function attachment(principalType: 'user' | 'group' | 'role', principalName: string, policyArn: string): Resource {
  const policyName = policyArn.split('/').pop() ?? policyArn;
  return res('iam.policyAttachment', `${principalType}/${principalName}/${policyArn}`, {
    principalType,
    principalName,
    policyArn,
    policyName,
    awsManaged: policyArn.startsWith('arn:aws:iam::aws:'),
  });
}

export function inlinePolicy(principalType: 'user' | 'group' | 'role', principalName: string, policyName: string, allowsAll = false, denyOnly = false): Resource {
  return res('iam.inlinePolicy', `${principalType}/${principalName}/${policyName}`, { principalType, principalName, policyName, document: {}, allowsAll, denyOnly });
}

export function membership(userName: string, groupName: string): Resource {
  return res('iam.groupMembership', `${userName}/${groupName}`, { user: userName, group: groupName });
}

export function root(p: Partial<Record<string, unknown>> = {}): Resource {
  return res('account.root', 'root', {
    mfaEnabled: true,
    accessKeysPresent: false,
    signingCertificatesPresent: false,
    passwordLastUsed: null,
    accessKey1Active: null,
    accessKey2Active: null,
    ...p,
  } as Props);
}

export function inventory(resources: Resource[], gaps: Gap[] = []): Inventory {
  return {
    format: 1,
    accountId: ACCOUNT,
    caller: { account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/auditor`, userId: 'AIDAAUDITOR' },
    collectedAt: NOW.toISOString(),
    regions: ['global'],
    resources,
    gaps,
    notes: [],
    apiCalls: {},
  };
}

export function baseline(partial: Partial<Baseline> = {}): Baseline {
  return { version: 1, account: { id: ACCOUNT }, ...partial };
}

function regional(type: ResourceType, id: string, region: string, props: Props, tags: Record<string, string> = {}, arn?: string): Resource {
  return { type, id, region, accountId: ACCOUNT, tags, props, ...(arn ? { arn } : {}) };
}

export function instance(id: string, region: string, p: Partial<Record<string, unknown>> = {}, tags: Record<string, string> = {}): Resource {
  return regional(
    'ec2.instance',
    id,
    region,
    {
      state: 'running',
      instanceType: 't3.micro',
      launchTime: daysAgo(1),
      imageId: 'ami-12345678',
      keyName: null,
      name: tags.Name ?? null,
      instanceProfileArn: null,
      roles: [],
      lifecycle: 'on-demand',
      spotRequestId: null,
      vpcId: null,
      subnetId: null,
      publicIp: null,
      privateIp: null,
      ...p,
    } as Props,
    tags,
    `arn:aws:ec2:${region}:${ACCOUNT}:instance/${id}`,
  );
}

export function spotRequest(id: string, region: string, p: Partial<Record<string, unknown>> = {}): Resource {
  return regional('ec2.spotRequest', id, region, {
    state: 'active',
    statusCode: 'fulfilled',
    type: 'persistent',
    instanceId: null,
    spotPrice: '0.5',
    instanceType: 'p3.16xlarge',
    imageId: 'ami-12345678',
    keyName: null,
    instanceProfileArn: null,
    createTime: daysAgo(1),
    name: null,
    ...p,
  } as Props);
}

export function spotFleet(id: string, region: string, p: Partial<Record<string, unknown>> = {}): Resource {
  return regional('ec2.spotFleetRequest', id, region, { state: 'active', targetCapacity: 10, type: 'maintain', iamFleetRole: null, createTime: daysAgo(1), name: null, ...p } as Props);
}

export function fn(name: string, region: string, p: Partial<Record<string, unknown>> = {}, tags: Record<string, string> = {}): Resource {
  const roleArn = (p.roleArn as string | undefined) ?? `arn:aws:iam::${ACCOUNT}:role/lambda-exec`;
  return regional(
    'lambda.function',
    name,
    region,
    {
      name,
      runtime: 'nodejs20.x',
      roleArn,
      roles: [roleArn.split('/').pop() ?? ''],
      handler: 'index.handler',
      lastModified: daysAgo(2),
      codeSize: 1024,
      memorySize: 128,
      timeout: 3,
      packageType: 'Zip',
      ...p,
    } as Props,
    tags,
    `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`,
  );
}

export function tagged(arn: string, region: string, tags: Record<string, string> = { owner: 'x' }): Resource {
  const [, , service = '', , , rest = ''] = arn.split(':');
  const [resourceType, name] = rest.includes('/') ? [rest.split('/')[0]!, rest.split('/').slice(1).join('/')] : ['', rest];
  return regional('tagged.resource', arn, region, { service, resourceType, name } as Props, tags, arn);
}
