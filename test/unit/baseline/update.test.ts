import { readFileSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { carryEdits } from '../../../src/baseline/merge.js';
import { updateBaseline } from '../../../src/baseline/update.js';
import { accessKey, attachment, group, inlinePolicy, loginProfile, membership, policy, role, root, user } from '../../helpers/resources.js';
import { checked, inventoryOf, regional, unexpected } from './fixtures.js';

const EXAMPLE = readFileSync('baselines/example.yaml', 'utf8');
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const POWER = 'arn:aws:iam::aws:policy/PowerUserAccess';
const S3 = 'arn:aws:iam::123456789012:policy/deployers-s3';

/** The account baselines/example.yaml describes, as found (no intruder). */
function exampleAccount() {
  return [
    root(),
    policy('deployers-s3'),
    group('deployers'),
    attachment('group', 'deployers', S3),
    group('admins'),
    attachment('group', 'admins', ADMIN),
    user('ci-deployer'),
    accessKey('AKIARZPUZDIKCM4VNCI2', 'ci-deployer'),
    attachment('user', 'ci-deployer', POWER),
    membership('ci-deployer', 'deployers'),
    user('alice', { mfaActive: true, passwordEnabled: true }),
    loginProfile('alice'),
    membership('alice', 'admins'),
    user('legacy-bot'),
    accessKey('AKIARZPUZDIKL3NQTXUE', 'legacy-bot'),
    inlinePolicy('user', 'legacy-bot', 'legacy-s3-read'),
    role('OrganizationAccountAccessRole', ['arn:aws:iam::111111111111:root']),
    attachment('role', 'OrganizationAccountAccessRole', ADMIN),
    role('app-ec2', ['ec2.amazonaws.com']),
    attachment('role', 'app-ec2', S3),
    role('orders-lambda', ['lambda.amazonaws.com']),
    regional('ec2.instance', 'i-0000000000000000a', 'us-east-1', { Name: 'web', team: 'web' }),
    regional('ec2.instance', 'i-0000000000000000b', 'us-east-1', { Name: 'web', team: 'web' }),
    regional('lambda.function', 'orders-api', 'eu-west-1'),
  ];
}

function update(text: string, resources: ReturnType<typeof exampleAccount>) {
  const doc = parseDocument(text);
  const before = doc.clone();
  const result = updateBaseline(doc, inventoryOf(resources));
  const carried = carryEdits(text, before, doc);
  return { ...result, ...carried, diff: createTwoFilesPatch('b.yaml', 'b.yaml', text, carried.text, undefined, undefined, { context: 0 }) };
}

/** The changed lines of a unified diff, without its headers. */
const changed = (diff: string) => diff.split('\n').filter((l) => /^[+-](?![+-]{2} )/.test(l));

describe('baseline update', () => {
  it('from an incomplete inventory, removes and narrows nothing: what it would have removed is said instead', () => {
    // IAM could not be read in full (a gap), and eu-west-1 was not scanned: legacy-bot, its key, alice's group, the orders function look gone.
    const seen = exampleAccount().filter((r) => !(r.type === 'lambda.function' || r.id === 'legacy-bot' || (r.props as { user?: string }).user === 'legacy-bot' || r.id === 'alice/admins'));
    const doc = parseDocument(EXAMPLE);
    const before = doc.clone();
    const inv = {
      ...inventoryOf(seen),
      gaps: [{ type: 'iam.user' as const, region: 'global', operation: 'iam:GetAccountAuthorizationDetails', code: 'AccessDenied', message: 'no' }],
      skippedRegions: [{ region: 'eu-west-1', reason: 'not-selected' as const }],
    };
    const result = updateBaseline(doc, inv);
    expect(carryEdits(EXAMPLE, before, doc).text).toBe(EXAMPLE);
    expect(result.changes).toEqual([]);
    const said = result.attention.find((a) => a.startsWith('not removed'))!;
    expect(said).toContain('(1 gap, 1 region not scanned)');
    expect(said).toContain('remove user legacy-bot (gone from the account)');
    // The same account, complete, would have lost them.
    const complete = update(EXAMPLE, seen);
    expect(complete.changes).toEqual(expect.arrayContaining(['remove user legacy-bot (gone from the account)']));
  });

  it('nothing to change when the baseline already accepts the account', () => {
    const r = update(EXAMPLE, exampleAccount());
    expect(r.changes).toEqual([]);
    expect(r.text).toBe(EXAMPLE);
  });

  it('a rotated key: the old id goes, the new one comes, every other line of the file is kept byte for byte', () => {
    const resources = exampleAccount().filter((r) => r.id !== 'AKIARZPUZDIKCM4VNCI2');
    resources.push(accessKey('AKIARZPUZDIKNEWKEY01', 'ci-deployer'));
    const r = update(EXAMPLE, resources);
    expect(r.kept).toBe(true);
    expect(r.changes).toEqual(['user ci-deployer: remove access key AKIARZPUZDIKCM4VNCI2 (gone)', 'user ci-deployer: add access key AKIARZPUZDIKNEWKEY01']);
    expect(changed(r.diff)).toEqual(['-        - { id: AKIARZPUZDIKCM4VNCI2, maxAgeDays: 90 }', '+        - { id: AKIARZPUZDIKNEWKEY01 }']);
    const baseline = checked(r.text);
    expect(unexpected(inventoryOf(resources), baseline)).toEqual([]);
    // Idempotent: a second update finds nothing to change.
    expect(update(r.text, resources).changes).toEqual([]);
  });

  it('a new user, a removed user, a new group membership and policy, a new role and instance', () => {
    const resources = exampleAccount().filter((r) => r.id !== 'legacy-bot' && r.props.user !== 'legacy-bot' && r.props.principalName !== 'legacy-bot');
    resources.push(
      user('dana', { mfaActive: true, passwordEnabled: true }),
      loginProfile('dana'),
      accessKey('AKIARZPUZDIKDANA0001', 'dana'),
      membership('dana', 'deployers'),
      membership('ci-deployer', 'admins'),
      attachment('role', 'app-ec2', ADMIN),
      role('backdoor', ['*']),
      role('reporting', ['arn:aws:iam::222222222222:root']),
      regional('ec2.instance', 'i-0000000000000000c', 'eu-west-1'),
      regional('ec2.instance', 'i-0000000000000000d', 'ap-south-1'),
    );
    const r = update(EXAMPLE, resources);
    expect(r.kept).toBe(true);
    const baseline = checked(r.text);
    expect(unexpected(inventoryOf(resources), baseline)).toEqual([]);
    expect(r.changes).toEqual(
      expect.arrayContaining([
        'remove user legacy-bot (gone from the account)',
        'add user dana',
        'user ci-deployer: add groups admins',
        'role app-ec2: add policies arn:aws:iam::aws:policy/AdministratorAccess',
        'add role reporting',
        'allow region ap-south-1 (in use)',
      ]),
    );
    // A role trusting anyone is added as found, its danger said: iam-role-trusts-anyone reports it all the same.
    expect(r.changes).toContain('add role backdoor');
    expect(r.attention).toEqual(expect.arrayContaining([expect.stringMatching(/^DANGEROUS: role backdoor: role "backdoor" trusts "\*"/)]));
    const lines = changed(r.diff);
    // The removed user goes with its comment; the added ones come last in their lists, flow lists stay flow.
    expect(lines).toContain('-    # An old integration; its key leaked (see incident below).');
    expect(lines).toContain('-    - name: legacy-bot');
    expect(lines).toContain('-      groups: [deployers]');
    expect(lines).toContain('+      groups: [deployers, admins]');
    expect(r.text).not.toContain('legacy-bot\n');
    expect(lines).toContain('-  allowed: [us-east-1, eu-west-1]');
    expect(lines).toContain('+  allowed: [us-east-1, eu-west-1, ap-south-1]');
    expect(lines.filter((l) => l.startsWith('+')).join('\n')).toMatch(/DANGEROUS — role "reporting" trusts account 222222222222/);
    // Untouched lines keep their own spacing (the library would print `{id: ...}`).
    expect(r.text).toContain('  exposedKeys: [AKIARZPUZDIKL3NQTXUE]   # legacy-bot\'s key, found in a public repository');
  });

  it('a group grown past max is raised, said; a name pattern matching nothing stays', () => {
    const resources = exampleAccount().filter((r) => r.id !== 'orders-api');
    resources.push(regional('ec2.instance', 'i-0000000000000000e', 'us-east-1', { Name: 'web', team: 'web' }), regional('ec2.instance', 'i-0000000000000000f', 'us-east-1', { Name: 'web', team: 'web' }), regional('ec2.instance', 'i-00000000000000010', 'us-east-1', { Name: 'web', team: 'web' }));
    const r = update(EXAMPLE, resources);
    expect(r.changes).toEqual(['ec2.instance: raise max of instance/us-east-1/{team=web} from 4 to 5 (as found: check that the extra ones are yours)']);
    expect(changed(r.diff)).toEqual([
      '-    - { region: us-east-1, tags: { team: web }, max: 4, description: "web fleet, autoscaled 2-4" }',
      '+    - { region: us-east-1, tags: { team: web }, max: 5, description: "web fleet, autoscaled 2-4" }',
    ]);
    // A name pattern is no concrete declaration: it stays even when nothing matches it.
    expect(r.text).toContain('name: "orders-*"');
    checked(r.text);
  });

  it('a hostile name added by update stays data', () => {
    const resources = [...exampleAccount(), regional('ec2.instance', 'i-0000000000000bad1', 'us-east-1', { Name: "x: y\n# z {{a}}", 'aws:autoscaling:groupName': "g #1: {{b}}\n- c" })];
    const r = update(EXAMPLE, resources);
    const baseline = checked(r.text);
    expect(baseline.resources?.['ec2.instance']?.at(-1)).toEqual({ region: 'us-east-1', tags: { 'aws:autoscaling:groupName': "g #1: {{b}}\n- c" }, max: 1 });
    expect(unexpected(inventoryOf(resources), baseline)).toEqual([]);
  });
});

describe('baseline update of selectors', () => {
  it('a selector by id whose resource is gone is removed; the replacement gets its own', () => {
    const text = 'version: 1\naccount: { id: "123456789012" }\nresources:\n  ec2.instance:\n    # the bastion\n    - { id: i-0000000000000000a, region: us-east-1 }\n    - { id: i-0000000000000000b, region: us-east-1 }\n';
    const resources = [regional('ec2.instance', 'i-0000000000000000b', 'us-east-1'), regional('ec2.instance', 'i-0000000000000000c', 'us-east-1')];
    const r = update(text, resources as never);
    expect(r.changes).toEqual(['ec2.instance: remove selector instance/us-east-1/i-0000000000000000a (matches nothing)', 'ec2.instance: add selector { id=i-0000000000000000c, region=us-east-1 }']);
    expect(r.text).toBe('version: 1\naccount: { id: "123456789012" }\nresources:\n  ec2.instance:\n    - { id: i-0000000000000000b, region: us-east-1 }\n    - { id: i-0000000000000000c, region: us-east-1 }\n');
  });
});
