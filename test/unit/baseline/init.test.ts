import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { baselineText, initBaseline } from '../../../src/baseline/init.js';
import { accessKey, attachment, group, inlinePolicy, loginProfile, membership, policy, role, root, user } from '../../helpers/resources.js';
import { checked, inventoryOf, regional, unexpected, violationsOf } from './fixtures.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
/** Comments wrap; a continuation line starts `#   `: joined back, for matching sentences. */
const flat = (text: string) => text.replace(/\n\s*# {3}/g, ' ');

const account = () =>
  inventoryOf([
    root(),
    user('ci-deployer'),
    accessKey('AKIAAAAAAAAAAAAAAAA1', 'ci-deployer'),
    accessKey('AKIAAAAAAAAAAAAAAAA2', 'ci-deployer', { status: 'Inactive' }),
    user('alice', { mfaActive: true, passwordEnabled: true }),
    loginProfile('alice'),
    membership('alice', 'admins'),
    group('admins'),
    attachment('group', 'admins', ADMIN),
    policy('deployers-s3'),
    attachment('user', 'ci-deployer', 'arn:aws:iam::123456789012:policy/deployers-s3'),
    inlinePolicy('user', 'ci-deployer', 'read-logs'),
    role('app-ec2', ['ec2.amazonaws.com']),
    regional('ec2.instance', 'i-0000000000000000a', 'us-east-1', { Name: 'web', team: 'web' }),
    regional('ec2.instance', 'i-0000000000000000b', 'us-east-1', { Name: 'web', team: 'web' }),
    regional('ec2.instance', 'i-0000000000000000c', 'us-east-1', { 'aws:autoscaling:groupName': 'workers' }),
    regional('ec2.instance', 'i-0000000000000000d', 'us-east-1', { 'aws:autoscaling:groupName': 'workers' }),
    regional('ec2.instance', 'i-0000000000000000e', 'eu-west-1'),
    regional('lambda.function', 'orders-api', 'eu-west-1'),
    regional('ec2.instance', 'i-0000000000000000f', 'ap-south-1', {}, { state: 'terminated' }),
  ]);

describe('baseline init', () => {
  it('declares everything as found: audit gives no unexpected violation, and none at all on a safe account', () => {
    const inv = account();
    const { document, attention } = initBaseline(inv);
    const text = baselineText(document);
    const baseline = checked(text);
    expect(unexpected(inv, baseline)).toEqual([]);
    expect(violationsOf(inv, baseline)).toEqual([]);
    expect(baseline.regions).toEqual({ allowed: ['eu-west-1', 'us-east-1'] });
    expect(baseline.root).toEqual({ mfa: 'required', accessKeys: 'forbidden' });
    expect(baseline.iam?.users).toEqual([
      { name: 'alice', console: true, groups: ['admins'] },
      { name: 'ci-deployer', console: false, accessKeys: [{ id: 'AKIAAAAAAAAAAAAAAAA1' }, { id: 'AKIAAAAAAAAAAAAAAAA2' }], policies: ['deployers-s3'], inlinePolicies: ['read-logs'] },
    ]);
    expect(baseline.iam?.roles).toEqual([{ name: 'app-ec2', trustedPrincipals: ['ec2.amazonaws.com'] }]);
    // Administrator access is declared (admins are normal) but never silently.
    expect(text).toMatch(/# rollcall: DANGEROUS — AdministratorAccess is attached[^\n]*\n(\s*#[^\n]*\n)*\s+- name: admins/);
    expect(attention.some((a) => a.includes('group admins'))).toBe(true);
    // The terminated instance is gone: not declared, its region not allowed.
    expect(text).not.toContain('i-0000000000000000f');
  });

  it('groups by AWS fleet tags and by a shared exact name, with max and a comment; the rest by id, said', () => {
    const { document } = initBaseline(account());
    const text = baselineText(document);
    const baseline = checked(text);
    expect(baseline.resources?.['ec2.instance']).toEqual([
      { region: 'us-east-1', tags: { 'aws:autoscaling:groupName': 'workers' }, max: 2 },
      { region: 'us-east-1', name: 'web', max: 2 },
      { id: 'i-0000000000000000e', region: 'eu-west-1' },
    ]);
    expect(baseline.resources?.['lambda.function']).toEqual([{ id: 'orders-api', region: 'eu-west-1' }]);
    expect(text).toMatch(/# 2 instances of auto scaling group "workers" in us-east-1: grouped by its\s+#\s+aws:autoscaling:groupName tag/);
    expect(text).toContain('# 2 instances named "web" in us-east-1: grouped by that exact name');
    expect(text).toMatch(/# 1 instance declared by id: no AWS fleet tag[\s\S]*an untagged resource cannot be grouped/);
  });

  it('an intruder copying the fleet look is still reported: beyond max, and any new untagged instance', () => {
    const inv = account();
    const baseline = checked(baselineText(initBaseline(inv).document));
    inv.resources.push(regional('ec2.instance', 'i-0000000000000bad1', 'us-east-1', { Name: 'web', team: 'web' }), regional('ec2.instance', 'i-0000000000000bad2', 'us-east-1'));
    expect(violationsOf(inv, baseline)).toEqual(['ec2-instance-count-over-max instance/us-east-1/web', 'ec2-instance-undeclared instance/us-east-1/i-0000000000000bad2']);
  });

  it('never declares danger silently: root keys and MFA, console without MFA, *:* grants, outside accounts; a role trusting * is left out', () => {
    const inv = inventoryOf([
      root({ mfaEnabled: false, accessKeysPresent: true }),
      user('bob', { mfaActive: false, passwordEnabled: true }),
      loginProfile('bob'),
      inlinePolicy('user', 'bob', 'everything', true),
      policy('ops-break-glass', { allowsAll: true }),
      role('OrganizationAccountAccessRole', ['arn:aws:iam::111111111111:root']),
      role('support-audit', ['*']),
      attachment('role', 'support-audit', ADMIN),
      role('own', ['arn:aws:iam::123456789012:root']),
    ]);
    const { document, attention } = initBaseline(inv);
    const text = baselineText(document);
    const baseline = checked(text);
    expect(text).toContain('# rollcall: DANGEROUS — the root user has access keys. Declared forbidden all the same');
    expect(text).toContain('# rollcall: DANGEROUS — the root user has no MFA.');
    expect(baseline.root).toEqual({ mfa: 'required', accessKeys: 'forbidden' });
    expect(text).toMatch(/DANGEROUS — inline policy "everything" allows every action[\s\S]*DANGEROUS — user "bob" can sign in to the console without MFA[\s\S]*- name: bob/);
    expect(text).toMatch(/DANGEROUS — customer policy "ops-break-glass" allows every action[^\n]*\n(\s*#[^\n]*\n)*\s+- name: ops-break-glass/);
    expect(flat(text)).toMatch(/DANGEROUS — role "OrganizationAccountAccessRole" trusts account 111111111111, outside this one[\s\S]*- name: OrganizationAccountAccessRole/);
    expect(text).not.toMatch(/DANGEROUS — role "own"/);
    // support-audit trusts anyone: declared as found, with its danger said above it and on stderr; a rule of its own keeps reporting it.
    expect(baseline.iam?.roles?.map((r) => r.name)).toEqual(['OrganizationAccountAccessRole', 'own', 'support-audit']);
    expect(flat(text)).toMatch(/# rollcall: DANGEROUS — role "support-audit" trusts "\*"[\s\S]*iam-role-trusts-anyone \(critical\) reports it all the same[\s\S]*- name: support-audit/);
    expect(attention).toEqual(expect.arrayContaining([expect.stringMatching(/^DANGEROUS: role support-audit: role "support-audit" trusts "\*"/)]));
    expect(unexpected(inv, baseline)).toEqual([]);
    // What is declared as found is still reported by the rules that judge it on its own.
    const all = violationsOf(inv, baseline);
    expect(all).toContain('root-access-keys-present root/root');
    expect(all).toContain('root-mfa-disabled root/root');
    expect(all).toContain('iam-user-console-without-mfa user/bob');
    expect(all).toContain('iam-role-trusts-anyone role/support-audit');
  });

  it('hostile names stay data: valid YAML that reads back as the names, comments that stay comments', () => {
    const hostile = ['asg #1: {{x}}', 'a: b\n- c: d', '{{#each}}', "x'\"y", 'tab\there', 'esc\u001b[31m', 'line\u2028sep', '*', '- item', '&anchor *alias', '%TAG !'];
    const inv = inventoryOf([
      root(),
      user('ok-user'),
      ...hostile.map((name, i) => regional('ec2.instance', `i-00000000000000${String(i).padStart(3, '0')}`, 'us-east-1', { Name: name, 'aws:autoscaling:groupName': name, [`k: #${i}`]: name })),
      ...hostile.map((name, i) => regional('ec2.instance', `i-10000000000000${String(i).padStart(3, '0')}`, 'eu-west-1', { Name: name })),
      ...hostile.map((name, i) => regional('ec2.instance', `i-20000000000000${String(i).padStart(3, '0')}`, 'eu-west-1', { Name: name })),
      user('evil\nname: x'),
      role('r#1: {{x}}', ['arn:aws:iam::123456789012:root']),
    ]);
    const { document, attention } = initBaseline(inv);
    const text = baselineText(document);
    const doc = parseDocument(text);
    expect(doc.errors).toEqual([]);
    const baseline = checked(text);
    // Every line is a comment, blank, or YAML structure; no name opens a line of its own.
    for (const line of text.split('\n')) expect(line).not.toMatch(/^\s*(name: x|- c: d)/);
    expect(text).not.toContain('\u001b');
    // U+2028 is no line break in YAML 1.2: a value may keep it; a comment never does.
    for (const line of text.split('\n')) if (/^\s*#/.test(line)) expect(line).not.toContain('\u2028');
    const selectors = baseline.resources?.['ec2.instance'] ?? [];
    // Fleet-tag values read back exactly; one with a * is not a sound pattern, so those instances are declared by id.
    const fleetValues = selectors.flatMap((s) => (s.tags ? [s.tags['aws:autoscaling:groupName']] : []));
    expect(fleetValues.sort()).toEqual(hostile.filter((n) => !n.includes('*')).sort());
    expect(selectors.filter((s) => s.name !== undefined).map((s) => s.name).sort()).toEqual(hostile.filter((n) => !n.includes('*')).sort());
    // Names the schema refuses are not declared, and that is said.
    expect(baseline.iam?.users?.map((u) => u.name)).toEqual(['ok-user']);
    expect(baseline.iam?.roles).toEqual([]);
    expect(text).toContain('user "evil\\nname: x": not a valid IAM user name');
    expect(attention.some((a) => a.startsWith('not declared: role "r#1: {{x}}"'))).toBe(true);
    expect(unexpected(inv, baseline)).toEqual(['iam-role-undeclared role/r#1: {{x}}', 'iam-user-undeclared user/evil\nname: x']);
  });

  it('is deterministic: the same account in another order gives the same file', () => {
    const inv = account();
    const shuffled = { ...inv, resources: [...inv.resources].reverse() };
    expect(baselineText(initBaseline(shuffled).document)).toBe(baselineText(initBaseline(inv).document));
  });

  it('names the schema for editors when told where it is, and says how to find it when not', () => {
    const told = baselineText(initBaseline(account(), { schemaUrl: 'file:///opt/rollcall/schemas/baseline.schema.json' }).document);
    expect(told.split('\n')[0]).toBe('# yaml-language-server: $schema=file:///opt/rollcall/schemas/baseline.schema.json');
    expect(flat(baselineText(initBaseline(account()).document))).toContain('`rollcall schema baseline --path` prints the schema\'s URL');
  });

  it('says what it could not read or scan', () => {
    const inv = { ...account(), gaps: [{ type: 'lambda.function' as const, region: 'eu-west-1', operation: 'lambda:ListFunctions', code: 'AccessDenied', message: 'no' }], skippedRegions: [{ region: 'ap-south-1', reason: 'not-selected' as const }] };
    const text = baselineText(initBaseline(inv).document);
    expect(text).toContain('# rollcall: INCOMPLETE — regions not scanned (--regions): ap-south-1.');
    expect(text).toContain('# rollcall: INCOMPLETE — could not be read: lambda.function in eu-west-1 (AccessDenied).');
    checked(text);
  });
});
