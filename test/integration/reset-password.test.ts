/**
 * The password loop against the emulator: a console user whose password
 * predates the incident is found by the built-in rules, planned as a reset
 * and a hand-over, and apply sets a new password with reset required
 * (UpdateLoginProfile, which moto implements), writing it to a new 0600 file
 * and nowhere else: not the plan, the journal, apply's output or its log. The
 * calls stay within what `rollcall permissions apply` grants, and a second
 * apply finds the reset done. moto's credential report gives the user's
 * creation time as password_last_changed, so a new audit cannot see the
 * reset there (AWS's reused report behaves alike for up to 4 hours).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateLoginProfileCommand, CreateUserCommand, GetLoginProfileCommand, IAMClient, UpdateAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { passwordFile } from '../../src/apply/executors/resetLoginProfilePassword.js';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/collect/collect.js';
import { permissionsPolicy } from '../../src/commands/permissions.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../src/load/rules.js';
import type { Baseline } from '../../src/model/baseline.js';
import { makePlan } from '../../src/plan/planner.js';
import { resetEmulator } from '../helpers/emulator.js';
import { ACCOUNT } from '../helpers/resources.js';
import { tempDir } from '../helpers/temp.js';

const iam = new IAMClient({ region: 'us-east-1' });
afterAll(() => iam.destroy());
const OLD_PASSWORD = 'Old-password-1234567890!';

describe('resetLoginProfilePassword against the emulator', () => {
  beforeEach(async () => {
    await resetEmulator();
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: OLD_PASSWORD, PasswordResetRequired: false }));
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 40, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true }));
  });

  it('audit, plan, apply: a new random password with reset required, in a 0600 file only', async () => {
    const clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
    try {
      // The incident began after alice's password was set.
      const since = new Date(Date.now() + 2000);
      const now = new Date(since.getTime() + 1000);
      const inventory = await collectInventory(clients, { now });
      const baseline: Baseline = { version: 1, account: { id: ACCOUNT }, iam: { users: [{ name: 'alice', console: true }] }, incident: { since: since.toISOString() } };
      const { violations } = evaluate({ inventory, baseline, rules: loadRules([builtinRulesDir()]), now });
      expect(violations.filter((v) => v.status === 'fail').map((v) => [v.ruleId, v.subject])).toContainEqual(['iam-console-password-before-incident', 'loginProfile/alice']);
      const { plan } = makePlan({ inventory, baseline, violations: violations.filter((v) => v.ruleId === 'iam-console-password-before-incident'), now, version: 'test', destructive: false });
      expect(plan.steps.map((s) => s.id)).toEqual(['resetLoginProfilePassword loginProfile/alice', 'manualHandOverPassword loginProfile/alice']);

      const dir = tempDir();
      const planFile = path.join(dir, 'plan.json');
      writeFileSync(planFile, JSON.stringify(plan));
      const secretsDir = path.join(dir, 'secrets');
      const out: string[] = [];
      const log: string[] = [];
      // apply with clients of its own, to see the calls it makes
      const applyClients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
      const applied = await applyPlan(plan, { clients: applyClients, planFile, secretsDir, out: (l) => out.push(l), log: (l) => log.push(l) }).finally(() => applyClients.destroy());
      const called = Object.keys(applyClients.counter.snapshot());
      expect(applied.steps.map((s) => [s.id, s.status])).toEqual([
        ['resetLoginProfilePassword loginProfile/alice', 'done'],
        ['manualHandOverPassword loginProfile/alice', 'pending'],
      ]);
      const granted = new Set<string>(permissionsPolicy('apply').Statement[0]!.Action);
      expect(called.filter((op) => !granted.has(op))).toEqual([]);
      expect(called).toEqual(expect.arrayContaining(['iam:GetLoginProfile', 'iam:GetAccountPasswordPolicy', 'iam:UpdateLoginProfile']));

      // IAM has the reset: the user must choose a password at the first sign-in.
      const got = await iam.send(new GetLoginProfileCommand({ UserName: 'alice' }));
      expect(got.LoginProfile?.PasswordResetRequired).toBe(true);

      const file = passwordFile(secretsDir, 'alice');
      expect(readdirSync(secretsDir)).toEqual(['alice.console-password']);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = /^password = (\S+)$/m.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
      expect(password.length).toBeGreaterThanOrEqual(40); // the account's policy asks for 40
      for (const re of [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/]) expect(password).toMatch(re);
      expect(password).not.toBe(OLD_PASSWORD);

      // ... and nowhere else.
      for (const text of [readFileSync(applied.journalFile, 'utf8'), JSON.stringify(plan), out.join('\n'), log.join('\n')]) {
        expect(text).not.toContain(password);
      }
      expect(log.join('\n')).toContain(`it is in ${file} (mode 0600)`);

      // A second apply (a new journal) takes the file for the reset: nothing changes.
      const again = await applyPlan(plan, { clients, planFile, journalFile: path.join(dir, 'again.journal'), secretsDir, out: () => {}, log: () => {} });
      expect(again.steps.map((s) => [s.id, s.status])).toEqual([
        ['resetLoginProfilePassword loginProfile/alice', 'already'],
        ['manualHandOverPassword loginProfile/alice', 'pending'],
      ]);
      expect(/^password = (\S+)$/m.exec(readFileSync(file, 'utf8'))?.[1]).toBe(password);
    } finally {
      clients.destroy();
    }
  });
});
