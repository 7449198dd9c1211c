import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { concluded, evaluate } from '../../../src/engine/evaluate.js';
import { Evaluation } from '../../../src/engine/evaluation.js';
import { InputError } from '../../../src/errors.js';
import { inventoryLines, readInventoryLines } from '../../../src/load/inventory-lines.js';
import { evaluateInWorkers, type InventoryHeader } from '../../../src/load/inventory-workers.js';
import { builtinRulesDir, loadRules } from '../../../src/load/rules.js';
import type { Baseline } from '../../../src/model/baseline.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { foundCounts } from '../../../src/report/audit-report.js';
import { declared, scenarios } from '../../helpers/engine-scenarios.js';
import { NOW, accessKey, inventory, instance, user } from '../../helpers/resources.js';
import { problemsOf } from '../../helpers/problems.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * A saved inventory read and judged by worker threads (load/inventory-workers.ts)
 * against the engine fed the whole inventory: the same violations, warnings
 * and counts, and the same problems for bad input. Chunks are made tiny so
 * that even these small files are spread over every worker, cut between
 * lines anywhere.
 */
const rules = loadRules([builtinRulesDir()]);
const REGIONS = ['global', 'us-east-1', 'eu-west-1', 'ap-south-1', 'sa-east-1'];

const setupOf = (baseline: Baseline) => (header: InventoryHeader) => ({ accountId: header.accountId, gaps: header.gaps, baseline, rules, now: NOW });

async function inWorkers(file: string, baseline: Baseline, chunkBytes: number, earlyBytes = 0, jobs = 2) {
  // earlyBytes: lines handed out before the setup is known (audit hands them out while it reads the baseline).
  const read = await evaluateInWorkers(file, jobs, setupOf(baseline), { chunkBytes, earlyBytes });
  if (!read) throw new Error('declined');
  const result = concluded(read.evaluation.finish(), baseline, NOW);
  return { ...result, resources: read.evaluation.resourceCount, found: read.evaluation.foundCounts(), header: read.header, held: read.evaluation.heldResources() };
}

describe('an inventory read and judged by worker threads', () => {
  // The timeline scenarios are audited whole (a timeline is joined to every resource): the rest, each as a file.
  for (const s of scenarios.filter((x) => !x.timeline)) {
    it(`equals the engine fed whole: ${s.name}`, async () => {
      const inv: Inventory = { ...inventory(s.resources, s.gaps ?? []), regions: REGIONS };
      const file = join(tempDir(), 'inventory.jsonl');
      writeFileSync(file, [...inventoryLines(inv)].join(''));
      const whole = evaluate({ inventory: inv, baseline: s.baseline, rules, now: NOW });
      for (const [chunkBytes, earlyBytes] of s.name === 'mixed' ? [[1, 0], [700, 3000], [1, 1 << 20], [1 << 20, 0]] : [[500, 2000]]) {
        const got = await inWorkers(file, s.baseline, chunkBytes!, earlyBytes);
        expect(got.violations).toEqual(whole.violations);
        expect(got.warnings).toEqual(whole.warnings);
        expect(got.resources).toBe(inv.resources.length);
        expect(foundCounts(inv, { resources: got.resources, found: got.found })).toEqual(foundCounts(inv));
        // Only the types judged whole come back to the main thread, in the file's order.
        expect(got.held).toEqual(inv.resources.filter((r) => r.type === 'iam.accessKey'));
      }
    });
  }

  it('reads gzipped JSON Lines, a byte-order mark and blank lines as the single-threaded reader does', async () => {
    const s = scenarios[0]!;
    const inv: Inventory = { ...inventory(s.resources), regions: REGIONS };
    const dir = tempDir();
    const [header, ...rest] = [...inventoryLines(inv)];
    const text = `\uFEFF\n  \n${header}\r\n${rest.slice(0, 5).join('')}\n\n${rest.slice(5).join('')}`;
    writeFileSync(join(dir, 'a.jsonl'), text);
    writeFileSync(join(dir, 'a.jsonl.gz'), gzipSync(text));
    const whole = evaluate({ inventory: await readInventoryLines(join(dir, 'a.jsonl')), baseline: declared, rules, now: NOW });
    for (const f of ['a.jsonl', 'a.jsonl.gz']) {
      const got = await inWorkers(join(dir, f), declared, 333);
      expect(got.violations).toEqual(whole.violations);
      expect(got.resources).toBe(inv.resources.length);
    }
  });

  it('refuses bad lines with the problems the single-threaded reader gives: every one, at its line and /resources/N path', async () => {
    const inv: Inventory = { ...inventory([user('a'), user('b'), instance('i-0123456789abcdef0', 'us-east-1'), user('c'), user('d'), user('e')]), regions: REGIONS };
    const lines = [...inventoryLines(inv)];
    lines[2] = '{"type": "iam.user", "id": \n'; // a syntax error: line 3, resource 1
    lines[4] = '\n'; // a blank line: not a resource
    lines[5] = lines[5]!.replace('"region":"global"', '"region":"Nowhere"'); // a schema error: line 6, resource 3
    lines[6] = lines[6]!.replace('"props":{', '"extra":1,"props":{'); // line 7, resource 4
    const file = join(tempDir(), 'bad.jsonl');
    writeFileSync(file, lines.join(''));
    const single = await problemsOf(readInventoryLines(file));
    expect(single.map((p) => [p.line, p.path])).toEqual([
      [3, undefined],
      [3, undefined],
      [6, '/resources/3/region'],
      [7, '/resources/4/extra'],
    ]);
    for (const [chunkBytes, earlyBytes] of [[1, 0], [100, 250], [1 << 20, 0]]) expect(await problemsOf(evaluateInWorkers(file, 2, setupOf(declared), { chunkBytes, earlyBytes }))).toEqual(single);
  });

  it('declines a bad header or an empty file (the single-threaded reader then lists every problem of the file)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'header.jsonl'), '{"format": 1, "accountId": 5}\n{"type": "iam.user"}\n');
    writeFileSync(join(dir, 'empty.jsonl'), '\n\n');
    expect(await evaluateInWorkers(join(dir, 'header.jsonl'), 2, setupOf(declared), { chunkBytes: 10 })).toBeUndefined();
    expect(await evaluateInWorkers(join(dir, 'empty.jsonl'), 2, setupOf(declared), { chunkBytes: 10 })).toBeUndefined();
  });

  it('counts the problems past the first hundred as the single-threaded reader does', async () => {
    const inv: Inventory = { ...inventory([]), regions: REGIONS };
    const file = join(tempDir(), 'many.jsonl');
    writeFileSync(file, [...inventoryLines(inv)].join('') + '{"type":"iam.user","id":"x"}\n'.repeat(400));
    const single = await problemsOf(readInventoryLines(file));
    expect(single.at(-1)!.message).toMatch(/more problems/);
    for (const chunkBytes of [1, 1 << 20]) expect(await problemsOf(evaluateInWorkers(file, 2, setupOf(declared), { chunkBytes }))).toEqual(single);
  });

  it('hands back held resources of any depth of nesting (as text, not as cloned objects)', async () => {
    const deep = `${'['.repeat(8000)}${']'.repeat(8000)}`;
    const base = inventory([user('ci'), accessKey('AKIADECLARED00000001', 'ci')]);
    const [header, ...rest] = [...inventoryLines({ ...base, regions: REGIONS })];
    const keyLine = (i: number) => JSON.stringify(accessKey(`AKIADEEP${String(i).padStart(12, '0')}`, 'ci')).replace('"props":{', `"props":{"deep":${deep},`) + '\n';
    const file = join(tempDir(), 'deep.jsonl');
    writeFileSync(file, header + rest.join('') + Array.from({ length: 30 }, (_, i) => keyLine(i)).join(''));
    const whole = evaluate({ inventory: await readInventoryLines(file), baseline: declared, rules, now: NOW });
    for (const early of [0, 1 << 20]) {
      const got = await inWorkers(file, declared, 1000, early);
      expect(got.violations).toEqual(whole.violations);
      expect(got.held).toHaveLength(31);
    }
  });

  it('hands out early lines only as far as the chunks in flight allow: chunks shorter than their buffers never stall the read', async () => {
    // Lines of ~700 bytes in 1000-byte buffers: each chunk carries one line, so the chunks allowed in flight before the setup hold less than the early bytes asked.
    const users = Array.from({ length: 60 }, (_, i) => user(`u${i}`, { note: 'x'.repeat(600) }));
    const inv: Inventory = { ...inventory(users), regions: REGIONS };
    const file = join(tempDir(), 'long-lines.jsonl');
    writeFileSync(file, [...inventoryLines(inv)].join(''));
    const whole = evaluate({ inventory: inv, baseline: declared, rules, now: NOW });
    const got = await inWorkers(file, declared, 1000, 16_000);
    expect(got.violations).toEqual(whole.violations);
    expect(got.resources).toBe(60);
  });

  it('lists regions no header names in a set order, whichever worker met them first', async () => {
    const resources = [...Array.from({ length: 50 }, (_, i) => instance(`i-${String(i).padStart(17, '0')}`, 'eu-west-1')), instance('i-0ffffffffffffffff', 'ap-south-1')];
    const inv: Inventory = { ...inventory(resources), regions: ['global', 'us-east-1'] };
    const file = join(tempDir(), 'regions.jsonl');
    writeFileSync(file, [...inventoryLines(inv)].join(''));
    const expected = ['global', 'us-east-1', 'ap-south-1', 'eu-west-1'];
    expect([...new Set(foundCounts(inv).map((f) => f.region))]).toEqual(expected.filter((r) => r !== 'global' && r !== 'us-east-1'));
    const got = await inWorkers(file, declared, 200);
    expect(foundCounts(inv, { resources: got.resources, found: got.found })).toEqual(foundCounts(inv));
  });

  it("lets the caller refuse the header or decline to read it this way", async () => {
    const inv: Inventory = { ...inventory([user('a')]), regions: REGIONS };
    const file = join(tempDir(), 'inv.jsonl');
    writeFileSync(file, [...inventoryLines(inv)].join(''));
    await expect(
      evaluateInWorkers(file, 2, () => {
        throw new InputError([{ file, message: 'another account' }]);
      }),
    ).rejects.toThrow(/another account/);
    expect(await evaluateInWorkers(file, 2, () => undefined)).toBeUndefined();
  });

  it('an Evaluation fed in parts and absorbed equals one fed whole (the tally is all a part hands over)', () => {
    const s = scenarios.find((x) => x.name.startsWith('mixed with gaps'))!;
    const setup = { accountId: '123456789012', gaps: s.gaps ?? [], baseline: s.baseline, rules, now: NOW };
    const whole = new Evaluation(setup);
    for (const r of s.resources) whole.add(r);
    const main = new Evaluation(setup);
    const parts = [new Evaluation(setup), new Evaluation(setup)];
    s.resources.forEach((r, i) => (r.type === 'iam.accessKey' ? main : parts[i % 2]!).add(r));
    for (const p of parts) main.absorb(p.tally());
    expect(concluded(main.finish(), s.baseline, NOW)).toEqual(concluded(whole.finish(), s.baseline, NOW));
  });
});
