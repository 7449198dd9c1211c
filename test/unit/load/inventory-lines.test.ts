import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/engine/evaluate.js';
import { readInventory } from '../../../src/load/inventory.js';
import { inventoryEncoding, inventoryLines, readInventoryLines } from '../../../src/load/inventory-lines.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import { validatePaths, ValidationFailed } from '../../../src/load/validate.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { inventoryJsonChunks, inventoryOutput, writeInventoryFile } from '../../../src/write-inventory.js';
import { NOW, accessKey, baseline, instance, inventory, tagged, user } from '../../helpers/resources.js';
import { problemsOf } from '../../helpers/problems.js';
import { tempDir } from '../../helpers/temp.js';

const sample: Inventory = {
  ...inventory(
    [
      user('alice'),
      accessKey('AKIAEXAMPLEEXAMPLE01', 'alice'),
      instance('i-0123456789abcdef0', 'us-east-1', { roles: ['app'] }, { team: 'web', Name: 'line\nbreak "quoted" \u2028 é' }),
      tagged('arn:aws:s3:::bucket', 'us-east-1'),
    ],
    [{ type: 'ec2.instance', region: 'eu-west-1', operation: 'ec2:DescribeInstances', code: 'AccessDenied', message: 'no' }],
  ),
  regions: ['global', 'us-east-1', 'eu-west-1'],
  skippedRegions: [{ region: 'ap-south-1', reason: 'not-selected' }],
  notes: ['a note'],
  apiCalls: { 'sts:GetCallerIdentity': 1 },
};

const lines = (inv: Inventory) => [...inventoryLines(inv)].join('');

describe('inventory files', () => {
  it('collect -o writes JSON, JSON Lines or gzipped JSON Lines by the name, and each reads back equal', async () => {
    const dir = tempDir();
    expect(inventoryOutput('a.json')).toBe('json');
    expect(inventoryOutput('a.JSONL')).toBe('jsonl');
    expect(inventoryOutput('a.jsonl.gz')).toBe('jsonl.gz');
    for (const name of ['inv.json', 'inv.jsonl', 'inv.jsonl.gz']) {
      const file = join(dir, name);
      await writeInventoryFile(file, sample);
      expect(await readInventory(file)).toEqual(sample);
    }
    // JSON exactly as before (JSON.stringify with an indent of 2), though written in pieces.
    expect(readFileSync(join(dir, 'inv.json'), 'utf8')).toBe(JSON.stringify(sample, null, 2) + '\n');
    expect([...inventoryJsonChunks({ ...sample, resources: [] })].join('')).toBe(JSON.stringify({ ...sample, resources: [] }, null, 2) + '\n');
    expect([...inventoryJsonChunks({ ...sample, spend: undefined })].join('')).toBe(JSON.stringify(sample, null, 2) + '\n');
    // One line of fields, then one line per resource; gzip is told by its magic bytes.
    const text = readFileSync(join(dir, 'inv.jsonl'), 'utf8').split('\n');
    expect(text).toHaveLength(sample.resources.length + 2);
    expect(JSON.parse(text[0]!)).not.toHaveProperty('resources');
    expect(inventoryEncoding(join(dir, 'inv.jsonl.gz'))).toBe('jsonl.gz');
    expect(inventoryEncoding(join(dir, 'inv.json'))).toBe('json');
  });

  it('tells the encoding by content, not by name', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lines.json'), lines(sample));
    writeFileSync(join(dir, 'zipped.data'), gzipSync(lines(sample)));
    writeFileSync(join(dir, 'compact.json'), JSON.stringify(sample));
    expect(inventoryEncoding(join(dir, 'lines.json'))).toBe('jsonl');
    expect(inventoryEncoding(join(dir, 'compact.json'))).toBe('json');
    // A journal is JSON Lines too, with a format in its header: not an inventory.
    writeFileSync(join(dir, 'journal.jsonl'), '{"type":"header","format":1,"kind":"apply","planDigest":"x","accountId":"123456789012"}\n');
    expect(inventoryEncoding(join(dir, 'journal.jsonl'))).toBe('json');
    for (const f of ['lines.json', 'zipped.data', 'compact.json']) expect(await readInventory(join(dir, f))).toEqual(sample);
  });

  it('audits a JSON Lines inventory as the JSON one', async () => {
    const dir = tempDir();
    await writeInventoryFile(join(dir, 'inv.jsonl.gz'), sample);
    const rules = loadRules([builtinRulesDir()]);
    const b = baseline({ regions: { allowed: ['us-east-1'] } });
    const read = await readInventory(join(dir, 'inv.jsonl.gz'));
    expect(evaluate({ inventory: read, baseline: b, rules, now: NOW })).toEqual(evaluate({ inventory: sample, baseline: b, rules, now: NOW }));
  });

  it('says which line, column and path of a bad inventory is wrong, with every problem at once', async () => {
    const dir = tempDir();
    const [head, ...rest] = lines(sample).trimEnd().split('\n');
    const bad = [
      head,
      rest[0],
      '{"type": "ec2.instance", "id": "i-1", "region": "us-east-1", "accountId": "123456789012", "tags": {"a": 1}, "props": {}}',
      '{"type": "nope", "id": "x", "region": "us-east-1", "accountId": "123456789012", "tags": {}, "props": {}, "extra": true}',
      '{"type": "iam.user", "id": ',
      '',
      rest[1],
    ].join('\n');
    writeFileSync(join(dir, 'bad.jsonl'), bad);
    const problems = await problemsOf(readInventoryLines(join(dir, 'bad.jsonl')));
    const file = join(dir, 'bad.jsonl');
    expect(problems.every((p) => p.file === file)).toBe(true);
    expect(problems.slice(0, 3).map((p) => [p.line, p.path])).toEqual([
      [3, '/resources/1/tags/a'],
      [4, '/resources/2/type'],
      [4, '/resources/2/extra'],
    ]);
    expect(problems[0]!.column).toBe(bad.split('\n')[2]!.indexOf('"a": 1') + 6); // at the value, 1-based
    // The cut line: its syntax errors, with their columns; the blank line is skipped, the last line is fine.
    expect(problems.slice(3).length).toBeGreaterThan(0);
    expect(problems.slice(3).every((p) => p.line === 5 && p.column !== undefined && p.path === undefined)).toBe(true);
  });

  it('refuses a first line that is not the fields of an inventory, and an empty file', async () => {
    const dir = tempDir();
    const { accountId: _drop, ...noAccount } = JSON.parse(lines(sample).split('\n')[0]!) as Record<string, unknown>;
    writeFileSync(join(dir, 'head.jsonl'), `${JSON.stringify(noAccount)}\n${JSON.stringify(sample.resources[0])}\n`);
    expect((await problemsOf(readInventoryLines(join(dir, 'head.jsonl')))).map((p) => [p.line, p.message])).toEqual([[1, expect.stringContaining('accountId')]]);
    writeFileSync(join(dir, 'empty.jsonl.gz'), gzipSync(''));
    expect((await problemsOf(readInventoryLines(join(dir, 'empty.jsonl.gz')))).map((p) => p.message)).toEqual([expect.stringContaining('empty')]);
    writeFileSync(join(dir, 'cut.jsonl.gz'), gzipSync(lines(sample)).subarray(0, 40));
    expect((await problemsOf(readInventoryLines(join(dir, 'cut.jsonl.gz')))).map((p) => p.message)).toEqual([expect.stringMatching(/^cannot read: /)]);
  });

  it('validate checks JSON Lines as audit reads them, refusing repeated keys too; what it passes, audit reads', async () => {
    const dir = tempDir();
    await writeInventoryFile(join(dir, 'good.jsonl.gz'), sample);
    const [head, first, ...rest] = lines(sample).trimEnd().split('\n');
    writeFileSync(join(dir, 'dup.jsonl'), [head, first!.replace('"type":"iam.user"', '"type":"iam.user","type":"iam.role"'), ...rest].join('\n') + '\n');
    expect(await validatePaths([join(dir, 'good.jsonl.gz')])).toEqual([{ file: join(dir, 'good.jsonl.gz'), kind: 'inventory', ok: true }]);
    await expect(readInventory(join(dir, 'good.jsonl.gz'))).resolves.toEqual(sample);
    let failed: unknown;
    try {
      await validatePaths([join(dir, 'good.jsonl.gz'), join(dir, 'dup.jsonl')]);
    } catch (e) {
      failed = e;
    }
    expect(failed).toBeInstanceOf(ValidationFailed);
    const v = failed as ValidationFailed;
    expect(v.passed.map((p) => p.file)).toEqual([join(dir, 'good.jsonl.gz')]);
    expect(v.detected.map((d) => d.kind)).toEqual(['inventory', 'inventory']);
    expect(v.problems).toEqual([expect.objectContaining({ file: join(dir, 'dup.jsonl'), line: 2, path: '/resources/0/type', message: expect.stringContaining("duplicate key 'type'") })]);
  });
});
