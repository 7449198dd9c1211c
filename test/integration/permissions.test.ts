/**
 * Least privilege, held to what the code does: a whole incident run against
 * the emulator (collect and audit the seeded compromise, plan with
 * --destructive, apply, undo), each stage with clients of its own, makes only
 * calls that `rollcall permissions` grants for it. The call counter sees
 * every call, so an API call that no collector or action declares fails here.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { undoJournal } from '../../src/apply/undo.js';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/collect/collect.js';
import { permissionsPolicy } from '../../src/commands/permissions.js';
import { demoClients } from '../../src/demo/clients.js';
import { DEMO_RANDOM_SEED, seedDemoAccount } from '../../src/demo/seed-compromise.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { loadBaseline } from '../../src/load/baseline.js';
import { builtinRulesDir, loadRules } from '../../src/load/rules.js';
import { makePlan } from '../../src/plan/planner.js';
import { seedMotoRandom } from '../../scripts/moto.mjs';
import { emulatorEndpoint, resetEmulator } from '../helpers/emulator.js';
import { tempDir } from '../unit/apply/fakes.js';

const granted = (command: string) => new Set<string>(permissionsPolicy(command).Statement[0]!.Action);

/** Runs `f` with clients of its own; returns its result and the operations those clients called. */
async function calls<T>(f: (clients: AwsClients) => Promise<T>): Promise<{ result: T; called: string[] }> {
  const clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
  try {
    const result = await f(clients);
    return { result, called: Object.keys(clients.counter.snapshot()) };
  } finally {
    clients.destroy();
  }
}

describe('rollcall permissions grants every call a run makes', () => {
  beforeEach(async () => {
    await resetEmulator();
    await seedMotoRandom(emulatorEndpoint(), DEMO_RANDOM_SEED);
    const seeding = demoClients();
    try {
      await seedDemoAccount(seeding, '123456789012');
    } finally {
      seeding.destroy();
    }
  });

  it('collect (audit, plan), then apply and undo of the destructive plan', async () => {
    const now = new Date();
    const collected = await calls((c) => collectInventory(c, { now }));
    expect(collected.called.filter((op) => !granted('audit').has(op))).toEqual([]);
    expect(collected.called).toEqual(expect.arrayContaining(['iam:GetAccountAuthorizationDetails', 'ec2:DescribeInstances', 'lambda:ListFunctions', 'tag:GetResources']));

    const inventory = collected.result;
    const baseline = loadBaseline('baselines/example.yaml');
    const { violations } = evaluate({ inventory, baseline, rules: loadRules([builtinRulesDir()]), now });
    const { plan } = makePlan({ inventory, baseline, violations, now, version: 'test', destructive: true });
    expect(plan.steps.filter((s) => !s.action.startsWith('manual')).length).toBeGreaterThan(5);

    const dir = tempDir();
    const planFile = path.join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const applied = await calls((clients) => applyPlan(plan, { clients, planFile, secretsDir: path.join(dir, 'secrets'), out: () => {}, log: () => {} }));
    expect(applied.called.filter((op) => !granted('apply').has(op))).toEqual([]);
    // Writes were made: the run did act, so the check above saw executors' calls, not only reads.
    expect(applied.called.some((op) => /:(Update|Put|Delete|Detach|Remove|Stop|Terminate|Cancel)/.test(op))).toBe(true);

    const undone = await calls((clients) => undoJournal({ clients, journalFile: applied.result.journalFile, out: () => {} }));
    expect(undone.called.filter((op) => !granted('undo').has(op))).toEqual([]);
  });
});
