/**
 * CloudTrail evidence in the reports: under each violation in Markdown
 * (escaped: a hostile user agent, ARN or key id adds no structure), in the
 * JSON report (valid against its schema) and in SARIF result properties
 * (control characters made visible). Without a timeline, nothing changes.
 */
import { describe, expect, it } from 'vitest';
import { validator } from '../../../src/load/schemas.js';
import type { Evidence, HistoryEvent } from '../../../src/model/history.js';
import type { Violation } from '../../../src/model/violation.js';
import { buildReport } from '../../../src/report/audit-report.js';
import { renderJson } from '../../../src/report/json.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { sarifChunks } from '../../../src/report/sarif.js';
import { inventory, NOW, user } from '../../helpers/resources.js';
import { BENIGN, CONTROL, HOSTILE } from './hostile.js';
import { shape } from './markdown-ast.js';

const violation = (evidence?: Evidence): Violation => ({
  ruleId: 'iam-user-undeclared',
  title: 'IAM user not declared in the baseline',
  severity: 'critical',
  status: 'fail',
  subject: 'user/backdoor',
  resourceType: 'iam.user',
  resourceId: 'backdoor',
  region: 'global',
  message: 'IAM user backdoor exists but is not declared in the baseline.',
  fingerprint: 'f'.repeat(32),
  remediation: ['quarantineUser'],
  ...(evidence ? { evidence } : {}),
});

function evidence(values: readonly string[]): Evidence {
  const at = (i: number) => values[i % values.length]!;
  const event = (i: number, attacker: boolean): HistoryEvent => ({
    time: `2026-11-02T10:0${i}:00.000Z`,
    name: at(i),
    source: 'iam.amazonaws.com',
    region: at(i + 1),
    actor: { type: at(i + 2), arn: at(i + 3), accessKeyId: at(i + 4) },
    sourceIp: at(i + 5),
    userAgent: at(i + 6),
    attacker,
    ...(attacker ? { hop: 1, foothold: at(i + 7) } : {}),
  });
  return {
    created: event(0, true),
    attackerChanges: [event(1, true), event(2, true), event(3, true)],
    sessions: [
      { accessKeyId: at(9), how: 'AssumeRole', time: '2026-11-02T12:00:00.000Z', expiration: '2026-11-02T13:00:00.000Z', root: false, principal: at(10), sourceIp: at(11), hop: 2 },
      // ended by rollcall's revocation in place on the role
      { accessKeyId: at(12), how: 'AssumeRole', time: '2026-11-02T11:00:00.000Z', expiration: '2026-11-02T11:30:00.000Z', revokedAt: '2026-11-02T11:30:00.000Z', root: false, hop: 2 },
    ],
    more: 3,
  };
}

const report = (v: Violation) => buildReport({ version: '9.9.9', now: NOW, inventory: inventory([user('backdoor')]), baselineFile: 'b.yaml', ruleCount: 1, violations: [v], warnings: [] });

describe('evidence in the reports', () => {
  it('Markdown: who created it, the changes and sessions, under the violation; hostile values add no structure', () => {
    const benign = renderMarkdown(report(violation(evidence(BENIGN))));
    expect(benign).toContain('\n  - created by `plain');
    expect(benign).toMatch(/\n {2}- changed by .*\*\*the attacker\*\* \(hop 1, through `plain\d+`\)/);
    expect(benign).toContain("\n  - the attacker's sessions: `plain");
    expect(benign).toContain('\n  - and 3 more (see the JSON report or the timeline)');
    expect(benign).toContain('AssumeRole at 2026-11-02T11:00:00.000Z, revoked at 2026-11-02T11:30:00.000Z)');
    const hostile = renderMarkdown(report(violation(evidence(HOSTILE))));
    expect(shape(hostile)).toEqual(shape(benign));
    expect(hostile.replace(/\n/g, '')).not.toMatch(CONTROL);
  });

  it('JSON: the evidence as data, valid against the report schema', () => {
    const json = JSON.parse(renderJson(report(violation(evidence(HOSTILE))))) as { violations: { evidence: Evidence }[] };
    expect(json.violations[0]!.evidence).toEqual(evidence(HOSTILE));
    const validate = validator('report');
    expect(validate(json) ? [] : validate.errors).toEqual([]);
  });

  it('SARIF: the evidence in the result properties, control characters visible', () => {
    const v = violation(evidence(HOSTILE));
    const sarif = JSON.parse([...sarifChunks({ report: report(v), rules: [], violations: [v], baseline: { version: 1, account: { id: '123456789012' } }, baselineLines: { file: 'b.yaml', lines: new Map() } as never, inventory: inventory([]), cwd: '/' })].join('')) as {
      runs: { results: { properties: { evidence: Evidence } }[] }[];
    };
    const shown = sarif.runs[0]!.results[0]!.properties.evidence;
    expect(shown.attackerChanges).toHaveLength(3);
    expect(JSON.stringify(shown).replace(/\\[nrt]/g, '')).not.toMatch(CONTROL);
    for (const s of [shown.created!.userAgent!, shown.created!.actor.arn!]) expect(s).not.toMatch(CONTROL);
  });

  it('without a timeline, a violation and its report are as they were', () => {
    const v = violation();
    expect(renderMarkdown(report(v))).not.toContain('created by');
    expect(JSON.parse(renderJson(report(v))).violations[0]).not.toHaveProperty('evidence');
  });
});
