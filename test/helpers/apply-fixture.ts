/**
 * For apply's integration tests: the seeded compromise (IAM part), a plan
 * written by hand against it (as the planner would write it: targets, refs
 * and preconditions), and a snapshot of the IAM state that plan changes.
 */
import {
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  GetLoginProfileCommand,
} from '@aws-sdk/client-iam';
import path from 'node:path';
import { seedMotoRandom } from '../../scripts/moto.mjs';
import type { RunIdentity } from '../../src/apply/guards.js';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { demoClients } from '../../src/demo/clients.js';
import { DEMO_RANDOM_SEED, seedCompromise, type SeededAccount } from '../../src/demo/seed-compromise.js';
import type { Plan, PlanStep } from '../../src/model/plan.js';
import { emulatorEndpoint, resetEmulator } from './emulator.js';
import { makePlan, planStep } from './plans.js';
import { ACCOUNT } from './resources.js';

export const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

export async function seedAccount(): Promise<SeededAccount> {
  await resetEmulator();
  await seedMotoRandom(emulatorEndpoint(), DEMO_RANDOM_SEED);
  const seeding = demoClients();
  try {
    return await seedCompromise(seeding.iam, ACCOUNT);
  } finally {
    seeding.destroy();
  }
}

export const makeClients = (): AwsClients => new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });

/** The remediation of the seeded compromise's IAM part, with the props the planner would have seen. */
export async function compromisePlan(iam: IAMClient, seeded: SeededAccount, caller: RunIdentity): Promise<{ plan: Plan; steps: Record<string, PlanStep> }> {
  const userId = (await iam.send(new GetUserCommand({ UserName: 'backup-admin' }))).User!.UserId!;
  const roleId = (await iam.send(new GetRoleCommand({ RoleName: 'support-audit' }))).Role!.RoleId!;
  const role = { roleId, trustedPrincipals: ['arn:aws:iam::666666666666:root'] };
  const key = (id: string, user: string) => planStep('deactivateAccessKey', 'iam.accessKey', id, { ref: { user }, precondition: { user, status: 'Active' } });
  const replacement = planStep('createReplacementKey', 'iam.accessKey', 'new:legacy-bot', { ref: { user: 'legacy-bot' }, exists: false });
  const steps = {
    attackerKey: key(seeded.keys.backupAdmin, 'backup-admin'),
    secondKey: key(seeded.keys.ciDeployerSecond, 'ci-deployer'),
    quarantineUser: planStep('quarantineUser', 'iam.user', 'backup-admin', { precondition: { userId } }),
    quarantineRole: planStep('quarantineRole', 'iam.role', 'support-audit', { precondition: role }),
    revokeSessions: planStep('revokeRoleSessions', 'iam.role', 'support-audit', { precondition: role }),
    detach: planStep('detachPolicy', 'iam.policyAttachment', `user/backup-admin/${ADMIN}`, {
      ref: { principalType: 'user', principalName: 'backup-admin', policyArn: ADMIN },
      precondition: { principalType: 'user', principalName: 'backup-admin', policyArn: ADMIN },
    }),
    membership: planStep('removeUserFromGroup', 'iam.groupMembership', 'legacy-bot/admins', { ref: { user: 'legacy-bot', group: 'admins' }, precondition: { user: 'legacy-bot', group: 'admins' } }),
    loginProfile: planStep('deleteLoginProfile', 'iam.loginProfile', 'backup-admin', { ref: { user: 'backup-admin' }, precondition: { user: 'backup-admin' } }),
    inline: planStep('deleteInlinePolicy', 'iam.inlinePolicy', 'user/legacy-bot/maintenance', {
      ref: { principalType: 'user', principalName: 'legacy-bot', policyName: 'maintenance' },
      precondition: { principalType: 'user', principalName: 'legacy-bot', policyName: 'maintenance' },
    }),
    replacement,
  };
  const plan = makePlan(Object.values(steps), { caller: { account: caller.account, arn: caller.arn, userId: caller.userId } });
  return { plan, steps };
}

export const inTemp = (dir: string) => ({ planFile: path.join(dir, 'plan.json'), secretsDir: path.join(dir, 'secrets') });

/** What the plan changes, read back from IAM (the revocation's cutoff time left out: it is the run's time). */
export async function snapshot(iam: IAMClient): Promise<Record<string, unknown>> {
  const users = ['backup-admin', 'ci-deployer', 'legacy-bot'];
  const out: Record<string, unknown> = {};
  for (const u of users) {
    const keys = (await iam.send(new ListAccessKeysCommand({ UserName: u }))).AccessKeyMetadata ?? [];
    out[`${u} keys`] = keys.map((k) => `${k.AccessKeyId} ${k.Status}`).sort();
    out[`${u} inline`] = ((await iam.send(new ListUserPoliciesCommand({ UserName: u }))).PolicyNames ?? []).sort();
    out[`${u} attached`] = ((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: u }))).AttachedPolicies ?? []).map((p) => p.PolicyArn).sort();
    out[`${u} groups`] = ((await iam.send(new ListGroupsForUserCommand({ UserName: u }))).Groups ?? []).map((g) => g.GroupName).sort();
    out[`${u} password`] = await iam.send(new GetLoginProfileCommand({ UserName: u })).then(
      () => true,
      () => false,
    );
  }
  out['support-audit inline'] = ((await iam.send(new ListRolePoliciesCommand({ RoleName: 'support-audit' }))).PolicyNames ?? []).sort();
  out['support-audit attached'] = ((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'support-audit' }))).AttachedPolicies ?? []).map((p) => p.PolicyArn);
  return out;
}
