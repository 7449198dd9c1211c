import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateAccessKeyCommand, DeleteAccessKeyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { demoClients } from '../../src/demo/clients.js';
import { builtinRulesDir, loadRules } from '../../src/load/rules.js';
import { runCli } from '../helpers/cli.js';
import { seedDemo } from '../helpers/demo.js';
import { tempDir } from '../helpers/temp.js';

const UNEXPECTED = new Set(loadRules([builtinRulesDir()]).filter((r) => r.relation === 'unexpected').map((r) => r.id));

/** The audit's violations of `unexpected`-relation rules, as `rule subject`. */
async function unexpectedAfterAudit(baseline: string): Promise<string[]> {
  const r = await runCli(['audit', '-q', '--baseline', baseline, '--format', 'json', '--fail-on', 'critical']);
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as { violations: { ruleId: string; subject: string }[] };
  return report.violations.filter((v) => UNEXPECTED.has(v.ruleId)).map((v) => `${v.ruleId} ${v.subject}`);
}

describe('rollcall baseline init and update against the emulator', () => {
  it('init on the seeded (compromised) account, then audit: no unexpected violation; a second init gives the same file', async () => {
    const seeded = (await seedDemo('compromise'))!;
    const dir = tempDir('rollcall-e2e-');
    const file = path.join(dir, 'baseline.yaml');
    const init = await runCli(['baseline', 'init', '-o', file]);
    expect(init.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(init.stderr).toContain(`baseline written to ${file}`);
    // The intruder's leftovers are declared as found, but never silently.
    expect(init.stderr).toMatch(/DANGEROUS: role support-audit: role "support-audit" trusts account 666666666666/);
    expect(text).toMatch(/# rollcall: DANGEROUS — AdministratorAccess is attached[\s\S]*- name: backup-admin/);
    expect(text).toMatch(/# rollcall: DANGEROUS — the root user has no MFA/);
    for (const s of seeded.secrets) expect(text + init.stderr).not.toContain(s);

    const validate = await runCli(['validate', file]);
    expect(validate.code).toBe(0);
    expect(await unexpectedAfterAudit(file)).toEqual([]);

    const again = path.join(dir, 'again.yaml');
    expect((await runCli(['baseline', 'init', '-q', '-o', again])).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(text);

    // An existing file is not overwritten without --force.
    const refused = await runCli(['baseline', 'init', '-q', '-o', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('exists: refusing to overwrite it');
    expect((await runCli(['baseline', 'init', '-q', '-o', file, '--force'])).code).toBe(0);
  });

  it('update after a key rotation: the diff replaces the key id, --write applies it, audit stays without unexpected violations', async () => {
    await seedDemo('clean');
    const dir = tempDir('rollcall-e2e-');
    const file = path.join(dir, 'baseline.yaml');
    expect((await runCli(['baseline', 'init', '-q', '-o', file])).code).toBe(0);
    const before = readFileSync(file, 'utf8');
    const oldKey = /- \{ id: (AKIA[A-Z0-9]+) \}/.exec(before.slice(before.indexOf('name: ci-deployer')))?.[1];
    expect(oldKey).toBeDefined();

    const clients = demoClients();
    let newKey: string;
    try {
      const created = await clients.iam.send(new CreateAccessKeyCommand({ UserName: 'ci-deployer' }));
      newKey = created.AccessKey!.AccessKeyId!;
      await clients.iam.send(new DeleteAccessKeyCommand({ UserName: 'ci-deployer', AccessKeyId: oldKey! }));
    } finally {
      clients.destroy();
    }

    const shown = await runCli(['baseline', 'update', file]);
    expect(shown.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
    const changedLines = shown.stdout.split('\n').filter((l) => /^[+-](?![+-]{2} )/.test(l));
    expect(changedLines).toEqual([`-        - { id: ${oldKey} }`, `+        - { id: ${newKey} }`]);
    expect(shown.stdout).toMatch(new RegExp(`^--- ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(shown.stderr).toContain(`user ci-deployer: remove access key ${oldKey} (gone)`);
    expect(shown.stderr).toContain('add --write to apply them');

    const written = await runCli(['baseline', 'update', '-q', file, '--write']);
    expect(written.code).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after).toBe(before.replace(`{ id: ${oldKey} }`, `{ id: ${newKey} }`));
    expect(await unexpectedAfterAudit(file)).toEqual([]);

    const nothing = await runCli(['baseline', 'update', file]);
    expect(nothing.stdout).toBe('');
    expect(nothing.stderr).toContain('already accepts the account as found');
  });

  it('update refuses a baseline of another account, and init --inventory works offline', async () => {
    await seedDemo('clean');
    const dir = tempDir('rollcall-e2e-');
    const inv = path.join(dir, 'inventory.json');
    expect((await runCli(['collect', '-q', '--out', inv])).code).toBe(0);
    const file = path.join(dir, 'baseline.yaml');
    const offline = await runCli(['baseline', 'init', '-q', '--inventory', inv, '-o', file], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(offline.code).toBe(0);
    const other = path.join(dir, 'other.yaml');
    writeFileSync(other, readFileSync(file, 'utf8').replace('id: "123456789012"', 'id: "210987654321"'));
    const refused = await runCli(['baseline', 'update', other, '--inventory', inv]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to update one account');
    expect(existsSync(path.join(dir, '.other.yaml.tmp'))).toBe(false);
  });
});
