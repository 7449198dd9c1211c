import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import type { ReportedViolation } from '../../../src/model/violation.js';
import { jsonChunks, renderJson } from '../../../src/report/json.js';
import { markdownChunks, renderMarkdown } from '../../../src/report/markdown.js';
import { writeChunks, writeChunksAtomic } from '../../../src/report/output.js';
import { summarize } from '../../../src/report/summary.js';
import { richReport } from './fixtures.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'rollcall-report-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A report with `n` violations like the ones a large fleet gives. */
function many(n: number) {
  const base = richReport();
  const template = base.violations.find((v) => v.ruleId === 'ec2-instance-undeclared')!;
  const violations: ReportedViolation[] = Array.from({ length: n }, (_, i) => ({
    ...template,
    subject: `instance/us-east-1/i-${i.toString(16).padStart(17, '0')}`,
    message: `Instance i-${i.toString(16).padStart(17, '0')} in us-east-1 is not declared: p3.16xlarge, running, on-demand.`,
    fingerprint: i.toString(16).padStart(64, '0'),
  }));
  return { ...base, violations, summary: summarize(violations) };
}

describe('the JSON report in pieces', () => {
  it('is the text of JSON.stringify(report, null, 2), byte for byte', () => {
    const report = richReport();
    expect(renderJson(report)).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });

  it('handles what JSON.stringify handles: undefined fields left out, undefined in arrays as null, empty lists and objects', () => {
    const odd = { a: undefined, b: [], c: {}, d: [1, undefined, { e: undefined, f: [2] }], g: 'x"\n\u001b', h: null, i: () => 1 };
    expect([...jsonChunks(odd)].join('')).toBe(`${JSON.stringify(odd, null, 2)}\n`);
    expect([...jsonChunks({})].join('')).toBe('{}\n');
  });

  it('holds no piece longer than one violation, however many there are', () => {
    const report = many(20_000);
    const longest = Math.max(...[...jsonChunks({ ...report })].map((c) => c.length));
    expect(longest).toBeLessThan(2_000);
  });
});

describe('the Markdown report in pieces', () => {
  it('puts the violations between the header and the warnings, a blank line between blocks', () => {
    const md = renderMarkdown(richReport());
    expect(md).toContain(
      '\n\n## Medium\n\n### iam-user-console-without-mfa: Console user without MFA\n- `user/backup-admin`: User backup-admin can sign in to the console with a password alone: no MFA device is active.\n\nFix: manualReview\n\n### iam-user-two-active-keys:',
    );
    expect(md).toMatch(/\n\n## Could not check\n- \*\*resource-region-not-allowed\*\* \(critical\) on `function\/eu-west-1\/\*`: .*\n- /);
    expect(md).toContain('\n\n## Suppressed by baseline exceptions\n- **iam-user-undeclared** on `user/backup-admin`: SEC-42, until 2027-01-31\n\n## Warnings\n- ');
    expect(md).toMatch(/\n\n## Notes\n- The IAM credential report was 3 hours old: keys were re-checked per user\.\n$/);
    expect(md).not.toMatch(/\n{3}/);
  });

  it('a clean report with nothing after the header ends with one newline', () => {
    const rich = richReport();
    // Nothing to list: no violation, gap, note or warning, and no resource found (an empty account).
    const clean = { ...rich, inventory: { ...rich.inventory, found: [] }, violations: [], gaps: [], notes: [], warnings: [] };
    const md = renderMarkdown({ ...clean, summary: summarize([]) });
    expect(md).toContain('**No violations.**');
    expect(md.endsWith('rollcall 9.9.9.\n')).toBe(true);
  });

  it('holds no piece longer than one violation beyond the header', () => {
    const report = many(20_000);
    const [head, ...rest] = [...markdownChunks(report)];
    expect(head!.length).toBeLessThan(5_000);
    expect(Math.max(...rest.map((c) => c.length))).toBeLessThan(1_000);
  });
});

describe('writing a report', () => {
  it('writes the pieces to a file, leaving no temporary file', () => {
    const dir = tmp();
    const file = path.join(dir, 'out', 'report.json');
    const report = many(5_000);
    writeChunksAtomic(file, jsonChunks({ ...report }));
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(readdirSync(path.dirname(file))).toEqual(['report.json']);
  });

  it('whole or not at all: a failure while writing leaves the old file as it was and no temporary file', () => {
    const dir = tmp();
    const file = path.join(dir, 'report.md');
    writeFileSync(file, 'the previous report\n');
    function* failing() {
      yield 'x'.repeat(200_000);
      throw new Error('renderer failed');
    }
    expect(() => writeChunksAtomic(file, failing())).toThrow('renderer failed');
    expect(readFileSync(file, 'utf8')).toBe('the previous report\n');
    expect(readdirSync(dir)).toEqual(['report.md']);
  });

  it('refuses a directory as the output, as bad input', () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'reports'));
    expect(() => writeChunksAtomic(path.join(dir, 'reports'), ['x'])).toThrow(InputError);
    expect(existsSync(path.join(dir, 'reports'))).toBe(true);
  });

  it('to a stream, waits for a slow reader (backpressure) and loses nothing', async () => {
    const stream = new PassThrough({ highWaterMark: 1024 });
    const received: Buffer[] = [];
    let drained = 0;
    stream.on('drain', () => drained++);
    // Read slowly: one chunk per tick.
    const reading = (async () => {
      for await (const chunk of stream) {
        received.push(chunk as Buffer);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const report = many(3_000);
    await writeChunks(stream, markdownChunks(report));
    stream.end();
    await reading;
    expect(Buffer.concat(received).toString('utf8')).toBe(renderMarkdown(report));
    expect(drained).toBeGreaterThan(0);
  });
});
