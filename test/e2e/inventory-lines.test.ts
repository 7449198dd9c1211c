import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { seedDemo } from '../helpers/demo.js';
import { tempDir } from '../helpers/temp.js';

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
const NOW = '2026-11-22T12:00:00Z';

describe('inventories as JSON Lines, through the CLI', () => {
  beforeEach(async () => {
    await resetEmulator();
  });

  it('collect -o .jsonl / .jsonl.gz; validate and audit --inventory read them, with the findings of the JSON one', async () => {
    await seedDemo('compromise');
    const dir = tempDir('rollcall-e2e-');
    const files = ['inventory.json', 'inventory.jsonl', 'inventory.jsonl.gz'].map((f) => path.join(dir, f));
    for (const file of files) {
      const c = await runCli(['collect', '--out', file]);
      expect(c.code).toBe(0);
    }
    const lines = readFileSync(files[1]!, 'utf8').trimEnd().split('\n');
    const json = JSON.parse(readFileSync(files[0]!, 'utf8')) as { resources: unknown[] };
    expect(lines).toHaveLength(json.resources.length + 1);
    expect(gunzipSync(readFileSync(files[2]!)).toString('utf8').split('\n')[0]).toContain('"accountId":"123456789012"');

    const v = await runCli(['validate', ...files]);
    expect(v.code).toBe(0);
    expect(v.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['ok inventory', 'ok inventory', 'ok inventory']);

    const fingerprints = async (file: string) => {
      const r = await runCli(['audit', '-q', '--baseline', 'baselines/example.yaml', '--format', 'json', '--now', NOW, '--inventory', file], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
      expect(r.code).toBe(1);
      return (JSON.parse(r.stdout) as { violations: { fingerprint: string }[] }).violations.map((x) => x.fingerprint);
    };
    const fromJson = await fingerprints(files[0]!);
    expect(fromJson.length).toBeGreaterThan(5);
    expect(await fingerprints(files[1]!)).toEqual(fromJson);
    expect(await fingerprints(files[2]!)).toEqual(fromJson);

    // Read and judged by worker threads (--jobs 2), or in one thread (--jobs 1): the same report, byte for byte, in every format.
    for (const file of files.slice(1)) {
      for (const format of ['md', 'json', 'sarif']) {
        const report = async (jobs: string) => {
          const r = await runCli(['audit', '-q', '--jobs', jobs, '--baseline', 'baselines/example.yaml', '--format', format, '--now', NOW, '--inventory', file], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
          expect(r.code).toBe(1);
          return r.stdout;
        };
        const one = await report('1');
        expect(one.length).toBeGreaterThan(100);
        expect(await report('2')).toBe(one);
      }
    }
    const bad = await runCli(['audit', '--jobs', '0', '--baseline', 'baselines/example.yaml', '--inventory', files[1]!], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--jobs');
    noStack(bad.stderr);
  });

  it('the bench account (selectors, key counts, exceptions) read by workers gives the report one thread gives, SARIF locations included', async () => {
    const dir = tempDir('rollcall-e2e-');
    const { generate } = (await import('../../scripts/engine-inventory.mjs')) as { generate: (dir: string, o: { total: number; format: string }) => Promise<{ inventory: string; baseline: string }> };
    const made = await generate(dir, { total: 20_000, format: 'jsonl' });
    for (const format of ['sarif', 'md', 'json']) {
      const report = async (jobs: string) => {
        const r = await runCli(['audit', '-q', '--jobs', jobs, '--baseline', made.baseline, '--format', format, '--now', NOW, '--inventory', made.inventory], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
        expect(r.code).toBe(1);
        return r.stdout;
      };
      const one = await report('1');
      expect(await report('2')).toBe(one);
    }
  });

  it('a bad header is reported as one thread reports it, with every bad line after it', async () => {
    const dir = tempDir('rollcall-e2e-');
    const file = path.join(dir, 'bad-header.jsonl');
    writeFileSync(file, '{"format": 1, "accountId": 5}\n{"type": "iam.user"}\n{"type": "nope"}\n');
    const errors = async (jobs: string) => {
      const r = await runCli(['audit', '--jobs', jobs, '--baseline', 'baselines/example.yaml', '--inventory', file], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
      expect(r.code).toBe(2);
      noStack(r.stderr);
      return r.stderr;
    };
    const one = await errors('1');
    expect(one).toContain(`${file}:3`);
    expect(await errors('2')).toBe(one);

    // A gzip cut short, with a bad baseline: the baseline's error first, as one thread says it (the workers' early read declines, it does not throw).
    const { generate } = await import('../../scripts/engine-inventory.mjs');
    const made = await generate(dir, { total: 40_000, format: 'jsonl.gz' });
    const whole = readFileSync(made.inventory);
    const cut = path.join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const badBaseline = path.join(dir, 'bad.yaml');
    writeFileSync(badBaseline, "version: 1\naccount:\n  id: 'nope'\n");
    const cutErrors = async (jobs: string) => {
      const r = await runCli(['audit', '--jobs', jobs, '--baseline', badBaseline, '--inventory', cut], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
      expect(r.code).toBe(2);
      noStack(r.stderr);
      return r.stderr;
    };
    const cutOne = await cutErrors('1');
    expect(cutOne).toContain('bad.yaml');
    expect(await cutErrors('2')).toBe(cutOne);
  });

  it('a bad line is bad input: exit 2 naming file, line and path, for validate and audit alike, and no report written', async () => {
    const dir = tempDir('rollcall-e2e-');
    const header = { format: 1, accountId: '123456789012', caller: { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/a', userId: 'AIDA' }, collectedAt: NOW, regions: ['global'], gaps: [], notes: [], apiCalls: {} };
    const good = { type: 'iam.user', id: 'alice', region: 'global', accountId: '123456789012', tags: {}, props: { name: 'alice' } };
    const file = path.join(dir, 'bad.jsonl');
    writeFileSync(file, [header, good, { ...good, id: 'bob', region: 'nowhere' }].map((x) => JSON.stringify(x)).join('\n') + '\n');
    const out = path.join(dir, 'report.json');
    for (const args of [
      ['validate', file],
      ['audit', '--baseline', 'baselines/example.yaml', '--inventory', file, '--format', 'json', '--out', out],
      ['audit', '--jobs', '2', '--baseline', 'baselines/example.yaml', '--inventory', file, '--format', 'json', '--out', out],
    ]) {
      const r = await runCli(args, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}:3:`);
      expect(r.stderr).toContain('at /resources/1/region');
      noStack(r.stderr);
    }
    expect(() => readFileSync(out)).toThrow();
  });
});
