/**
 * AWS's quarantine against the emulator (moto loads the AWS managed
 * AWSCompromisedKeyQuarantine policies): a user AWS quarantined is collected
 * with the policy attached, reported as info while the incident is open, and
 * a --destructive plan applied leaves the policy in place; a listed user
 * whose quarantine was removed is contained with rollcall's own. Once the
 * incident is closed, the same attachment is an undeclared one to detach.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { AttachUserPolicyCommand, CreateUserCommand, IAMClient, ListAttachedUserPoliciesCommand, ListUserPoliciesCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/collect/collect.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../src/load/rules.js';
import type { Baseline } from '../../src/model/baseline.js';
import { makePlan } from '../../src/plan/planner.js';
import { resetEmulator } from '../helpers/emulator.js';
import { ACCOUNT } from '../helpers/resources.js';
import { tempDir } from '../helpers/temp.js';

const V3 = 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3';
const RULES = loadRules([builtinRulesDir()]);
const iam = new IAMClient({ region: 'us-east-1' });
afterAll(() => iam.destroy());

const baseline = (until?: string): Baseline => ({
  version: 1,
  account: { id: ACCOUNT },
  root: { mfa: 'optional' }, // the emulator's root user has no MFA: not what this test is about
  iam: { users: [{ name: 'legacy-bot' }, { name: 'ops' }] },
  incident: { since: '2026-01-01T00:00:00Z', awsQuarantined: ['legacy-bot', 'ops'], ...(until ? { until } : {}) },
});

describe("AWS's quarantine against the emulator", () => {
  beforeEach(async () => {
    await resetEmulator();
    await iam.send(new CreateUserCommand({ UserName: 'legacy-bot' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'legacy-bot', PolicyArn: V3 }));
    await iam.send(new CreateUserCommand({ UserName: 'ops' })); // AWS quarantined it too, and someone detached it
  });

  it('is info and stays while the incident is open; a removed one is contained; closed, it is detached', async () => {
    const clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
    try {
      const now = new Date();
      const inventory = await collectInventory(clients, { now, regions: ['us-east-1'] });
      const open = baseline();
      const { violations } = evaluate({ inventory, baseline: open, rules: RULES, now });
      expect(violations.map((v) => [v.severity, v.ruleId, v.subject]).sort()).toEqual([
        ['high', 'iam-aws-quarantine-removed', 'user/ops'],
        ['info', 'iam-aws-quarantine-policy-attached', `attachment/user/legacy-bot/${V3}`],
      ]);

      const { plan } = makePlan({ inventory, baseline: open, violations, now, version: 'test', destructive: true });
      expect(plan.steps.map((s) => s.id)).toEqual(['quarantineUser user/ops', 'manualReview attachment/user/legacy-bot/' + V3, 'manualReview user/ops']);
      const dir = tempDir();
      const planFile = path.join(dir, 'plan.json');
      writeFileSync(planFile, JSON.stringify(plan));
      const applied = await applyPlan(plan, { clients, planFile, out: () => {}, log: () => {} });
      expect(applied.steps.find((s) => s.id === 'quarantineUser user/ops')?.status).toBe('done');
      const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'legacy-bot' }));
      expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([V3]);
      expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'ops' }))).PolicyNames).toEqual(['rollcall-quarantine']);

      // The incident closed yesterday: AWS's policy is an attachment the baseline does not declare.
      const closed = baseline(new Date(now.getTime() - 86_400_000).toISOString());
      const after = evaluate({ inventory, baseline: closed, rules: RULES, now }).violations;
      expect(after.map((v) => [v.ruleId, v.subject])).toContainEqual(['iam-policy-attachment-undeclared', `attachment/user/legacy-bot/${V3}`]);
      expect(after.map((v) => v.ruleId)).not.toContain('iam-aws-quarantine-removed');
      const later = makePlan({ inventory, baseline: closed, violations: after, now, version: 'test', destructive: false }).plan;
      expect(later.steps.map((s) => s.id)).toContain(`detachPolicy attachment/user/legacy-bot/${V3}`);
    } finally {
      clients.destroy();
    }
  });
});
