import { expect } from 'vitest';
import type { Plan, PlanStep } from '../../../src/model/plan.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import type { Baseline } from '../../../src/model/baseline.js';
import type { Gap, Inventory } from '../../../src/model/inventory.js';
import type { Resource } from '../../../src/model/resource.js';
import type { Violation } from '../../../src/model/violation.js';
import { makePlan, type PlanResult } from '../../../src/plan/planner.js';
import {
  NOW,
  accessKey,
  attachment,
  baseline,
  daysAgo,
  fn,
  inlinePolicy,
  instance,
  inventory,
  loginProfile,
  membership,
  policy,
  role,
  root,
  spotRequest,
  user,
} from '../../helpers/resources.js';

export const RULES = loadRules([builtinRulesDir()]);
export const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
export const EXPOSED = 'AKIAEXPOSED000000001';

/** A baseline like the demo's: declared users, roles and regions, one exposed key. */
export function incidentBaseline(partial: Partial<Baseline> = {}): Baseline {
  return baseline({
    regions: { allowed: ['us-east-1', 'eu-west-1'] },
    root: { mfa: 'required', accessKeys: 'forbidden' },
    iam: {
      users: [
        { name: 'legacy-bot', accessKeys: [{ id: EXPOSED }] },
        { name: 'ci', accessKeys: [{ id: 'AKIACI00000000000001' }], policies: [ADMIN], groups: ['deployers'] },
      ],
      roles: [{ name: 'org', trustedPrincipals: ['111111111111'] }, { name: 'lambda-exec' }],
      groups: [{ name: 'deployers' }],
      policies: [{ name: 'deploy' }],
    },
    incident: { exposedKeys: [EXPOSED], since: daysAgo(20) },
    ...partial,
  });
}

/** What an intruder leaves: an admin user with a key and a password, a second key, a backdoor role, compute. */
export function compromise(): Resource[] {
  return [
    root({ mfaEnabled: false }),
    user('legacy-bot', { accessKeyCount: 1, activeAccessKeyCount: 1 }),
    accessKey(EXPOSED, 'legacy-bot', { lastUsedDate: daysAgo(1) }),
    inlinePolicy('user', 'legacy-bot', 'maintenance', true),
    membership('legacy-bot', 'admins'),
    user('ci', { accessKeyCount: 2, activeAccessKeyCount: 2 }),
    accessKey('AKIACI00000000000001', 'ci'),
    accessKey('AKIACISECOND00000001', 'ci'),
    attachment('user', 'ci', ADMIN),
    user('backup-admin', { passwordEnabled: true }),
    accessKey('AKIABACKUP0000000001', 'backup-admin'),
    loginProfile('backup-admin'),
    attachment('user', 'backup-admin', ADMIN),
    role('org', ['arn:aws:iam::111111111111:root', 'arn:aws:iam::666666666666:root']),
    role('support-audit', ['arn:aws:iam::666666666666:root']),
    attachment('role', 'support-audit', ADMIN),
    policy('ops-break-glass', { allowsAll: true }),
    instance('i-0miner', 'us-east-1', { instanceType: 'p3.16xlarge', spotRequestId: 'sir-1' }),
    spotRequest('sir-1', 'us-east-1', { instanceId: 'i-0miner' }),
    fn('sys-update-check', 'us-east-1', { roleArn: 'arn:aws:iam::123456789012:role/support-audit' }),
  ];
}

export function violationsOf(inv: Inventory, b: Baseline): Violation[] {
  return evaluate({ inventory: inv, baseline: b, rules: RULES, now: NOW }).violations;
}

export function planFor(resources: Resource[], opts: { destructive?: boolean; baseline?: Baseline; gaps?: Gap[]; now?: Date } = {}): PlanResult & { violations: Violation[]; inventory: Inventory } {
  const inv = inventory(resources, opts.gaps ?? []);
  const b = opts.baseline ?? incidentBaseline();
  const violations = violationsOf(inv, b);
  return { ...makePlan({ inventory: inv, baseline: b, violations, now: opts.now ?? NOW, version: '9.9.9', destructive: opts.destructive ?? false }), violations, inventory: inv };
}

/** The incident baseline declaring only the named users (so that the others are not reported missing). */
export function declaring(...names: string[]): Baseline {
  const b = incidentBaseline();
  b.iam = { ...b.iam, users: (b.iam?.users ?? []).filter((u) => names.includes(u.name)) };
  return b;
}

/** The ci user as `declaring('ci')` declares it: nothing to report. */
export function ci(): Resource[] {
  return [user('ci'), accessKey('AKIACI00000000000001', 'ci'), membership('ci', 'deployers'), attachment('user', 'ci', ADMIN)];
}

/** The plan's step ids, in order. */
export const ids = (plan: Plan) => plan.steps.map((s) => s.id);

/** The step with that id; a missing one fails the test, naming what the plan has. */
export const step = (plan: Plan, id: string): PlanStep => {
  const s = plan.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id} in ${ids(plan).join(', ')}`);
  return s;
};

/** Where a step stands in the plan (-1: not in it). */
export const pos = (plan: Plan, id: string) => ids(plan).indexOf(id);

/** Every dependency of every step comes before it, and names a step of the plan. */
export function expectTopological(plan: Plan): void {
  plan.steps.forEach((s, i) => {
    for (const d of s.dependsOn) {
      expect(pos(plan, d), `${s.id} depends on ${d}`).toBeGreaterThanOrEqual(0);
      expect(pos(plan, d), `${s.id} depends on ${d}`).toBeLessThan(i);
    }
  });
}
