import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STEP_ACTIONS } from '../../../src/actions/registry.js';
import { COLLECT_BASE_PERMISSIONS, COLLECTOR_PERMISSIONS } from '../../../src/collect/permissions.js';
import { permissionsPolicy, PERMISSION_SETS } from '../../../src/commands/permissions.js';
import { InputError } from '../../../src/errors.js';
import { ACTION_OF_OPERATION, TIMELINE_PERMISSIONS } from '../../../src/timeline/permissions.js';
import { ORG_PERMISSIONS } from '../../../src/org/permissions.js';
import { sdkCallsOf } from '../../helpers/sdk-calls.js';

const IAM_ACTION = /^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/;
const executable = Object.entries(STEP_ACTIONS).flatMap(([kind, a]) => (a.manual ? [] : [{ kind, permissions: a.permissions }]));

describe('declared permissions', () => {
  it('every executable action declares the IAM actions its executor calls, and only ones its code can call', () => {
    for (const { kind, permissions } of executable) {
      const module = `src/apply/executors/${kind}.ts`;
      expect(existsSync(module), module).toBe(true);
      expect(permissions.length, kind).toBeGreaterThan(0);
      expect(new Set(permissions).size, `${kind}: no duplicate`).toBe(permissions.length);
      for (const p of permissions) expect(p, kind).toMatch(IAM_ACTION);
      // A declaration the code cannot make is stale: the policy would grant more than needed.
      const reachable = sdkCallsOf(module);
      expect(permissions.filter((p) => !reachable.has(p)), `${kind} declares what ${module} never calls`).toEqual([]);
    }
  });

  it('the read policy is exactly what the collection code can call: no call undeclared, none granted in vain', () => {
    const reachable = [...sdkCallsOf('src/collect/collect.ts')].sort();
    const declared = [...new Set([...COLLECT_BASE_PERMISSIONS, ...Object.values(COLLECTOR_PERMISSIONS).flat()])].sort();
    expect(declared).toEqual(reachable);
    expect(permissionsPolicy('audit').Statement[0]!.Action).toEqual(declared);
  });

  it('the timeline policy is exactly what the timeline code can call', () => {
    const reachable = [...sdkCallsOf('src/timeline/timeline.ts')].map((a) => ACTION_OF_OPERATION[a] ?? a).sort();
    expect(reachable).toEqual(expect.arrayContaining(['cloudtrail:LookupEvents', 's3:GetObject', 's3:ListBucket']));
    expect([...TIMELINE_PERMISSIONS].sort()).toEqual([...new Set(reachable)].sort());
    expect(permissionsPolicy('timeline').Statement[0]!.Action).toEqual([...TIMELINE_PERMISSIONS].sort());
  });

  it("org mode's policy is exactly what the run calls with its own credentials; each account's audit, what audit's grants", () => {
    const own = new Set([...sdkCallsOf('src/org/accounts.ts'), ...sdkCallsOf('src/org/role-credentials.ts'), ...sdkCallsOf('src/answers/caller-identity.ts'), ...sdkCallsOf('src/org/config-aggregator.ts')]);
    expect([...own].sort()).toEqual([
      'config:DescribeConfigurationAggregatorSourcesStatus',
      'config:DescribeConfigurationAggregators',
      'config:SelectAggregateResourceConfig',
      'organizations:DescribeOrganization',
      'organizations:ListAccounts',
      'sts:AssumeRole',
      'sts:GetCallerIdentity',
    ]);
    expect([...ORG_PERMISSIONS].sort()).toEqual([...own].sort());
    expect(permissionsPolicy('org').Statement[0]!.Action).toEqual([...own].sort());
    // Whatever else the run can call, it calls in the accounts, through their role: audit's policy.
    const audit = new Set(permissionsPolicy('audit').Statement[0]!.Action as string[]);
    expect([...sdkCallsOf('src/org/run.ts')].filter((a) => !own.has(a) && !audit.has(a))).toEqual([]);
  });

  it('each command has a policy: read-only for audit, collect and plan; the executors for apply and undo', () => {
    const writes = /:(Create|Update|Put|Delete|Detach|Attach|Remove|Add|Stop|Start|Terminate|Cancel|Tag|Untag)/;
    for (const c of PERMISSION_SETS) {
      const policy = permissionsPolicy(c);
      expect(policy.Version).toBe('2012-10-17');
      expect(policy.Statement).toHaveLength(1);
      const actions = policy.Statement[0]!.Action;
      expect(actions).toEqual([...new Set(actions)].sort());
      if (['audit', 'collect', 'plan', 'baseline', 'timeline', 'scan-secrets', 'org'].includes(c)) expect(actions.filter((a) => writes.test(a))).toEqual([]);
      else expect(actions).toEqual(expect.arrayContaining(['sts:GetCallerIdentity', 'iam:UpdateAccessKey', 'iam:PutUserPolicy', 'ec2:StopInstances']));
    }
    // scan-secrets looks keys up in the inventory that audit collects, and reads AWS Health's exposed-key events: exactly what its code calls.
    const health = [...sdkCallsOf('src/scan/health.ts')].sort();
    expect(health).toEqual(['health:DescribeAffectedEntities', 'health:DescribeEvents']);
    expect(permissionsPolicy('scan-secrets').Statement[0]!.Action).toEqual([...permissionsPolicy('audit').Statement[0]!.Action, ...health].sort());
    expect(() => permissionsPolicy('destroy')).toThrow(InputError);
  });
});
