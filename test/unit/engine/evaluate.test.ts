import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/evaluate.js';
import { fingerprint } from '../../../src/engine/fingerprint.js';
import type { Rule } from '../../../src/model/rule.js';
import { ACCOUNT, NOW, accessKey, attachment, baseline, instance, inventory, user } from '../../helpers/resources.js';

const undeclaredUser: Rule = {
  id: 'iam-user-undeclared',
  title: 'Undeclared user',
  severity: 'critical',
  resource: 'iam.user',
  relation: 'unexpected',
  message: 'User {{id}} is not declared',
  rationale: 'r',
  remediation: ['quarantineUser'],
};
const missingUser: Rule = { ...undeclaredUser, id: 'iam-user-missing', severity: 'info', relation: 'missing', message: 'User {{declared.name}} missing' };
const keyRule: Rule = { ...undeclaredUser, id: 'key-any', severity: 'low', resource: 'iam.accessKey', relation: 'always', message: 'key {{id}}' };

const b = baseline({ iam: { users: [{ name: 'alice' }, { name: 'svc-*' }] } });

describe('evaluate', () => {
  it('unexpected: only resources no entry matches, globs included', () => {
    const inv = inventory([user('alice'), user('svc-build'), user('mallory')]);
    const { violations } = evaluate({ inventory: inv, baseline: b, rules: [undeclaredUser], now: NOW });
    expect(violations.map((v) => v.subject)).toEqual(['user/mallory']);
    expect(violations[0]).toMatchObject({
      ruleId: 'iam-user-undeclared',
      status: 'fail',
      severity: 'critical',
      message: 'User mallory is not declared',
      arn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
      fingerprint: fingerprint('iam-user-undeclared', ACCOUNT, 'user/mallory'),
    });
  });

  it('missing: concrete entries that nothing matched; a glob is never missing', () => {
    const { violations } = evaluate({ inventory: inventory([user('bob')]), baseline: b, rules: [missingUser], now: NOW });
    expect(violations.map((v) => [v.subject, v.message])).toEqual([['user/alice', 'User alice missing']]);
  });

  it('fingerprints are stable across runs and differ by subject, rule and account', () => {
    expect(fingerprint('r', ACCOUNT, 'user/a')).toBe(fingerprint('r', ACCOUNT, 'user/a'));
    expect(new Set([fingerprint('r', ACCOUNT, 'user/a'), fingerprint('r', ACCOUNT, 'user/b'), fingerprint('s', ACCOUNT, 'user/a'), fingerprint('r', '210987654321', 'user/a')]).size).toBe(4);
  });

  it('a gap on the rule type yields one unknown and no pass or fail for that type', () => {
    const inv = inventory([user('mallory')], [{ type: 'iam.user', region: 'global', operation: 'iam:GetAccountAuthorizationDetails', code: 'AccessDenied', message: 'denied' }]);
    const { violations } = evaluate({ inventory: inv, baseline: b, rules: [undeclaredUser, missingUser, keyRule], now: NOW });
    expect(violations.map((v) => [v.ruleId, v.status, v.subject])).toEqual([
      ['iam-user-undeclared', 'unknown', 'user/*'],
      ['iam-user-missing', 'unknown', 'user/*'],
    ]);
    expect(violations[0]!.message).toContain('iam:GetAccountAuthorizationDetails: AccessDenied');
  });

  it('a gap on a type named in `needs` makes the rule unknown too', () => {
    const inv = inventory([accessKey('AKIA1', 'alice')], [{ type: 'iam.user', region: 'global', operation: 'iam:GetCredentialReport', code: 'Throttling', message: 'slow down' }]);
    const { violations } = evaluate({ inventory: inv, baseline: b, rules: [{ ...keyRule, needs: ['iam.user'] }], now: NOW });
    expect(violations.map((v) => [v.status, v.subject])).toEqual([['unknown', 'accessKey/*']]);
  });

  it('sorts by severity, then rule, then subject', () => {
    const inv = inventory([user('zed'), user('amy'), accessKey('AKIA2', 'zed')]);
    const { violations } = evaluate({ inventory: inv, baseline: b, rules: [keyRule, undeclaredUser], now: NOW });
    expect(violations.map((v) => v.subject)).toEqual(['user/amy', 'user/zed', 'accessKey/AKIA2']);
  });

  it('matches attachments to the principal entry, by policy ARN or by name', () => {
    const rule: Rule = { ...undeclaredUser, id: 'att', resource: 'iam.policyAttachment' };
    const bl = baseline({ iam: { roles: [{ name: 'app-*', policies: ['deploy', 'arn:aws:iam::aws:policy/ReadOnlyAccess'] }] } });
    const inv = inventory([
      attachment('role', 'app-web', `arn:aws:iam::${ACCOUNT}:policy/deploy`),
      attachment('role', 'app-web', 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
      attachment('role', 'app-web', 'arn:aws:iam::aws:policy/AdministratorAccess'),
      attachment('user', 'app-web', 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
    ]);
    const { violations } = evaluate({ inventory: inv, baseline: bl, rules: [rule], now: NOW });
    expect(violations.map((v) => v.subject).sort()).toEqual([
      'attachment/role/app-web/arn:aws:iam::aws:policy/AdministratorAccess',
      'attachment/user/app-web/arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
  });
});

describe('regional gaps', () => {
  const undeclaredInstance: Rule = { ...undeclaredUser, id: 'inst', resource: 'ec2.instance', message: 'instance {{id}}' };
  const missingInstance: Rule = { ...undeclaredInstance, id: 'inst-missing', relation: 'missing' };
  const gap = { type: 'ec2.instance' as const, region: 'ap-south-1', operation: 'ec2:DescribeInstances', code: 'TimeoutError', message: 'timed out' };
  const bl = baseline({ resources: { 'ec2.instance': [{ id: 'i-here', region: 'us-east-1' }, { id: 'i-anywhere' }, { id: 'i-there', region: 'ap-south-1' }] } });

  it('make only the blind region unknown; other regions are judged', () => {
    const inv = inventory([instance('i-x', 'us-east-1'), instance('i-y', 'ap-south-1')], [gap]);
    const { violations } = evaluate({ inventory: inv, baseline: bl, rules: [undeclaredInstance], now: NOW });
    expect(violations.map((v) => [v.status, v.subject])).toEqual([
      ['unknown', 'instance/ap-south-1/*'],
      ['fail', 'instance/us-east-1/i-x'],
    ]);
    expect(violations[0]!.message).toBe('Cannot evaluate: the inventory is incomplete (ec2:DescribeInstances: TimeoutError)');
  });

  it('a gap in a global input the rule needs (IAM roles) blinds it in every region', () => {
    const roleGap = { type: 'iam.role' as const, region: 'global', operation: 'iam:GetAccountAuthorizationDetails', code: 'AccessDenied', message: 'no' };
    const inv = inventory([instance('i-x', 'us-east-1')], [roleGap]);
    const { violations } = evaluate({ inventory: inv, baseline: bl, rules: [{ ...undeclaredInstance, needs: ['iam.role'] }], now: NOW });
    expect(violations.map((v) => [v.status, v.subject, v.region])).toEqual([['unknown', 'instance/*', '*']]);
    expect(violations[0]!.message).toBe('Cannot evaluate: the inventory is incomplete (iam:GetAccountAuthorizationDetails: AccessDenied)');
  });

  it('never call missing what a blind region may hold: a declaration for every region is blind too', () => {
    const inv = inventory([], [gap]);
    const { violations } = evaluate({ inventory: inv, baseline: bl, rules: [missingInstance], now: NOW });
    expect(violations.map((v) => [v.status, v.subject])).toEqual([
      ['unknown', 'instance/ap-south-1/*'],
      ['fail', 'instance/us-east-1/i-here'],
    ]);
  });
});

describe('exceptions', () => {
  const inv = inventory([user('legacy-bot'), user('legacy-job'), user('mallory')]);
  const rules = [undeclaredUser];

  it('suppress matching violations until they expire, with glob subjects', () => {
    const bl = baseline({ exceptions: [{ rule: 'iam-user-undeclared', subject: 'user/legacy-*', reason: 'SEC-42', expires: '2026-11-22' }] });
    const { violations, warnings } = evaluate({ inventory: inv, baseline: bl, rules, now: NOW });
    expect(violations.filter((v) => v.suppressed).map((v) => v.subject)).toEqual(['user/legacy-bot', 'user/legacy-job']);
    expect(violations.find((v) => v.subject === 'user/mallory')!.suppressed).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('come back with a warning once expired (a date lasts through its day, UTC)', () => {
    const bl = baseline({ exceptions: [{ rule: 'iam-user-undeclared', subject: 'user/legacy-bot', reason: 'SEC-42', expires: '2026-11-21' }] });
    const { violations, warnings } = evaluate({ inventory: inv, baseline: bl, rules, now: NOW });
    expect(violations.some((v) => v.suppressed)).toBe(false);
    expect(warnings).toEqual(['exception for rule iam-user-undeclared on user/legacy-bot (SEC-42) expired on 2026-11-21: its violations are reported again']);
  });

  it('warn about live exceptions that match nothing', () => {
    const bl = baseline({ exceptions: [{ rule: 'iam-user-undeclared', subject: 'user/gone', reason: 'SEC-1', expires: '2027-01-01' }] });
    const { warnings } = evaluate({ inventory: inv, baseline: bl, rules, now: NOW });
    expect(warnings).toEqual(['exception for rule iam-user-undeclared on user/gone (SEC-1) matches no violation: remove it if the risk is gone']);
  });
});
