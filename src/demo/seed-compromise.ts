import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { seedRegionalCompromise, seedRegionalLegitimate, type RegionalClients } from './seed-regional.js';

/**
 * Seeds an emulated account with the legitimate setup that baselines/example.yaml
 * declares, then with what an attacker typically leaves behind. Used by the demo
 * and the integration tests. Run it on a freshly reset emulator whose random ids
 * were seeded (POST /moto-api/seed?a=DEMO_RANDOM_SEED), so key ids are repeatable.
 */
export const DEMO_RANDOM_SEED = 20261122;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const POWER = 'arn:aws:iam::aws:policy/PowerUserAccess';

const trust = (principal: Record<string, string | string[]>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });
const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const s3Read = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }] });

export interface SeededAccount {
  accountId: string;
  keys: { ciDeployer: string; legacyBot: string; ciDeployerSecond: string; backupAdmin: string };
  /** Every secret access key created, only so tests can prove none of them leaks into output. */
  secrets: string[];
}

export async function seedLegitimate(iam: IAMClient, accountId: string): Promise<{ ciDeployer: string; legacyBot: string; secrets: string[] }> {
  const send = iam.send.bind(iam) as (c: unknown) => Promise<any>;
  const policyArn = (name: string) => `arn:aws:iam::${accountId}:policy/${name}`;
  await send(new CreatePolicyCommand({ PolicyName: 'deployers-s3', PolicyDocument: s3Read }));
  for (const g of ['deployers', 'admins']) await send(new CreateGroupCommand({ GroupName: g }));
  await send(new AttachGroupPolicyCommand({ GroupName: 'deployers', PolicyArn: policyArn('deployers-s3') }));
  await send(new AttachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: ADMIN }));

  await send(new CreateUserCommand({ UserName: 'ci-deployer' }));
  const ci = await send(new CreateAccessKeyCommand({ UserName: 'ci-deployer' }));
  await send(new AttachUserPolicyCommand({ UserName: 'ci-deployer', PolicyArn: POWER }));
  await send(new AddUserToGroupCommand({ UserName: 'ci-deployer', GroupName: 'deployers' }));

  await send(new CreateUserCommand({ UserName: 'alice' }));
  await send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Demo-Only-Passw0rd!' }));
  await send(new AddUserToGroupCommand({ UserName: 'alice', GroupName: 'admins' }));

  await send(new CreateUserCommand({ UserName: 'legacy-bot' }));
  const legacy = await send(new CreateAccessKeyCommand({ UserName: 'legacy-bot' }));
  await send(new PutUserPolicyCommand({ UserName: 'legacy-bot', PolicyName: 'legacy-s3-read', PolicyDocument: s3Read }));

  await send(new CreateRoleCommand({ RoleName: 'OrganizationAccountAccessRole', AssumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::111111111111:root' }) }));
  await send(new AttachRolePolicyCommand({ RoleName: 'OrganizationAccountAccessRole', PolicyArn: ADMIN }));
  await send(new CreateRoleCommand({ RoleName: 'app-ec2', AssumeRolePolicyDocument: trust({ Service: 'ec2.amazonaws.com' }) }));
  await send(new AttachRolePolicyCommand({ RoleName: 'app-ec2', PolicyArn: policyArn('deployers-s3') }));
  return {
    ciDeployer: ci.AccessKey.AccessKeyId,
    legacyBot: legacy.AccessKey.AccessKeyId,
    secrets: [ci.AccessKey.SecretAccessKey, legacy.AccessKey.SecretAccessKey],
  };
}

/** What an intruder leaves: a new admin user, extra keys, a backdoor role, widened trust and inline grants. */
export async function seedCompromise(iam: IAMClient, accountId: string): Promise<SeededAccount> {
  const legit = await seedLegitimate(iam, accountId);
  const send = iam.send.bind(iam) as (c: unknown) => Promise<any>;

  await send(new CreateUserCommand({ UserName: 'backup-admin' }));
  const attacker = await send(new CreateAccessKeyCommand({ UserName: 'backup-admin' }));
  await send(new CreateLoginProfileCommand({ UserName: 'backup-admin', Password: 'Attacker-Passw0rd!' }));
  await send(new AttachUserPolicyCommand({ UserName: 'backup-admin', PolicyArn: ADMIN }));

  const second = await send(new CreateAccessKeyCommand({ UserName: 'ci-deployer' }));

  await send(new CreateRoleCommand({ RoleName: 'support-audit', AssumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::666666666666:root' }) }));
  await send(new AttachRolePolicyCommand({ RoleName: 'support-audit', PolicyArn: ADMIN }));
  await send(
    new UpdateAssumeRolePolicyCommand({
      RoleName: 'OrganizationAccountAccessRole',
      PolicyDocument: trust({ AWS: ['arn:aws:iam::111111111111:root', '666666666666'] }),
    }),
  );

  await send(new PutUserPolicyCommand({ UserName: 'legacy-bot', PolicyName: 'maintenance', PolicyDocument: allowAll }));
  await send(new AddUserToGroupCommand({ UserName: 'legacy-bot', GroupName: 'admins' }));
  await send(new CreatePolicyCommand({ PolicyName: 'ops-break-glass', PolicyDocument: allowAll }));

  return {
    accountId,
    keys: { ciDeployer: legit.ciDeployer, legacyBot: legit.legacyBot, ciDeployerSecond: second.AccessKey.AccessKeyId, backupAdmin: attacker.AccessKey.AccessKeyId },
    secrets: [...legit.secrets, attacker.AccessKey.SecretAccessKey, second.AccessKey.SecretAccessKey],
  };
}

/** The whole demo account: IAM first (so access key ids stay repeatable), then the regions. */
export async function seedDemoAccount(clients: RegionalClients, accountId: string): Promise<SeededAccount> {
  const seeded = await seedCompromise(clients.iam, accountId);
  await seedRegionalCompromise(clients, accountId);
  return seeded;
}

/** The demo account as the baseline declares it, with nothing an intruder added. */
export async function seedCleanAccount(clients: RegionalClients, accountId: string): Promise<void> {
  await seedLegitimate(clients.iam, accountId);
  await seedRegionalLegitimate(clients, accountId);
}
