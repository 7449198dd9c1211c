import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/load/plan.js';
import { PLAN_FORMAT, type Plan } from '../../src/model/plan.js';
import { resetEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { seedDemo } from '../helpers/demo.js';
import { tempDir } from '../helpers/temp.js';

const tmp = () => tempDir('rollcall-plan-');
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
const NOW = '2026-11-22T12:00:00Z';
const OFFLINE = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };

const ids = (plan: Plan) => plan.steps.map((s) => s.id);

describe('rollcall plan and show against the emulator', () => {
  beforeEach(async () => {
    await resetEmulator();
  });

  it('plan: writes plan.json and plan.md beside it, prints the Markdown path; show renders the plan; no secret anywhere', async () => {
    const seeded = await seedDemo('compromise');
    const dir = tmp();
    const out = path.join(dir, 'plan.json');
    const r = await runCli(['plan', '--baseline', 'baselines/example.yaml', '--out', out, '--now', NOW]);
    expect(r.stderr).toMatch(/rollcall: plan written to .*plan\.json: \d+ steps \(\d+ manual, 0 destructive\)/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${path.join(dir, 'plan.md')}\n`);

    const plan = loadPlan(out);
    expect(plan).toMatchObject({ format: PLAN_FORMAT, accountId: '123456789012', complete: true, destructive: false, createdAt: new Date(NOW).toISOString() });
    expect(plan.caller.account).toBe('123456789012');
    // The reviewer is told the digest to approve.
    expect(r.stderr).toContain(`digest ${plan.digest.slice(0, 12)} (review it, then: rollcall apply ${out} --approve ${plan.digest.slice(0, 12)})`);
    expect(plan.steps.filter((s) => s.destructive)).toEqual([]);
    const { legacyBot, ciDeployerSecond, backupAdmin } = seeded.keys;
    expect(ids(plan)).toEqual(
      expect.arrayContaining([
        'createReplacementKey accessKey/new:legacy-bot',
        `manualSwitchCredentials accessKey/${legacyBot}`,
        `deactivateAccessKey accessKey/${legacyBot}`,
        `deactivateAccessKey accessKey/${ciDeployerSecond}`,
        `deactivateAccessKey accessKey/${backupAdmin}`,
        'quarantineUser user/backup-admin',
        'quarantineRole role/support-audit',
        'revokeRoleSessions role/OrganizationAccountAccessRole',
        'throttleFunction function/us-east-1/sys-update-check',
        'removeUserFromGroup membership/legacy-bot/admins',
        'manualRootMfa root/root',
        'manualContactSupport root/root',
      ]),
    );
    expect(plan.steps.some((s) => s.action === 'stopInstance' && s.target.region === 'ap-south-1')).toBe(true);
    expect(plan.steps.some((s) => s.action === 'cancelSpotRequest' && s.target.region === 'sa-east-1')).toBe(true);
    const deactivate = plan.steps.find((s) => s.id === `deactivateAccessKey accessKey/${legacyBot}`)!;
    expect(deactivate.dependsOn).toEqual([`manualSwitchCredentials accessKey/${legacyBot}`]);

    const md = readFileSync(path.join(dir, 'plan.md'), 'utf8');
    expect(md).toMatch(/^# rollcall plan: account 123456789012\n/);
    expect(md).toContain('**Complete inventory.** **Reversible first**');
    expect(md).toContain('1. [ ] **[reversible]** Create a replacement access key for user legacy-bot');
    expect(md).toContain('> Subject: Possible compromise of AWS account 123456789012');
    expect(md).toContain('## Warnings');
    expect(md).toContain('plan with --destructive to include them');

    const shown = await runCli(['show', out], OFFLINE);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toBe('');
    // The same rendering, byte for byte, warnings included: they are part of the plan file.
    expect(shown.stdout).toBe(md);
    expect(plan.warnings!.map((w) => w.text)).toEqual(expect.arrayContaining([expect.stringContaining('plan with --destructive to include them')]));

    for (const s of seeded.secrets) {
      for (const text of [r.stdout, r.stderr, readFileSync(out, 'utf8'), md, shown.stdout]) expect(text).not.toContain(s);
    }
  });

  it('plan --destructive from a saved inventory, offline: destroys follow their reversible steps; the same inputs give the same plan', async () => {
    await seedDemo('compromise');
    const dir = tmp();
    const inv = path.join(dir, 'inventory.json');
    expect((await runCli(['collect', '-q', '--out', inv])).code).toBe(0);
    const args = (out: string) => ['plan', '-q', '-b', 'baselines/example.yaml', '-i', inv, '--destructive', '--now', NOW, '-o', out];
    const first = await runCli(args(path.join(dir, 'a.json')), OFFLINE);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    const second = await runCli(args(path.join(dir, 'b.json')), OFFLINE);
    expect(second.code).toBe(0);
    const a = loadPlan(path.join(dir, 'a.json'));
    expect(readFileSync(path.join(dir, 'b.json'), 'utf8')).toBe(readFileSync(path.join(dir, 'a.json'), 'utf8'));

    expect(a.destructive).toBe(true);
    const at = (id: string) => ids(a).indexOf(id);
    expect(at('deleteUser user/backup-admin')).toBeGreaterThan(at('quarantineUser user/backup-admin'));
    expect(a.steps.find((s) => s.id === 'deleteUser user/backup-admin')!.dependsOn).toContain('quarantineUser user/backup-admin');
    expect(a.steps.find((s) => s.id === 'deleteRole role/support-audit')!.dependsOn).toEqual(expect.arrayContaining(['quarantineRole role/support-audit', 'revokeRoleSessions role/support-audit']));
    for (const s of a.steps.filter((x) => x.action === 'terminateInstance')) {
      expect(s.dependsOn).toContain(`stopInstance ${s.target.subject}`);
    }
    expect(ids(a)).toContain('deletePolicy policy/ops-break-glass');
    // The exposed key is still active: it is deactivated now, and deleted in a later plan.
    expect(a.steps.some((s) => s.action === 'deleteAccessKey' && s.target.ref.user === 'legacy-bot')).toBe(false);
  });

  it('show refuses a tampered plan: exit 2, where and why, no stack trace', async () => {
    await seedDemo('compromise');
    const dir = tmp();
    const out = path.join(dir, 'plan.json');
    expect((await runCli(['plan', '-q', '-b', 'baselines/example.yaml', '-o', out, '--now', NOW])).code).toBe(0);
    const original = readFileSync(out, 'utf8');
    writeFileSync(out, original.replace('"id": "backup-admin"', '"id": "ci-deployer"'));
    expect(readFileSync(out, 'utf8')).not.toBe(original);
    const r = await runCli(['show', out], OFFLINE);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^rollcall: invalid input\\n${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+ at /digest: the plan was changed after it was made \\(digest mismatch\\)\\n$`));
    noStack(r.stderr);

    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, original.replace(`"format": ${PLAN_FORMAT}`, '"format": 7'));
    const b = await runCli(['show', broken], OFFLINE);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('plan format 7 is not supported');
    noStack(b.stderr);

    const missing = await runCli(['show', path.join(dir, 'nope.json')], OFFLINE);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });

  it('bad input writes nothing: a baseline for another account, a missing --out', async () => {
    const dir = tmp();
    const other = path.join(dir, 'other.yaml');
    writeFileSync(other, 'version: 1\naccount:\n  id: "210987654321"\n');
    const out = path.join(dir, 'plan.json');
    const r = await runCli(['plan', '-b', other, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the baseline is for account 210987654321, but the credentials in use is for account 123456789012');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(path.join(dir, 'plan.md'))).toBe(false);
    noStack(r.stderr);

    const u = await runCli(['plan', '-b', 'baselines/example.yaml']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("required option '-o, --out <file>'");
  });
});
