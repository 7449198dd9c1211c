import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/evaluate.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import { AWS_QUARANTINE_ARN_PATTERN, AWS_QUARANTINE_POLICY_ARNS, incidentOpen, isAwsQuarantinePolicy } from '../../../src/model/aws-quarantine.js';
import type { Baseline } from '../../../src/model/baseline.js';
import type { Condition } from '../../../src/model/rule.js';
import type { Resource } from '../../../src/model/resource.js';
import { NOW, attachment, baseline, inventory, loginProfile } from '../../helpers/resources.js';

const rules = loadRules([builtinRulesDir()]);
const rule = (id: string) => rules.find((r) => r.id === id)!;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const [V1, V2, V3] = AWS_QUARANTINE_POLICY_ARNS;

const subjects = (ruleId: string, b: Baseline, resources: Resource[]) =>
  evaluate({ inventory: inventory(resources), baseline: b, rules: [rule(ruleId)], now: NOW })
    .violations.map((v) => v.subject)
    .sort();

/** Every `matches` regex in a condition. */
function regexes(c: Condition | undefined): string[] {
  if (!c) return [];
  if ('all' in c) return c.all.flatMap(regexes);
  if ('any' in c) return c.any.flatMap(regexes);
  if ('not' in c) return regexes(c.not);
  if ('some' in c) return regexes(c.some.where);
  if ('matches' in c) return [c.matches.regex];
  return [];
}

describe("AWS's quarantine policies", () => {
  const open = baseline({ incident: { since: '2026-11-01T00:00:00Z' } });
  const noSince = baseline({ incident: { exposedKeys: ['AKIAEXPOSED000000001'] } });
  const closed = baseline({ incident: { since: '2026-11-01T00:00:00Z', until: '2026-11-20T00:00:00Z' } });
  const found = [attachment('user', 'ci', V1), attachment('user', 'bob', V2), attachment('user', 'eve', V3), attachment('role', 'app', V3), attachment('user', 'ci', ADMIN)];

  it('the rules match exactly the ARNs the model lists', () => {
    const used = rules.flatMap((r) => regexes(r.when)).filter((re) => re.includes('AWSCompromisedKeyQuarantine'));
    expect(used.length).toBe(3);
    for (const re of used) expect(re).toBe(AWS_QUARANTINE_ARN_PATTERN);
    const re = new RegExp(AWS_QUARANTINE_ARN_PATTERN);
    for (const arn of AWS_QUARANTINE_POLICY_ARNS) expect([re.test(arn), isAwsQuarantinePolicy(arn)]).toEqual([true, true]);
    for (const arn of [`${V3}X`, 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV4', 'arn:aws:iam::123456789012:policy/AWSCompromisedKeyQuarantineV2']) {
      expect([re.test(arn), isAwsQuarantinePolicy(arn)]).toEqual([false, false]);
    }
  });

  it('while the incident is open, a quarantine on a user is info, not an undeclared attachment', () => {
    for (const b of [open, noSince]) {
      expect(subjects('iam-policy-attachment-undeclared', b, found)).toEqual([`attachment/role/app/${V3}`, `attachment/user/ci/${ADMIN}`]);
      expect(subjects('iam-aws-quarantine-policy-attached', b, found)).toEqual([`attachment/user/bob/${V2}`, `attachment/user/ci/${V1}`, `attachment/user/eve/${V3}`]);
    }
    const info = evaluate({ inventory: inventory(found), baseline: open, rules: [rule('iam-aws-quarantine-policy-attached')], now: NOW }).violations;
    expect(info.every((v) => v.severity === 'info' && !v.remediation.includes('detachPolicy'))).toBe(true);
    // one the baseline declares is neither
    const declared = baseline({ incident: open.incident!, iam: { users: [{ name: 'eve', policies: [V3] }] } });
    expect(subjects('iam-aws-quarantine-policy-attached', declared, [attachment('user', 'eve', V3)])).toEqual([]);
  });

  it('once the incident is closed (or without one), it is judged like any attachment', () => {
    for (const b of [closed, baseline()]) {
      expect(subjects('iam-policy-attachment-undeclared', b, found)).toEqual(found.map((r) => `attachment/${r.id}`).sort());
      expect(subjects('iam-aws-quarantine-policy-attached', b, found)).toEqual([]);
    }
    // declared, it passes as any declared policy does
    const declared = baseline({ incident: closed.incident!, iam: { users: [{ name: 'eve', policies: [V3] }] } });
    expect(subjects('iam-policy-attachment-undeclared', declared, [attachment('user', 'eve', V3)])).toEqual([]);
  });

  it('incidentOpen: an incident section whose until, if any, is not past', () => {
    expect(incidentOpen(undefined, NOW)).toBe(false);
    expect(incidentOpen({}, NOW)).toBe(true);
    expect(incidentOpen({ since: '2026-11-01T00:00:00Z' }, NOW)).toBe(true);
    expect(incidentOpen({ until: NOW.toISOString() }, NOW)).toBe(true);
    expect(incidentOpen({ until: '2026-12-01T00:00:00Z' }, NOW)).toBe(true);
    expect(incidentOpen({ until: '2026-11-22T11:59:59Z' }, NOW)).toBe(false);
  });
});

describe('console passwords older than the incident', () => {
  it('needs incident.since: without it nothing is reported', () => {
    const old = { ...loginProfile('alice'), props: { user: 'alice', passwordLastUsed: null, passwordLastChanged: '2020-01-01T00:00:00Z' } };
    expect(subjects('iam-console-password-before-incident', baseline({ incident: { exposedKeys: ['AKIAEXPOSED000000001'] } }), [old])).toEqual([]);
    expect(subjects('iam-console-password-before-incident', baseline(), [old])).toEqual([]);
    expect(subjects('iam-console-password-before-incident', baseline({ incident: { since: '2026-11-01T00:00:00Z' } }), [old])).toEqual(['loginProfile/alice']);
  });

  it('names the time, or says it is unknown', () => {
    const b = baseline({ incident: { since: '2026-11-01T00:00:00Z' } });
    const none = { ...loginProfile('bob'), props: { user: 'bob', passwordLastUsed: null, passwordLastChanged: null } };
    const [v] = evaluate({ inventory: inventory([none]), baseline: b, rules: [rule('iam-console-password-before-incident')], now: NOW }).violations;
    expect(v!.message).toContain('at an unknown time');
    expect(v!.message).toContain('2026-11-01T00:00:00Z');
    expect(v!.remediation).toEqual(['resetLoginProfilePassword']);
  });
});
