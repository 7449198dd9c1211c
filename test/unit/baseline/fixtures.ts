import { parseDocument } from 'yaml';
import { evaluate } from '../../../src/engine/evaluate.js';
import { checkBaseline } from '../../../src/load/baseline.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import type { Baseline } from '../../../src/model/baseline.js';
import type { Inventory } from '../../../src/model/inventory.js';
import type { Resource } from '../../../src/model/resource.js';
import { ACCOUNT, NOW } from '../../helpers/resources.js';

export function inventoryOf(resources: Resource[]): Inventory {
  return { format: 1, accountId: ACCOUNT, caller: { account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/auditor`, userId: 'AIDAAUDITOR' }, collectedAt: NOW.toISOString(), regions: ['global', 'us-east-1', 'eu-west-1'], resources, gaps: [], notes: [], apiCalls: {} };
}

export function regional(type: 'ec2.instance' | 'lambda.function' | 'ec2.spotRequest', id: string, region: string, tags: Record<string, string> = {}, props: Record<string, unknown> = {}): Resource {
  const name = type === 'lambda.function' ? id : (tags.Name ?? null);
  return { type, id, region, accountId: ACCOUNT, tags, props: { state: 'running', name, roles: [], ...props } as never };
}

/** The text as a checked baseline: schema and semantic problems fail the test. */
export function checked(text: string): Baseline {
  const data = parseDocument(text).toJS();
  const problems = checkBaseline({ file: 'generated.yaml', data, locate: () => undefined, locateAll: (t) => t.map(() => undefined) });
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return data as Baseline;
}

const rules = loadRules([builtinRulesDir()]);
const unexpectedRules = new Set(rules.filter((r) => r.relation === 'unexpected').map((r) => r.id));

/** The `unexpected`-relation violations an audit of `inventory` against `baseline` gives: subjects by rule. */
export function unexpected(inventory: Inventory, baseline: Baseline): string[] {
  const { violations } = evaluate({ inventory, baseline, rules, now: NOW });
  return violations.filter((v) => unexpectedRules.has(v.ruleId)).map((v) => `${v.ruleId} ${v.subject}`).sort();
}

export function violationsOf(inventory: Inventory, baseline: Baseline): string[] {
  return evaluate({ inventory, baseline, rules, now: NOW }).violations.map((v) => `${v.ruleId} ${v.subject}`).sort();
}
