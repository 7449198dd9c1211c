import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import { addExposedKeys } from '../../../src/scan/baseline-edit.js';
import { Findings } from '../../../src/scan/findings.js';
import { accountKeyIds, lookUpKeys } from '../../../src/scan/lookup.js';
import { buildScanReport, scanMarkdown, SHOWN_LOCATIONS } from '../../../src/scan/report.js';
import { exposedKeyViolations } from '../../../src/scan/violations.js';
import { fakeKeyId, fakeSecret } from '../../helpers/fake-keys.js';
import { ACCOUNT, accessKey, baseline, inventory, NOW, user } from '../../helpers/resources.js';

const RULES = loadRules([builtinRulesDir()]);
const COMMIT = 'c'.repeat(40);

describe('scan-secrets: lookup, violations, report', () => {
  const active = fakeKeyId();
  const inactive = fakeKeyId();
  const stranger = fakeKeyId();
  const session = fakeKeyId('ASIA');
  const secret = fakeSecret();
  const inv = inventory([user('ci'), accessKey(active, 'ci', { lastUsedDate: '2026-11-20T00:00:00Z' }), accessKey(inactive, 'ci', { status: 'Inactive' })]);

  function found() {
    const f = new Findings();
    f.add({ keyId: active, kind: 'long-term', line: 3, column: 1, secret: { redacted: `${secret.slice(0, 4)}…`, line: 4, column: 1 } }, { file: 'a.ini', commit: COMMIT, committedAt: '2026-11-01T00:00:00Z' });
    for (let i = 0; i < SHOWN_LOCATIONS + 2; i++) f.add({ keyId: inactive, kind: 'long-term', line: i + 1, column: 1 }, { file: 'many.txt' });
    f.add({ keyId: stranger, kind: 'long-term', line: 1, column: 1 }, { file: 'b.txt' });
    f.add({ keyId: session, kind: 'temporary', line: 1, column: 1 }, { file: 'c.txt' });
    f.addReported(active, { eventArn: 'arn:aws:health:global::event/SECURITY/AWS_RISK_CREDENTIALS_EXPOSED/E1', startTime: '2026-11-02T00:00:00.000Z' });
    return f.keys();
  }

  it('looks each key up: owner, status, last used; a stranger and a session key are said as such', () => {
    const keys = lookUpKeys(found(), inv);
    const by = new Map(keys.map((k) => [k.keyId, k]));
    expect(by.get(active)).toMatchObject({ status: 'active', user: 'ci', lastUsedDate: '2026-11-20T00:00:00Z' });
    expect(by.get(inactive)).toMatchObject({ status: 'inactive', user: 'ci' });
    expect(by.get(stranger)?.status).toBe('not-in-account');
    expect(by.get(session)?.status).toBe('temporary');
    expect(accountKeyIds(keys).sort()).toEqual([active, inactive].sort());
    // A gap for access keys: a key not found is unknown, not absent.
    const gap = inventory([], [{ type: 'iam.accessKey', region: 'global', operation: 'iam:ListAccessKeys', code: 'AccessDenied', message: 'no' }]);
    expect(lookUpKeys(found(), gap).find((k) => k.keyId === stranger)?.status).toBe('unknown');
  });

  it("gives the exposed-key rules' own violations: the active key critical, the inactive one high, nothing for the baseline's other keys", () => {
    const keys = lookUpKeys(found(), inv);
    const listedBefore = fakeKeyId();
    const violations = exposedKeyViolations({ inventory: inv, baseline: baseline({ incident: { exposedKeys: [listedBefore] } }), rules: RULES, keyIds: accountKeyIds(keys), now: NOW });
    expect(violations.map((v) => [v.ruleId, v.severity, v.subject]).sort()).toEqual(
      [
        ['iam-exposed-key-active', 'critical', `accessKey/${active}`],
        ['iam-exposed-key-present', 'high', `accessKey/${inactive}`],
      ].sort(),
    );
    // Without a baseline, the same: a bare baseline of the inventory's account.
    expect(exposedKeyViolations({ inventory: inv, rules: RULES, keyIds: [active], now: NOW }).map((v) => v.ruleId)).toEqual(['iam-exposed-key-active']);
  });

  it('the report: active keys first, locations without content, the secret only redacted, capped in Markdown', () => {
    const keys = lookUpKeys(found(), inv);
    const report = buildScanReport({
      version: '0.0.0',
      now: NOW,
      path: 'repo',
      accountId: ACCOUNT,
      scanned: { files: 3, skippedBinary: 0, repository: true, commits: 2 },
      keys,
      violations: exposedKeyViolations({ inventory: inv, rules: RULES, keyIds: accountKeyIds(keys), now: NOW }),
      notes: [],
    });
    expect(report.keys[0]!.keyId).toBe(active);
    expect(report.summary).toEqual({ active: 1, unknown: 0, inactive: 1, temporary: 1, 'not-in-account': 1 });
    const md = scanMarkdown(report);
    expect(md).toContain(`commit \`${COMMIT.slice(0, 12)}\``);
    expect(md).toContain(`\`${secret.slice(0, 4)}…\``);
    expect(md).toContain('and 2 more (the JSON report lists them all)');
    expect(md).toContain('iam-exposed-key-active');
    expect(md).toContain('- reported exposed by AWS Health: event `arn:aws:health:global::event/SECURITY/AWS_RISK_CREDENTIALS_EXPOSED/E1` (since 2026-11-02T00:00:00.000Z)');
    expect(md).toContain('| 1 and AWS Health |');
    for (const text of [md, JSON.stringify(report)]) expect(text).not.toContain(secret.slice(0, 5));
    expect(report.violations[0]).not.toHaveProperty('resourceId');
  });
});

describe('addExposedKeys', () => {
  it('adds the keys not listed yet, with a note, and keeps the comments', () => {
    const [a, b] = [fakeKeyId(), fakeKeyId()];
    const doc = parseDocument(`# my baseline\nversion: 1\naccount: { id: "${ACCOUNT}" }\nincident:\n  # the first leak\n  exposedKeys: [${a}]\n  since: 2026-11-01T00:00:00Z\n`);
    expect(addExposedKeys(doc, [{ keyId: a, note: 'again' }, { keyId: b, note: 'found in code\nsecond line' }])).toEqual([b]);
    const text = doc.toString();
    expect(text).toContain('# my baseline');
    expect(text).toContain('# the first leak');
    expect(text).toContain('# found in code second line');
    expect(doc.toJS().incident.exposedKeys).toEqual([a, b]);
  });

  it('makes the incident section when there is none', () => {
    const a = fakeKeyId();
    const doc = parseDocument(`version: 1\naccount: { id: "${ACCOUNT}" }\n`);
    expect(addExposedKeys(doc, [{ keyId: a, note: 'n' }])).toEqual([a]);
    expect(doc.toJS()).toEqual({ version: 1, account: { id: ACCOUNT }, incident: { exposedKeys: [a] } });
  });
});
