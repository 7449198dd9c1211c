import { describe, expect, it } from 'vitest';
import { compareViolations, evaluate } from '../../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import { historyFor } from '../../helpers/history.js';
import { referenceEvaluate } from '../../helpers/reference-evaluate.js';
import { declared, hostile, scenarios } from '../../helpers/engine-scenarios.js';
import { ACCOUNT, NOW, inventory } from '../../helpers/resources.js';

/**
 * The compiled engine (conditions and paths compiled once per rule, a scratch
 * context, exceptions indexed by rule) against the engine as it was
 * (test/helpers/reference-evaluate.ts: conditions interpreted per resource):
 * every built-in rule on a varied set of accounts, including gaps, exceptions,
 * timelines and hostile props, gives the same violations in the same order.
 */
const rules = loadRules([builtinRulesDir()]);

describe('the compiled engine equals the interpreted one', () => {
  const failing = new Set<string>();
  for (const s of scenarios) {
    it(s.name, () => {
      const input = {
        inventory: { ...inventory(s.resources, s.gaps ?? []), regions: ['global', 'us-east-1', 'eu-west-1', 'ap-south-1', 'sa-east-1'] },
        baseline: s.baseline,
        rules,
        now: NOW,
      };
      const history = s.timeline ? historyFor({ events: s.timeline }, s.resources, s.baseline) : undefined;
      const compiled = evaluate({ ...input, ...(history ? { history } : {}) });
      const reference = referenceEvaluate({ ...input, ...(history ? { history } : {}) });
      // The reference sorts by severity, rule and subject only: ties keep the order it found them in, which the compiled engine need not share.
      reference.violations.sort(compareViolations);
      expect(compiled).toEqual(reference);
      // The same order too, not only the same set.
      expect(compiled.violations.map((v) => v.fingerprint)).toEqual(reference.violations.map((v) => v.fingerprint));
      for (const v of compiled.violations) if (v.status === 'fail') failing.add(v.ruleId);
    });
  }

  it('every built-in rule failed somewhere above (none was equal only by judging nothing)', () => {
    expect(rules.map((r) => r.id).filter((id) => !failing.has(id))).toEqual([]);
  });

  it('hostile values are judged as data: nothing resolves to a member of Object.prototype', () => {
    const { violations } = evaluate({ inventory: inventory(hostile), baseline: declared, rules, now: NOW });
    for (const v of violations) expect(v.message).not.toMatch(/native code|function \w*\(/);
    // The instance's own `__proto__` key holds state "running", its own `state` a list: it is not terminated, so it is judged.
    expect(violations.filter((v) => v.subject === 'instance/us-east-1/i-00000000000000h01').map((v) => v.ruleId)).toContain('ec2-instance-undeclared');
    expect(violations.every((v) => v.fingerprint.length === 32 && v.resourceId !== undefined)).toBe(true);
    expect(ACCOUNT).toBe('123456789012');
  });
});
