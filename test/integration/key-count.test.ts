/**
 * Keys declared by count, against the emulator: a user declaring
 * `accessKeys: { count: 1, maxAgeDays: 90 }` rotates its key (create the new
 * one, delete the old) with no baseline change and no violation; a key added
 * next to it is reported as beyond the count, and the plan deactivates it,
 * never deletes it.
 */
import { CreateAccessKeyCommand, CreateUserCommand, DeleteAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/collect/collect.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../src/load/rules.js';
import type { Baseline } from '../../src/model/baseline.js';
import type { Inventory } from '../../src/model/inventory.js';
import { makePlan } from '../../src/plan/planner.js';
import { resetEmulator } from '../helpers/emulator.js';
import { ACCOUNT } from '../helpers/resources.js';

const USER = 'ci-deployer';
const RULES = loadRules([builtinRulesDir()]);
const BASELINE: Baseline = {
  version: 1,
  account: { id: ACCOUNT },
  regions: { allowed: ['us-east-1'] },
  root: { mfa: 'optional' }, // the emulator's root has no MFA
  iam: { users: [{ name: USER, accessKeys: { count: 1, maxAgeDays: 90 } }] },
};

let clients: AwsClients;
let iam: IAMClient;

beforeEach(async () => {
  await resetEmulator();
  clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
  iam = clients.iam();
  await iam.send(new CreateUserCommand({ UserName: USER }));
});
afterEach(() => clients.destroy());

const createKey = async () => (await iam.send(new CreateAccessKeyCommand({ UserName: USER }))).AccessKey!.AccessKeyId!;

async function audit(): Promise<{ inventory: Inventory; findings: string[]; now: Date; violations: ReturnType<typeof evaluate>['violations'] }> {
  const now = new Date();
  const inventory = await collectInventory(clients, { now, regions: ['us-east-1'] });
  expect(inventory.gaps).toEqual([]);
  const { violations } = evaluate({ inventory, baseline: BASELINE, rules: RULES, now });
  return { inventory, now, violations, findings: violations.map((v) => `${v.ruleId} ${v.subject}`).sort() };
}

describe('access keys declared by count (emulator)', () => {
  it('a rotation (create the new key, delete the old) needs no baseline change; a key added beside it is beyond the count', async () => {
    const first = await createKey();
    expect((await audit()).findings).toEqual([]);

    const second = await createKey();
    await iam.send(new DeleteAccessKeyCommand({ UserName: USER, AccessKeyId: first }));
    expect((await audit()).findings).toEqual([]);

    const third = await createKey();
    const { inventory, violations, findings, now } = await audit();
    const created = (id: string) => String(inventory.resources.find((r) => r.id === id)!.props.createDate);
    // The younger key is beyond the count; keys created within the same instant are ranked by id.
    const [kept, beyond] = [second, third].sort((a, b) => Date.parse(created(a)) - Date.parse(created(b)) || (a < b ? -1 : 1));
    expect(findings).toEqual([`iam-access-key-beyond-count accessKey/${beyond}`, `iam-user-two-active-keys user/${USER}`]);
    expect(violations.find((v) => v.ruleId === 'iam-access-key-beyond-count')!.message).toContain(`(kept: ${kept})`);

    const { plan } = makePlan({ inventory, baseline: BASELINE, violations, now, version: '0.0.0-test', destructive: true });
    const onKeys = plan.steps.filter((s) => s.target.type === 'iam.accessKey').map((s) => s.id);
    expect(onKeys).toEqual([`deactivateAccessKey accessKey/${beyond}`, `manualReview accessKey/${beyond}`]);
  });
});
