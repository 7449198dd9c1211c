/**
 * The scan's violations are the exposed-key rules' own (rules/compromise:
 * iam-exposed-key-active, critical; iam-exposed-key-present, high), judged by
 * the engine with the keys found in code added to `incident.exposedKeys`: the
 * same violations, fingerprints and remediation (rotation) that `audit` and
 * `plan` give once the baseline lists them. Pure.
 */
import { evaluate } from '../engine/evaluate.js';
import type { Baseline } from '../model/baseline.js';
import type { Inventory } from '../model/inventory.js';
import type { Rule } from '../model/rule.js';
import type { Violation } from '../model/violation.js';

export const EXPOSED_KEY_RULES = ['iam-exposed-key-active', 'iam-exposed-key-present'] as const;

/** `baseline` with `keyIds` added to its exposed keys; a bare baseline of the inventory's account when there is none. */
export function withExposedKeys(baseline: Baseline | undefined, accountId: string, keyIds: readonly string[]): Baseline {
  const base: Baseline = baseline ?? { version: 1, account: { id: accountId } };
  const exposed = [...new Set([...(base.incident?.exposedKeys ?? []), ...keyIds])];
  return { ...base, incident: { ...base.incident, exposedKeys: exposed } };
}

export function exposedKeyViolations(input: { inventory: Inventory; baseline?: Baseline; rules: Rule[]; keyIds: readonly string[]; now: Date }): Violation[] {
  const rules = input.rules.filter((r) => (EXPOSED_KEY_RULES as readonly string[]).includes(r.id));
  const baseline = withExposedKeys(input.baseline, input.inventory.accountId, input.keyIds);
  const found = new Set(input.keyIds);
  return evaluate({ inventory: input.inventory, baseline, rules, now: input.now }).violations.filter((v) => found.has(v.resourceId) || v.resourceId === '*');
}
