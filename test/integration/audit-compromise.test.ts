import { beforeEach, describe, expect, it } from 'vitest';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/collect/collect.js';
import { demoClients } from '../../src/demo/clients.js';
import { DEMO_RANDOM_SEED, seedDemoAccount, type SeededAccount } from '../../src/demo/seed-compromise.js';
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
    const clients = demoClients();
    seeded = await seedDemoAccount(clients, '123456789012');
    clients.destroy();
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
    const live = (type: string, region: string) =>
      inventory.resources.filter((r) => r.type === type && r.region === region && r.props.state !== 'terminated').map((r) => r.id).sort();
    const miners = live('ec2.instance', 'ap-south-1');
    const [spotInstance] = live('ec2.instance', 'sa-east-1');
    const [spotRequest] = live('ec2.spotRequest', 'sa-east-1');
    expect(miners).toHaveLength(3);
    expect(live('ec2.instance', 'us-east-1')).toHaveLength(5); // 2 web + 3 blending in
    expect(live('lambda.function', 'eu-west-1')).toEqual(['orders-api']);
    // The miners' instance profile resolves to the backdoor role through the IAM inventory.
    expect(inventory.resources.find((r) => r.id === miners[0])!.props.roles).toEqual(['support-audit']);
    const each = (prefix: string, ids: string[]) => ids.map((id) => `${prefix}${id}`);
    expect(found).toEqual([
      'critical iam-exposed-key-active accessKey/' + seeded.keys.legacyBot,
      'critical iam-role-untrusted-principal role/OrganizationAccountAccessRole',
      'critical iam-user-undeclared user/backup-admin',
      ...each('critical resource-region-not-allowed instance/ap-south-1/', miners),
      `critical resource-region-not-allowed instance/sa-east-1/${spotInstance}`,
      `critical resource-region-not-allowed spotRequest/sa-east-1/${spotRequest}`,
      'critical root-mfa-disabled root/root',
      'high ec2-instance-count-over-max instance/us-east-1/{team=web}',
      ...each('high ec2-instance-undeclared instance/ap-south-1/', miners),
      `high ec2-instance-undeclared instance/sa-east-1/${spotInstance}`,
      ...each('high ec2-instance-undeclared-role instance/ap-south-1/', miners),
      `high ec2-spot-request-undeclared spotRequest/sa-east-1/${spotRequest}`,
      `high iam-access-key-undeclared accessKey/${seeded.keys.ciDeployerSecond}`,
      `high iam-access-key-undeclared accessKey/${seeded.keys.backupAdmin}`,
      'high iam-console-password-undeclared loginProfile/backup-admin',
      'high iam-customer-policy-undeclared policy/ops-break-glass',
      'high iam-group-membership-undeclared membership/legacy-bot/admins',
      'high iam-inline-policy-undeclared inlinePolicy/user/legacy-bot/maintenance',
      `high iam-policy-attachment-undeclared attachment/role/support-audit/${ADMIN}`,
      `high iam-policy-attachment-undeclared attachment/user/backup-admin/${ADMIN}`,
      'high iam-role-undeclared role/support-audit',
      'high lambda-function-undeclared function/us-east-1/sys-update-check',
      'high lambda-function-undeclared-role function/us-east-1/sys-update-check',
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
    expect(report.summary).toEqual({ fail: { critical: 9, high: 20, medium: 2, low: 0, info: 0 }, unknown: 0, suppressed: 1, total: 32 });
  });
});
