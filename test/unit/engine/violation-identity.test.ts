import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/evaluate.js';
import { subjectOf } from '../../../src/model/resource.js';
import { buildReport } from '../../../src/report/audit-report.js';
import { renderJson } from '../../../src/report/json.js';
import { RULES, compromise, incidentBaseline } from '../plan/fixtures.js';
import { NOW, inventory } from '../../helpers/resources.js';

/** The compromise, against a baseline that also declares what is not there: every relation, selectors included. */
function audit() {
  const b = incidentBaseline({
    resources: {
      'ec2.instance': [{ id: 'i-0gone', region: 'us-east-1' }, { id: 'i-0anywhere' }, { name: 'web-*', region: 'eu-west-1' }],
      'lambda.function': [{ name: 'orders', region: 'us-east-1' }, { tags: { team: 'web' } }],
    },
  });
  b.iam!.users!.push({ name: 'ghost', accessKeys: [{ id: 'AKIAGHOST00000000001' }], policies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], groups: ['ops'] });
  const inv = inventory(compromise(), [{ type: 'ec2.instance', region: 'eu-west-1', operation: 'DescribeInstances', code: 'AccessDenied', message: 'no' }]);
  return { inv, ...evaluate({ inventory: inv, baseline: b, rules: RULES, now: NOW }) };
}

describe('a violation names its resource as data', () => {
  it('its subject is made from its type, id and region, for resources and for declared entries no resource matches', () => {
    const { inv, violations } = audit();
    const failed = violations.filter((v) => v.status === 'fail');
    expect(failed.length).toBeGreaterThan(20);
    for (const v of failed) expect(subjectOf(v.resourceType, v.resourceId, v.region)).toBe(v.subject);
    // Some of them name resources of the inventory by exactly these three fields, some declared entries that are missing.
    const ids = new Set(inv.resources.map((r) => `${r.type} ${r.region} ${r.id}`));
    expect(failed.some((v) => ids.has(`${v.resourceType} ${v.region} ${v.resourceId}`))).toBe(true);
    expect(failed.map((v) => v.resourceId)).toEqual(expect.arrayContaining(['ghost', 'AKIAGHOST00000000001', 'i-0gone', 'orders']));
  });

  it('a check a gap hides names no resource: `*`', () => {
    const unknown = audit().violations.filter((v) => v.status === 'unknown');
    expect(unknown.length).toBeGreaterThan(0);
    expect(unknown.every((v) => v.resourceId === '*')).toBe(true);
  });

  it('the JSON report leaves resourceId out: its violations have the fields they always had', () => {
    const { inv, violations } = audit();
    const report = buildReport({ version: '1', now: NOW, inventory: inv, baselineFile: 'b.yaml', ruleCount: RULES.length, violations, warnings: [] });
    const json = JSON.parse(renderJson(report)) as { violations: Record<string, unknown>[] };
    expect(json.violations).toHaveLength(violations.length);
    for (const v of json.violations) expect(Object.keys(v)).not.toContain('resourceId');
    expect(json.violations.map((v) => v.subject)).toEqual(violations.map((v) => v.subject));
  });
});
