import { describe, expect, it } from 'vitest';
import { parseFailOn } from '../../../src/commands/fail-on.js';
import { InputError } from '../../../src/errors.js';
import type { Gap } from '../../../src/model/inventory.js';
import type { Resource } from '../../../src/model/resource.js';
import { buildReport, type AuditReport } from '../../../src/report/audit-report.js';
import { compareRuns, newViolationsExitCode, withDrift, type DriftStatus } from '../../../src/report/drift.js';
import { renderJson } from '../../../src/report/json.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { EXIT } from '../../../src/exit-codes.js';
import { instance, inventory, NOW, user } from '../../helpers/resources.js';
import { ci, declaring, RULES, violationsOf } from '../plan/fixtures.js';

const ALL_RULES = new Set(RULES.map((r) => r.id));
const IAM_GAP: Gap = { type: 'iam.user', region: 'global', operation: 'iam:GetAccountAuthorizationDetails', code: 'AccessDenied', message: 'not authorized' };

/** A report of the account holding `resources` (with `gaps`, scanning `regions`), as audit builds it. */
function run(resources: Resource[], o: { gaps?: Gap[]; regions?: string[] } = {}): AuditReport {
  const inv = { ...inventory(resources, o.gaps ?? []), regions: o.regions ?? ['global', 'us-east-1', 'eu-west-1'] };
  const violations = violationsOf(inv, declaring('ci'));
  return buildReport({ version: '9.9.9', now: NOW, inventory: inv, baselineFile: 'b.yaml', ruleCount: RULES.length, violations, warnings: [] });
}

function compare(previous: AuditReport, current: AuditReport, ruleIds = ALL_RULES) {
  return compareRuns(previous, { violations: current.violations, regions: current.inventory.regions, ruleIds }, 'previous.json');
}

const bySubject = (report: AuditReport, statuses: DriftStatus[]) =>
  Object.fromEntries(report.violations.map((v, i) => [`${v.ruleId} ${v.subject}`, statuses[i]]));

describe('compareRuns', () => {
  it('the same account twice: every violation known, nothing resolved', () => {
    const a = run([...ci(), user('mallory')]);
    const d = compare(a, run([...ci(), user('mallory')]));
    expect(d.statuses.length).toBeGreaterThan(0);
    expect(new Set(d.statuses)).toEqual(new Set(['known']));
    expect(d.summary.counts).toEqual({ new: 0, known: a.summary.fail.critical, resolved: 0, unverified: 0 });
    expect(d.resolved).toEqual([]);
  });

  it('a user appears: its violations are new, the rest known; then it is removed: resolved', () => {
    const first = run([...ci(), user('eve')]);
    const second = run([...ci(), user('eve'), user('mallory')]);
    const d2 = compare(first, second);
    const statuses = bySubject(second, d2.statuses);
    expect(statuses['iam-user-undeclared user/mallory']).toBe('new');
    expect(statuses['iam-user-undeclared user/eve']).toBe('known');
    expect(d2.summary.counts).toMatchObject({ new: 1, known: 1, resolved: 0, unverified: 0 });

    const third = run([...ci(), user('eve')]);
    const d3 = compare(second, third);
    expect(d3.statuses).toEqual(['known']);
    expect(d3.resolved.map((v) => `${v.ruleId} ${v.subject}`)).toEqual(['iam-user-undeclared user/mallory']);
    expect(d3.resolved[0]).toMatchObject({ severity: 'critical', resourceType: 'iam.user', region: 'global' });
    expect(d3.summary).toEqual({ previous: { file: 'previous.json', generatedAt: NOW.toISOString() }, counts: { new: 0, known: 1, resolved: 1, unverified: 0 } });
  });

  it('a violation whose rule is blind now (a gap) is not resolved: unverified, with the gap as the reason', () => {
    const before = run([...ci(), user('mallory')]);
    const now = run(ci(), { gaps: [IAM_GAP] });
    const d = compare(before, now);
    expect(d.resolved).toEqual([]);
    expect(d.unverified.map((v) => v.subject)).toEqual(['user/mallory']);
    expect(d.unverified[0]!.reason).toContain('not checked in this run: Cannot evaluate: the inventory is incomplete (iam:GetAccountAuthorizationDetails: AccessDenied)');
    expect(d.summary.counts).toMatchObject({ resolved: 0, unverified: 1 });
  });

  it('a regional gap blinds its region only: a violation elsewhere that is gone is resolved', () => {
    const gap: Gap = { type: 'ec2.instance', region: 'eu-west-1', operation: 'ec2:DescribeInstances', code: 'UnauthorizedOperation', message: 'no' };
    const before = run([...ci(), instance('i-0east', 'us-east-1'), instance('i-0west', 'eu-west-1')]);
    const d = compare(before, run(ci(), { gaps: [gap] }));
    expect(d.resolved.map((v) => v.subject)).toEqual(['instance/us-east-1/i-0east']);
    expect(d.unverified.map((v) => v.subject)).toEqual(['instance/eu-west-1/i-0west']);
  });

  it('a region not scanned this time, or a rule not run, leaves its violations unverified', () => {
    const before = run([...ci(), instance('i-0west', 'eu-west-1'), user('mallory')]);
    const now = run(ci(), { regions: ['global', 'us-east-1'] });
    const d = compare(before, now, new Set([...ALL_RULES].filter((id) => id !== 'iam-user-undeclared')));
    expect(d.resolved).toEqual([]);
    expect(Object.fromEntries(d.unverified.map((v) => [v.subject, v.reason]))).toEqual({
      'instance/eu-west-1/i-0west': 'region eu-west-1 was not scanned in this run',
      'user/mallory': 'rule iam-user-undeclared was not evaluated in this run',
    });
  });

  it("the previous run's unknowns were blind spots, not findings: never resolved; counts leave out unknown and suppressed violations", () => {
    const before = run(ci(), { gaps: [IAM_GAP] });
    expect(before.violations.some((v) => v.status === 'unknown')).toBe(true);
    const now = run([...ci(), user('mallory')]);
    const d = compare(before, now);
    expect(d.resolved).toEqual([]);
    expect(d.unverified).toEqual([]);
    expect(d.summary.counts).toMatchObject({ new: 1, known: 0 });

    const blind = compare(now, before);
    expect(blind.statuses.every((s) => s === 'new')).toBe(true);
    expect(blind.summary.counts).toMatchObject({ new: 0, known: 0, unverified: 1 });
  });

  it('withDrift marks each violation, and the JSON and Markdown reports show the comparison', () => {
    const second = run([...ci(), user('eve'), user('mallory')]);
    const report = withDrift(second, compare(run([...ci(), user('eve'), user('trudy')]), second));
    expect(report.violations.map((v) => [v.subject, v.drift])).toEqual([
      ['user/eve', 'known'],
      ['user/mallory', 'new'],
    ]);
    const json = JSON.parse(renderJson(report));
    expect(json.drift.counts).toEqual({ new: 1, known: 1, resolved: 1, unverified: 0 });
    expect(json.resolved.map((v: { subject: string }) => v.subject)).toEqual(['user/trudy']);
    const md = renderMarkdown(report);
    expect(md).toContain('## Since the previous run');
    expect(md).toContain('Compared with `previous.json` (generated 2026-11-22T12:00:00.000Z): 1 new, 1 known, 1 resolved.');
    expect(md).toContain('- **new** `user/mallory`:');
    expect(md).toContain('- `user/eve`:');
    expect(md).toContain('### Resolved\n- **iam-user-undeclared** (critical) on `user/trudy`:');
    expect(md).not.toContain('Not verified');
  });

  it('the Markdown report lists the unverified ones apart, with their reason, escaped', () => {
    const before = run([...ci(), user('mal*lory_[x](y)')]);
    const report = withDrift(run(ci(), { gaps: [IAM_GAP] }), compare(before, run(ci(), { gaps: [IAM_GAP] })));
    const md = renderMarkdown(report);
    expect(md).toContain('### Not verified in this run');
    expect(md).toContain('`user/mal*lory_[x](y)`');
    expect(md).toContain('(not checked in this run: Cannot evaluate: the inventory is incomplete');
    expect(md).not.toContain('### Resolved');
  });
});

describe('--fail-on new[:SEVERITY]', () => {
  it('parses a severity, new and new:SEVERITY', () => {
    expect(parseFailOn('high')).toEqual({ severity: 'high', onlyNew: false });
    expect(parseFailOn('info')).toEqual({ severity: 'info', onlyNew: false });
    expect(parseFailOn('new')).toEqual({ severity: 'low', onlyNew: true });
    expect(parseFailOn('new:critical')).toEqual({ severity: 'critical', onlyNew: true });
  });

  it.each([
    ['hgh', "must be a severity (critical, high, medium, low, info) or new[:SEVERITY] (e.g. new, new:high) (got 'hgh')"],
    ['new:', "'new:': after new: comes a severity, one of critical, high, medium, low, info (e.g. new:high)"],
    ['new:hgh', "'new:hgh': after new: comes a severity, one of critical, high, medium, low, info (e.g. new:high)"],
    ['News', "must be a severity (critical, high, medium, low, info) or new[:SEVERITY] (e.g. new, new:high) (got 'News')"],
    ['', "must be a severity (critical, high, medium, low, info) or new[:SEVERITY] (e.g. new, new:high) (got '')"],
  ])('refuses %j', (value, message) => {
    expect(() => parseFailOn(value)).toThrow(InputError);
    expect(() => parseFailOn(value)).toThrow(`--fail-on: ${message}`);
  });

  it('fails only on new open violations at or above the severity; unknown ones at or above it make it incomplete', () => {
    const second = run([...ci(), user('eve'), instance('i-0new', 'us-east-1')]); // eve known (critical), the instance new (high)
    const d = compare(run([...ci(), user('eve')]), second);
    expect(bySubject(second, d.statuses)).toEqual({ 'iam-user-undeclared user/eve': 'known', 'ec2-instance-undeclared instance/us-east-1/i-0new': 'new' });
    expect(newViolationsExitCode(second.violations, d.statuses, 'high')).toBe(EXIT.violations);
    expect(newViolationsExitCode(second.violations, d.statuses, 'critical')).toBe(EXIT.clean);
    // Only the known one left: nothing new fails, whatever its severity.
    const same = compare(second, second);
    expect(newViolationsExitCode(second.violations, same.statuses, 'info')).toBe(EXIT.clean);
    // Suppressed violations never fail.
    const suppressed = second.violations.map((v) => ({ ...v, suppressed: { reason: 'SEC-1', expires: '2027-01-01' } }));
    expect(newViolationsExitCode(suppressed, d.statuses, 'low')).toBe(EXIT.clean);
    // Without a previous report, every violation is new.
    expect(newViolationsExitCode(second.violations, undefined, 'high')).toBe(EXIT.violations);
    const blind = run(ci(), { gaps: [IAM_GAP] });
    expect(newViolationsExitCode(blind.violations, compare(blind, blind).statuses, 'high')).toBe(EXIT.incomplete);
    // Known or not: a gap may hide a new violation.
    expect(compare(blind, blind).statuses.every((st) => st === 'known')).toBe(true);
 
    // An exception that lapsed, or a gap that closed: the violation is open now and was not then, so it is new.
    const wasSuppressed = { ...second, violations: second.violations.map((v) => ({ ...v, suppressed: { reason: 'SEC-1', expires: '2026-01-01' } })) };
    const lapsed = compare(wasSuppressed, second);
    expect(new Set(lapsed.statuses)).toEqual(new Set(['new']));
    expect(newViolationsExitCode(second.violations, lapsed.statuses, 'critical')).toBe(EXIT.violations);
    // And a previous suppressed violation that is gone now was accepted, not resolved.
    expect(compare(wasSuppressed, run(ci())).resolved).toEqual([]);
  });
});
