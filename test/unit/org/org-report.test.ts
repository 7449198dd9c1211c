import { describe, expect, it } from 'vitest';
import { validator } from '../../../src/load/schemas.js';
import { orgMarkdownChunks } from '../../../src/report/org-markdown.js';
import { buildOrgReport, type OrgAccountEntry, type OrgReportHeader } from '../../../src/report/org-report.js';

const summary = (high: number) => ({ fail: { critical: 0, high, medium: 0, low: 0, info: 0 }, unknown: 0, suppressed: 0, total: high });
const accounts: OrgAccountEntry[] = [
  { id: '100000000001', status: 'audited', baseline: ['b/100000000001.yaml'], reports: { json: 'accounts/100000000001.json', md: 'accounts/100000000001.md' }, resources: 3, collectionGaps: 0, summary: summary(2), exitCode: 1 },
  { id: '100000000002', name: 'prod | <b>', status: 'gap', gap: { reason: 'role', message: 'cannot assume: AccessDenied' }, exitCode: 4 },
  { id: '100000000003', status: 'gap', gap: { reason: 'not-listed', message: 'it left the organization' }, exitCode: 4 },
];
const header = (failOnGap?: boolean): OrgReportHeader => ({
  version: '0.1.0',
  generatedAt: '2026-11-29T12:00:00.000Z',
  source: 'organization',
  roleName: 'rollcall-audit',
  baselines: 'baselines',
  failOn: 'low',
  ...(failOnGap ? { failOnGap } : {}),
});

describe('the org report\'s exit code and its summary', () => {
  it('violations (1) rank above gaps (4) by default; --fail-on-gap makes any account not audited exit 4 whatever was found', () => {
    expect(buildOrgReport(header(), accounts, []).exitCode).toBe(1);
    const strict = buildOrgReport(header(true), accounts, []);
    expect(strict.exitCode).toBe(4);
    expect(strict.failOnGap).toBe(true);
    expect(validator('org-report')(strict)).toBe(true);
    // Without a gap, --fail-on-gap changes nothing.
    expect(buildOrgReport(header(true), accounts.slice(0, 1), []).exitCode).toBe(1);
  });

  it('the Markdown leads with the accounts not audited, before the totals, and says so next to an exit code of 1', () => {
    const md = [...orgMarkdownChunks(buildOrgReport(header(), accounts, []))].join('');
    const notAudited = md.indexOf('## Not audited: 2 account(s)');
    expect(notAudited).toBeGreaterThan(0);
    expect(notAudited).toBeLessThan(md.indexOf('- Accounts:'));
    expect(md).toContain('`100000000003` (not-listed): it left the organization');
    expect(md).toMatch(/Exit code 1 .*2 account\(s\) were not audited as well/);
    expect(md).not.toContain('<b>');
    const clean = [...orgMarkdownChunks(buildOrgReport(header(), accounts.slice(0, 1), []))].join('');
    expect(clean).not.toContain('Not audited');
  });
});
