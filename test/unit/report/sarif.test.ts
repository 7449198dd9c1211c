import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLocatedBaseline } from '../../../src/load/baseline.js';
import type { Inventory } from '../../../src/model/inventory.js';
import type { Resource } from '../../../src/model/resource.js';
import type { Rule } from '../../../src/model/rule.js';
import { lineAt } from '../../../src/model/source-lines.js';
import type { Violation } from '../../../src/model/violation.js';
import { buildReport } from '../../../src/report/audit-report.js';
import { sectionOf } from '../../../src/report/baseline-entry.js';
import { reportFormat, type ReportInput } from '../../../src/report/formats.js';
import { artifactUri, FINGERPRINT_KEY, SARIF_SCHEMA, sarifChunks, URI_BASE } from '../../../src/report/sarif.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import { fn, instance, inventory, NOW, user } from '../../helpers/resources.js';
import { SARIF_SCHEMA_FILE, SARIF_SCHEMA_SHA256, sarifSchemaErrors } from '../../helpers/sarif-schema.js';
import { tempDir } from '../../helpers/temp.js';
import { compromise, EXPOSED, RULES } from '../plan/fixtures.js';
import { parser, tokenTypes } from './markdown-ast.js';
import { CONTROL, HOSTILE } from './hostile.js';

/** The incident baseline of the plan fixtures, as a file a person wrote: comments, flow and block style. */
const BASELINE = `# yaml-language-server: $schema=../schemas/baseline.schema.json
version: 1
account:
  id: "123456789012"
regions:
  allowed: [us-east-1, eu-west-1]

# The root user.
root:
  mfa: required
  accessKeys: forbidden

iam:
  users:
    - name: legacy-bot
      accessKeys:
        - { id: ${EXPOSED} }
    - name: ci
      accessKeys:
        - { id: AKIACI00000000000001 }
      policies: [arn:aws:iam::aws:policy/AdministratorAccess]
      groups: [deployers]
  roles:
    - name: org
      trustedPrincipals: ["111111111111"]
    - name: lambda-exec
  groups:
    - name: deployers
  policies:
    - name: deploy

resources:
  lambda.function:
    - { region: eu-west-1, name: "orders-*" }

incident:
  exposedKeys: [${EXPOSED}]
  since: "2026-11-02T12:00:00.000Z"
`;

/** The 1-based line of the first line of BASELINE that holds `text`. */
function lineOf(text: string): number {
  const i = BASELINE.split('\n').findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`not in the baseline: ${text}`);
  return i + 1;
}

interface Audit {
  input: ReportInput;
  violations: Violation[];
  inv: Inventory;
}

function audit(resources: Resource[], rules: Rule[] = RULES, text = BASELINE): Audit {
  const dir = tempDir('rollcall-sarif-');
  const file = path.join(dir, 'baseline.yaml');
  writeFileSync(file, text);
  const { baseline, lines } = loadLocatedBaseline(file);
  const inv = inventory(resources);
  const { violations, warnings } = evaluate({ inventory: inv, baseline, rules, now: NOW });
  const report = buildReport({ version: '9.9.9', now: NOW, inventory: inv, baselineFile: file, ruleCount: rules.length, violations, warnings });
  return { input: { report, rules, violations, baseline, baselineLines: lines, inventory: inv, cwd: dir }, violations, inv };
}

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  kind: string;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } }; logicalLocations: { fullyQualifiedName: string }[] }[];
  partialFingerprints: Record<string, string>;
  suppressions?: unknown[];
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: { tags: string[]; 'security-severity'?: string };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: { tool: { driver: { name: string; rules: SarifRule[] } }; results: SarifResult[]; invocations: { toolExecutionNotifications?: { message: { text: string } }[] }[] }[];
}

const sarif = (input: ReportInput): SarifLog => JSON.parse([...sarifChunks(input)].join('')) as SarifLog;
const resultFor = (log: SarifLog, ruleId: string, subject: string) => {
  const r = log.runs[0]!.results.find((x) => x.ruleId === ruleId && x.locations[0]!.logicalLocations[0]!.fullyQualifiedName === subject);
  if (!r) throw new Error(`no result ${ruleId} on ${subject}`);
  return r;
};
const lineOfResult = (log: SarifLog, ruleId: string, subject: string) => resultFor(log, ruleId, subject).locations[0]!.physicalLocation.region.startLine;

describe('the SARIF report', () => {
  it('the schema it is checked against is the OASIS SARIF 2.1.0 schema (errata 01), unchanged', () => {
    const text = readFileSync(SARIF_SCHEMA_FILE);
    expect(createHash('sha256').update(text).digest('hex')).toBe(SARIF_SCHEMA_SHA256);
    const schema = JSON.parse(text.toString('utf8')) as { id: string; $schema: string };
    expect(schema.id).toBe(SARIF_SCHEMA);
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
  });

  it('the schema check rejects what the schema forbids (so a pass means something)', () => {
    const { input } = audit(compromise());
    const log = sarif(input);
    expect(sarifSchemaErrors(log)).toEqual([]);
    const broken = structuredClone(log) as unknown as { version: string; runs: { results: { message?: unknown; level: string }[] }[] };
    broken.version = '2.0.0';
    delete broken.runs[0]!.results[0]!.message;
    broken.runs[0]!.results[1]!.level = 'critical';
    const errors = sarifSchemaErrors(broken);
    expect(errors.some((e) => e.startsWith('/version'))).toBe(true);
    expect(errors.some((e) => e.startsWith('/runs/0/results/0'))).toBe(true);
    expect(errors.some((e) => e.startsWith('/runs/0/results/1/level'))).toBe(true);
  });

  it('is valid against the official schema: a rule per loaded rule, a result per violation with its rule, fingerprint and level', () => {
    const { input, violations } = audit(compromise());
    const log = sarif(input);
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe(SARIF_SCHEMA);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('rollcall');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(run.results).toHaveLength(violations.length);
    expect(violations.length).toBeGreaterThan(5);
    for (const [i, v] of violations.entries()) {
      const r = run.results[i]!;
      expect(r.ruleId).toBe(v.ruleId);
      expect(run.tool.driver.rules[r.ruleIndex!]!.id).toBe(v.ruleId);
      expect(r.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: v.fingerprint });
      expect(r.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'baseline.yaml', uriBaseId: URI_BASE });
      expect(r.kind).toBe('fail');
    }
    const critical = RULES.find((r) => r.severity === 'critical')!;
    const entry = run.tool.driver.rules.find((r) => r.id === critical.id)!;
    expect(entry.defaultConfiguration.level).toBe('error');
    expect(entry.properties.tags).toContain('security');
    expect(Number(entry.properties['security-severity'])).toBeGreaterThanOrEqual(9);
    expect(entry.shortDescription.text).toBe(critical.title);
    expect(entry.help.text).toContain(critical.rationale.trim());
    for (const ref of critical.references ?? []) expect(entry.help.text).toContain(ref);
  });

  it('a rule of many resource types keeps the tags GitHub reads: security and its pack first, ten at most', () => {
    const wide: Rule = { ...RULES.find((r) => r.id === 'resource-region-not-allowed')!, id: 'wide', pack: 'custom', resource: ['iam.user', 'iam.role', 'iam.group', 'iam.policy', 'iam.accessKey', 'iam.loginProfile', 'iam.inlinePolicy', 'iam.policyAttachment', 'iam.groupMembership', 'ec2.instance', 'lambda.function'] };
    const { input } = audit([], [wide]);
    const tags = sarif(input).runs[0]!.tool.driver.rules[0]!.properties.tags;
    expect(tags).toHaveLength(10);
    expect(tags.slice(0, 3)).toEqual(['security', 'custom', 'iam.user']);
  });

  it('an audit with nothing to report is a valid log with no results', () => {
    const { input } = audit([]);
    const log = sarif({ ...input, violations: [], report: { ...input.report, violations: [] } });
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.results).toEqual([]);
    const none = sarif({ ...input, rules: [], violations: [], report: { ...input.report, violations: [], warnings: [], notes: [], gaps: [] } });
    expect(sarifSchemaErrors(none)).toEqual([]);
  });

  it('locates each result at the baseline entry it concerns, or the section its declaration belongs in', () => {
    const { input } = audit(compromise());
    const log = sarif(input);
    // A declared user's key nobody declared: the user's list of keys.
    expect(lineOfResult(log, 'iam-access-key-undeclared', 'accessKey/AKIACISECOND00000001')).toBe(lineOf('AKIACI00000000000001') - 1);
    // A declared key: its own line.
    expect(lineOfResult(log, 'iam-exposed-key-active', `accessKey/${EXPOSED}`)).toBe(lineOf(`{ id: ${EXPOSED} }`));
    // A user nobody declared, and that user's key: where users are declared.
    expect(lineOfResult(log, 'iam-user-undeclared', 'user/backup-admin')).toBe(lineOf('  users:'));
    expect(lineOfResult(log, 'iam-access-key-undeclared', 'accessKey/AKIABACKUP0000000001')).toBe(lineOf('  users:'));
    // The root posture: the root section.
    expect(lineOfResult(log, 'root-mfa-disabled', 'root/root')).toBe(lineOf('root:'));
    // A declared role: its entry; an undeclared one: the roles section.
    expect(lineOfResult(log, 'iam-role-untrusted-principal', 'role/org')).toBe(lineOf('- name: org'));
    expect(lineOfResult(log, 'iam-role-undeclared', 'role/support-audit')).toBe(lineOf('  roles:'));
    // A declared user's inline policy nobody declared: the user's entry (it has no inlinePolicies list).
    expect(lineOfResult(log, 'iam-inline-policy-undeclared', 'inlinePolicy/user/legacy-bot/maintenance')).toBe(lineOf('- name: legacy-bot'));
    // An instance: no ec2.instance selectors, so the resources section.
    expect(lineOfResult(log, 'ec2-instance-undeclared', 'instance/us-east-1/i-0miner')).toBe(lineOf('resources:'));
    // A function a selector claims by its name's glob: the selector's line; one it does not claim: the type's section.
    const orders = sarif(audit([fn('orders-api', 'eu-west-1', { roleArn: 'arn:aws:iam::123456789012:role/intruder' }), fn('orders-x', 'us-west-2')]).input);
    expect(lineOfResult(orders, 'lambda-function-undeclared-role', 'function/eu-west-1/orders-api')).toBe(lineOf('orders-*'));
    expect(lineOfResult(orders, 'lambda-function-undeclared', 'function/us-west-2/orders-x')).toBe(lineOf('lambda.function:'));
  });

  it('a section the baseline lacks falls back to its nearest ancestor, and to line 1', () => {
    const { input } = audit([user('mallory')], RULES, 'version: 1\naccount:\n  id: "123456789012"\n');
    const log = sarif(input);
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(lineOfResult(log, 'iam-user-undeclared', 'user/mallory')).toBe(1);
    expect(lineAt(input.baselineLines, '/account/id/nothing')).toBe(3);
    expect(sectionOf('iam.accessKey')).toBe('/iam/users');
    expect(sectionOf('ec2.instance')).toBe('/resources/ec2.instance');
    expect(sectionOf('tagged.resource')).toBe('');
  });

  it('hostile names, tags and rule texts stay inert: no embedded link, no control character, no Markdown in the help', () => {
    const hostileRule: Rule = {
      ...RULES.find((r) => r.id === 'iam-user-undeclared')!,
      id: 'custom-hostile',
      title: HOSTILE.join(' '),
      rationale: HOSTILE.join('\n'),
      references: ['javascript:alert(1)', 'https://example.invalid/a)b [x](https://evil.invalid)', 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id.html'],
      pack: 'custom',
    };
    const resources = HOSTILE.flatMap((h, i) => [user(h), instance(`i-${i}`, 'us-east-1', {}, { Name: h })]);
    const { input } = audit(resources, [...RULES, hostileRule]);
    const log = sarif(input);
    expect(sarifSchemaErrors(log)).toEqual([]);
    const run = log.runs[0]!;
    const texts = [...run.results.map((r) => r.message.text), ...run.invocations.flatMap((i) => i.toolExecutionNotifications ?? []).map((n) => n.message.text)];
    expect(texts.length).toBeGreaterThan(HOSTILE.length);
    for (const t of texts) {
      expect(t).not.toMatch(CONTROL);
      // Every bracket escaped: no `[text](target)` embedded link can form.
      expect(t.replace(/\\./g, '')).not.toMatch(/[[\]]/);
    }
    // Each hostile name is still there to read, once its escapes are taken off.
    const shown = run.results.filter((r) => r.ruleId === 'iam-user-undeclared').map((r) => r.message.text.replace(/\\([\\[\]])/g, '$1'));
    expect(shown.some((t) => t.includes('**No violations.** (details)') || t.includes('**No violations.** [details](https://example.invalid)'))).toBe(true);
    const rule = run.tool.driver.rules.find((r) => r.id === 'custom-hostile')!;
    expect(rule.properties.tags).toEqual(['security', 'custom', 'iam.user']);
    for (const t of [rule.shortDescription.text, rule.fullDescription.text, rule.help.text]) expect(t.replace(/\n/g, '')).not.toMatch(CONTROL);
    const kinds = tokenTypes(rule.help.markdown);
    for (const dangerous of ['html_inline', 'html_block', 'image', 'heading_open', 'code_block', 'fence', 'table_open', 'blockquote_open', 'em_open', 's_open']) {
      expect(kinds.has(dangerous), dangerous).toBe(false);
    }
    // Bold only where rollcall puts it: its two labels.
    expect(rule.help.markdown.match(/(?<!\\)\*\*/g)).toHaveLength(4);
    // Only the plain https reference is a link.
    const links = parser
      .parse(rule.help.markdown, {})
      .flatMap((t) => t.children ?? [])
      .filter((c) => c.type === 'link_open')
      .map((c) => c.attrGet('href'));
    expect(links).toEqual(['https://docs.aws.amazon.com/IAM/latest/UserGuide/id.html']);
  });

  it('is written in pieces, one per violation, joined into exactly what one JSON document says', () => {
    const { input, violations } = audit(compromise());
    const chunks = [...sarifChunks(input)];
    expect(chunks.length).toBe(violations.length + 2);
    const whole = chunks.join('');
    expect(whole).toBe(`${JSON.stringify(JSON.parse(whole), null, 2)}\n`);
  });

  it('the registry writes it for --format sarif', async () => {
    const { input } = audit(compromise());
    const write = await reportFormat('sarif').load();
    expect([...write(input)].join('')).toBe([...sarifChunks(input)].join(''));
  });

  it('unknown results (a gap) are open, with no level; suppressed ones carry their exception', () => {
    const gaps = [{ type: 'iam.user' as const, region: 'global', operation: 'iam:ListUsers', code: 'AccessDenied', message: 'denied [x](https://evil.invalid)' }];
    const { input } = audit(compromise());
    const inv = { ...input.inventory, gaps };
    const { violations, warnings } = evaluate({
      inventory: inv,
      baseline: { ...input.baseline, exceptions: [{ rule: 'root-mfa-disabled', subject: 'root/root', reason: 'SEC-1 [x](https://evil.invalid)', expires: '2027-01-31' }] },
      rules: RULES,
      now: NOW,
    });
    const report = buildReport({ version: '9.9.9', now: NOW, inventory: inv, baselineFile: 'baseline.yaml', ruleCount: RULES.length, violations, warnings });
    const log = sarif({ ...input, report, violations, inventory: inv });
    expect(sarifSchemaErrors(log)).toEqual([]);
    const unknown = log.runs[0]!.results.filter((r) => r.kind === 'open');
    expect(unknown.length).toBeGreaterThan(0);
    for (const r of unknown) expect(r.level).toBe('none');
    expect(resultFor(log, 'root-mfa-disabled', 'root/root').suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'SEC-1 \\[x\\](https://evil.invalid) (baseline exception, until 2027-01-31)' },
    ]);
  });

  it('with --previous, a known violation is unchanged and any other new (SARIF baselineState); without it, none is said', () => {
    const { input } = audit(compromise());
    expect(sarif(input).runs[0]!.results.every((r) => !('baselineState' in r))).toBe(true);
    const drift = input.report.violations.map((_, i) => (i % 2 === 0 ? ('known' as const) : ('new' as const)));
    const log = sarif({ ...input, report: { ...input.report, violations: input.report.violations.map((v, i) => ({ ...v, drift: drift[i]! })) } });
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.results.map((r) => (r as { baselineState?: string }).baselineState)).toEqual(drift.map((d) => (d === 'known' ? 'unchanged' : 'new')));
  });

  it('reads the lines of a JSON baseline as of a YAML one', () => {
    const dir = tempDir('rollcall-sarif-json-');
    const file = path.join(dir, 'baseline.json');
    writeFileSync(file, '{\n  "version": 1,\n  "account": { "id": "123456789012" },\n  "iam": {\n    "users": [\n      { "name": "a" },\n      {\n        "name": "b"\n      }\n    ]\n  }\n}\n');
    const { lines } = loadLocatedBaseline(file);
    expect(lineAt(lines, '/iam/users')).toBe(5);
    expect(lineAt(lines, '/iam/users/0')).toBe(6);
    expect(lineAt(lines, '/iam/users/1')).toBe(7);
    expect(lineAt(lines, '/iam/users/1/name')).toBe(8);
    expect(lineAt(lines, '/iam/roles/0')).toBe(4);
  });

  it('artifact URIs are relative, with forward slashes and each segment encoded', () => {
    expect(artifactUri('/repo/baselines/prod account.yaml', '/repo')).toBe('baselines/prod%20account.yaml');
    expect(artifactUri('baselines/./prod.yaml', '/anywhere')).toBe('baselines/prod.yaml');
    expect(artifactUri('/elsewhere/b.yaml', '/repo')).toBe('../elsewhere/b.yaml');
    expect(artifactUri('b#1?.yaml', '/repo')).toBe('b%231%3F.yaml');
  });
});



