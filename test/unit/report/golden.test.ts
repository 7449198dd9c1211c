/**
 * Golden reports: the seeded compromise (the plan fixtures' world, which
 * mirrors the demo account's) audited against its incident baseline, written
 * in every report format and compared byte for byte with the files in
 * test/fixtures/golden/. A change to what a report says shows up as a diff of
 * those files in review. After an intended change:
 *   ROLLCALL_WRITE_GOLDEN=1 npx vitest run --project unit test/unit/report/golden.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/evaluate.js';
import { loadLocatedBaseline } from '../../../src/load/baseline.js';
import { buildReport } from '../../../src/report/audit-report.js';
import { REPORT_FORMATS, type ReportInput } from '../../../src/report/formats.js';
import { inventory, NOW } from '../../helpers/resources.js';
import { tempDir } from '../../helpers/temp.js';
import { compromise, EXPOSED, RULES } from '../plan/fixtures.js';

const GOLDEN = new URL('../../fixtures/golden/', import.meta.url);

const BASELINE = `version: 1
account: { id: "123456789012", alias: payments-prod }
regions: { allowed: [us-east-1, eu-west-1] }
root: { mfa: required, accessKeys: forbidden }
iam:
  users:
    - name: legacy-bot
      accessKeys: [{ id: ${EXPOSED} }]
    - name: ci
      accessKeys: [{ id: AKIACI00000000000001 }]
      policies: [arn:aws:iam::aws:policy/AdministratorAccess]
      groups: [deployers]
  roles:
    - { name: org, trustedPrincipals: ["111111111111"] }
    - name: lambda-exec
  groups:
    - name: deployers
  policies:
    - name: deploy
resources:
  lambda.function:
    - { region: eu-west-1, name: "orders-*" }
exceptions:
  - { rule: iam-user-console-without-mfa, subject: user/backup-admin, reason: "SEC-42: key on order", expires: 2027-01-31 }
incident:
  exposedKeys: [${EXPOSED}]
  since: "2026-11-02T12:00:00.000Z"
`;

function input(): ReportInput {
  const dir = tempDir('rollcall-golden-');
  writeFileSync(path.join(dir, 'baseline.yaml'), BASELINE);
  const { baseline, lines } = loadLocatedBaseline(path.join(dir, 'baseline.yaml'));
  const inv = { ...inventory(compromise()), regions: ['global', 'us-east-1', 'eu-west-1'] };
  const { violations, warnings } = evaluate({ inventory: inv, baseline, rules: RULES, now: NOW });
  const report = buildReport({ version: '9.9.9', now: NOW, inventory: inv, baselineFile: 'baseline.yaml', alias: 'payments-prod', ruleCount: RULES.length, violations, warnings });
  return { report, rules: RULES, violations, baseline, baselineLines: lines, inventory: inv, cwd: dir };
}

describe('golden reports of the seeded compromise', () => {
  const made = input();
  for (const [format, spec] of Object.entries(REPORT_FORMATS)) {
    it(`${format}: as test/fixtures/golden/compromise.${format}`, async () => {
      const text = [...(await spec.load())(made)].join('');
      const file = new URL(`compromise.${format}`, GOLDEN);
      if (process.env.ROLLCALL_WRITE_GOLDEN === '1') writeFileSync(file, text);
      else if (!existsSync(file)) throw new Error(`test/fixtures/golden/compromise.${format} is missing: write it with ROLLCALL_WRITE_GOLDEN=1`);
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
  }
});
