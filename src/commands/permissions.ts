import { STEP_ACTIONS } from '../actions/registry.js';
import { COLLECT_BASE_PERMISSIONS, COLLECTOR_PERMISSIONS } from '../collect/permissions.js';
import { InputError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { policyFor, type IamAction, type PolicyDocument } from '../model/permissions.js';
import { TIMELINE_PERMISSIONS } from '../timeline/permissions.js';
import { ORG_PERMISSIONS } from '../org/permissions.js';

const NEEDS_AUDIT = (): IamAction[] => [...COLLECT_BASE_PERMISSIONS, ...Object.values(COLLECTOR_PERMISSIONS).flat()];

/** What a command's run may call: what every collector reads, or what every executor does. */
const NEEDS = {
  /** collect, audit, plan and baseline init/update read the same inventory. */
  audit: () => NEEDS_AUDIT(),
  /** apply and undo: who is calling (apply runs only as the plan's caller), and every executor's observe, run and undo. */
  apply: () => ['sts:GetCallerIdentity' as const, ...Object.values(STEP_ACTIONS).flatMap((a) => (a.manual ? [] : a.permissions))],
  /** timeline: CloudTrail's event history, or the trail's log files in S3. */
  timeline: () => [...TIMELINE_PERMISSIONS],
  /** scan-secrets: the inventory, as audit collects it, to look keys up; AWS Health's exposed-key events (--aws-health). */
  scanSecrets: () => [...NEEDS_AUDIT(), 'health:DescribeEvents' as const, 'health:DescribeAffectedEntities' as const],
  /** audit --org / --accounts, with the run's own credentials: list the organization's accounts, assume the role in each (whose policy is audit's). */
  org: () => [...ORG_PERMISSIONS],
} satisfies Record<string, () => IamAction[]>;

export const PERMISSION_SETS = ['audit', 'collect', 'plan', 'baseline', 'apply', 'undo', 'timeline', 'scan-secrets', 'org'] as const;
type PermissionSet = (typeof PERMISSION_SETS)[number];
/** baseline init and update collect as audit does. */
const SET_OF: Record<PermissionSet, keyof typeof NEEDS> = { audit: 'audit', collect: 'audit', plan: 'audit', baseline: 'audit', apply: 'apply', undo: 'apply', timeline: 'timeline', 'scan-secrets': 'scanSecrets', org: 'org' };

/** The least-privilege identity policy for one command. */
export function permissionsPolicy(command: string): PolicyDocument {
  if (!(PERMISSION_SETS as readonly string[]).includes(command)) {
    throw InputError.at({ file: 'permissions' }, `no permission set for '${command}': choose one of ${PERMISSION_SETS.join(', ')}`);
  }
  const set = SET_OF[command as PermissionSet];
  return policyFor(set === 'audit' ? 'RollcallRead' : set === 'timeline' ? 'RollcallTimeline' : set === 'scanSecrets' ? 'RollcallScanSecrets' : set === 'org' ? 'RollcallOrg' : 'RollcallRemediate', NEEDS[set]());
}

/** Prints the policy JSON, ready for `aws iam create-policy --policy-document`. */
export function runPermissions(command: string, stdout: NodeJS.WritableStream = process.stdout): ExitCode {
  stdout.write(`${JSON.stringify(permissionsPolicy(command), null, 2)}\n`);
  return EXIT.clean;
}
