import { beforeEach, describe, expect, it } from 'vitest';
import { IAMClient } from '@aws-sdk/client-iam';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/collect/collect.js';
import { DEMO_RANDOM_SEED, seedCompromise, type SeededAccount } from '../../src/demo/seed-compromise.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { loadBaseline } from '../../src/load/baseline.js';
import { builtinRulesDir, loadRules } from '../../src/load/rules.js';
import { buildReport } from '../../src/report/audit-report.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { seedMotoRandom } from '../../scripts/moto.mjs';
import { emulatorEndpoint, resetEmulator } from '../helpers/emulator.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const NOW = new Date('2026-11-22T12:00:00Z');

describe('audit of a seeded compromise against baselines/example.yaml', () => {
  let seeded: SeededAccount;
  beforeEach(async () => {
    await resetEmulator();
    await seedMotoRandom(emulatorEndpoint(), DEMO_RANDOM_SEED);
    const iam = new IAMClient({ region: 'us-east-1' });
    seeded = await seedCompromise(iam, '123456789012');
    iam.destroy();
  });

  it('finds exactly the intruder’s changes, and nothing else', async () => {
    const clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
    const inventory = await collectInventory(clients, { now: NOW });
    clients.destroy();
    const baseline = loadBaseline('baselines/example.yaml');
    const rules = loadRules([builtinRulesDir()]);
    const { violations, warnings } = evaluate({ inventory, baseline, rules, now: NOW });

    expect(inventory.gaps).toEqual([]);
    expect(warnings).toEqual([]);
    const found = violations.map((v) => `${v.severity} ${v.ruleId} ${v.subject}${v.suppressed ? ' (suppressed)' : ''}`);
    expect(found).toEqual([
      'critical iam-exposed-key-active accessKey/' + seeded.keys.legacyBot,
      'critical iam-role-untrusted-principal role/OrganizationAccountAccessRole',
      'critical iam-user-undeclared user/backup-admin',
      'critical root-mfa-disabled root/root',
      `high iam-access-key-undeclared accessKey/${seeded.keys.ciDeployerSecond}`,
      `high iam-access-key-undeclared accessKey/${seeded.keys.backupAdmin}`,
      'high iam-console-password-undeclared loginProfile/backup-admin',
      'high iam-customer-policy-undeclared policy/ops-break-glass',
      'high iam-group-membership-undeclared membership/legacy-bot/admins',
      'high iam-inline-policy-undeclared inlinePolicy/user/legacy-bot/maintenance',
      `high iam-policy-attachment-undeclared attachment/role/support-audit/${ADMIN}`,
      `high iam-policy-attachment-undeclared attachment/user/backup-admin/${ADMIN}`,
      'high iam-role-undeclared role/support-audit',
      'medium iam-user-console-without-mfa user/alice (suppressed)',
      'medium iam-user-console-without-mfa user/backup-admin',
      'medium iam-user-two-active-keys user/ci-deployer',
    ]);
    expect(violations.every((v) => v.status === 'fail')).toBe(true);
    const untrusted = violations.find((v) => v.ruleId === 'iam-role-untrusted-principal')!;
    expect(untrusted.message).toContain('arn:aws:iam::666666666666:root');

    const report = buildReport({ version: '0.0.0-test', now: NOW, inventory, baselineFile: 'baselines/example.yaml', ruleCount: rules.length, violations, warnings });
    const outputs = [renderJson(report), renderMarkdown(report), JSON.stringify(inventory)];
    for (const secret of seeded.secrets) for (const out of outputs) expect(out).not.toContain(secret);
    expect(report.summary).toEqual({ fail: { critical: 4, high: 9, medium: 2, low: 0, info: 0 }, unknown: 0, suppressed: 1, total: 16 });
  });
});
