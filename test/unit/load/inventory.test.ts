import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { loadInventory } from '../../../src/load/inventory.js';
import { thrown, writeTree } from './files.js';

const fixture = fileURLToPath(new URL('../../fixtures/load/inventory.json', import.meta.url));

describe('loadInventory', () => {
  it('loads a saved JSON inventory as written', () => {
    const inv = loadInventory(fixture);
    expect(inv).toEqual(JSON.parse(readFileSync(fixture, 'utf8')));
    expect(inv.resources.map((r) => `${r.type}:${r.id}`)).toEqual(['iam.user:alice', 'iam.accessKey:AKIAEXAMPLEEXAMPLE01']);
    expect(inv.gaps[0]?.code).toBe('AccessDenied');
  });

  it('loads a YAML inventory too', () => {
    const yaml = `format: 1
accountId: "123456789012"
caller: { account: "123456789012", arn: "arn:aws:iam::123456789012:root", userId: "123456789012" }
collectedAt: 2026-11-05T10:00:00Z
regions: [global]
resources: []
gaps: []
notes: []
apiCalls: {}
`;
    const file = `${writeTree({ 'inv.yaml': yaml })}/inv.yaml`;
    expect(loadInventory(file).collectedAt).toBe('2026-11-05T10:00:00Z');
  });

  it('keeps the policy props rules read, denyOnly included (props is a free object)', () => {
    const inv = JSON.parse(readFileSync(fixture, 'utf8')) as { resources: unknown[] };
    const quarantine = {
      type: 'iam.inlinePolicy',
      id: 'role/app/rollcall-quarantine',
      region: 'global',
      accountId: '123456789012',
      tags: {},
      props: { principalType: 'role', principalName: 'app', policyName: 'rollcall-quarantine', document: { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }, allowsAll: false, denyOnly: true },
    };
    inv.resources.push(quarantine);
    const file = `${writeTree({ 'inv.json': JSON.stringify(inv) })}/inv.json`;
    expect(loadInventory(file).resources.at(-1)).toEqual(quarantine);
  });

  it('schema problems in a JSON inventory are located by line and column', () => {
    const text = readFileSync(fixture, 'utf8')
      .replace('"type": "iam.accessKey"', '"type": "iam.key"')
      .replace('"tags": {},', '"tags": { "n": 3 }, "extra": true,')
      .replace('"sts:GetCallerIdentity": 1', '"sts:GetCallerIdentity": "one"');
    const file = `${writeTree({ 'inv.json': text })}/inv.json`;
    const e = thrown(() => loadInventory(file)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.problems).toEqual([
      {
        file,
        line: 18,
        column: 15,
        path: '/resources/1/type',
        message:
          "must be one of: account.root, iam.user, iam.accessKey, iam.loginProfile, iam.role, iam.group, iam.policy, iam.policyAttachment, iam.inlinePolicy, iam.groupMembership, ec2.instance, ec2.spotRequest, ec2.spotFleetRequest, lambda.function, tagged.resource, cloudtrail.trail, account.cloudtrail, config.resource, config.resourceType (got 'iam.key')",
      },
      { file, line: 22, column: 22, path: '/resources/1/tags/n', message: 'must be a string (got the number 3; quote the value to keep it as written)' },
      {
        file,
        line: 22,
        column: 27,
        path: '/resources/1/extra',
        message: "unknown key 'extra' (allowed: type, id, arn, region, accountId, tags, props)",
      },
      { file, line: 36, column: 42, path: '/apiCalls/sts:GetCallerIdentity', message: `must be an integer (got a string "one")` },
    ]);
  });

  it('a JSON syntax error gives its line and column, on one line', () => {
    const file = `${writeTree({ 'inv.json': '{\n  "format": 1,\n  "accountId": "123456789012"\n  "caller": {}\n}\n' })}/inv.json`;
    const e = thrown(() => loadInventory(file)) as InputError;
    expect(e.problems).toEqual([{ file, line: 4, column: 3, message: "JSON syntax error: expected ',' (or the end of the object or array)" }]);
    expect(e.message).toBe(`${file}:4:3: JSON syntax error: expected ',' (or the end of the object or array)`);
  });

  it('a file failing the same way thousands of times reports the first 100 problems and a count', () => {
    const inv = JSON.parse(readFileSync(fixture, 'utf8')) as { resources: unknown[] };
    inv.resources = Array.from({ length: 150 }, (_, i) => ({ type: 'iam.user', id: `u${i}`, region: 'global', accountId: '123456789012', tags: {}, props: {}, x: 1 }));
    const file = `${writeTree({ 'inv.json': JSON.stringify(inv) })}/inv.json`;
    const e = thrown(() => loadInventory(file)) as InputError;
    expect(e.problems).toHaveLength(101);
    expect(e.problems[0]).toMatchObject({ path: '/resources/0/x', line: 1 });
    expect(e.problems[99]).toMatchObject({ path: '/resources/99/x' });
    expect(e.problems[100]).toEqual({ file, message: '... and 50 more problems' });
  });
});
