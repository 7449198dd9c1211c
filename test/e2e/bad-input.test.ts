import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

/** Bad input through the built CLI: exit 2, the file, line and path, no stack, nothing written. None of it reaches AWS. */
const OFFLINE = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE01', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1' };
const inventory = path.join(ROOT, 'test/fixtures/load/inventory.json');
const example = readFileSync(path.join(ROOT, 'baselines/example.yaml'), 'utf8');
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

function workDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rollcall-e2e-bad-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('bad input through the CLI', () => {
  it('a rule message with an unknown helper: validate and audit both refuse it at its line (audit crashed with exit 3)', async () => {
    const dir = workDir();
    mkdirSync(path.join(dir, 'rules', 'mine'), { recursive: true });
    writeFileSync(
      path.join(dir, 'rules', 'mine', 'my-rule.yaml'),
      'id: my-rule\ntitle: t\nseverity: low\nresource: iam.user\nrelation: always\nmessage: "User {{upper id}} {{props.mfaActiv}}"\nrationale: r\nremediation: [manualReview]\n',
    );
    writeFileSync(path.join(dir, 'b.yaml'), example);
    const file = path.join(dir, 'rules', 'mine', 'my-rule.yaml');
    const v = await runCli(['validate', path.join(dir, 'rules')], OFFLINE);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain(`${file}:6:10 at /message: in the message: unknown helper 'upper'`);
    expect(v.stderr).toContain(`${file}:6:10 at /message: in the message: unknown property 'props.mfaActiv' for iam.user, did you mean 'props.mfaActive'?`);
    const a = await runCli(['audit', '-b', path.join(dir, 'b.yaml'), '-i', inventory, '-r', path.join(dir, 'rules'), '--now', '2026-11-05'], OFFLINE);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain(`${file}:6:10 at /message`);
    noStack(a.stderr);
  });

  it('a baseline with a region typo and an exception for a misspelt rule: located, with did-you-means', async () => {
    const dir = workDir();
    const b = path.join(dir, 'b.yaml');
    writeFileSync(b, example.replace('allowed: [us-east-1, eu-west-1]', 'allowed: [us-esat-1, eu-west-1]').replace('rule: iam-user-console-without-mfa', 'rule: iam-user-console-without-mfaa'));
    const v = await runCli(['validate', b], OFFLINE);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(new RegExp(`${b}:\\d+:\\d+ at /regions/allowed/0: 'us-esat-1' is not an AWS region, did you mean 'us-east-1'\\?`));
    expect(v.stderr).toMatch(new RegExp(`${b}:\\d+:\\d+ at /exceptions/0/rule: unknown rule 'iam-user-console-without-mfaa'.*did you mean 'iam-user-console-without-mfa'\\?`));
    const a = await runCli(['audit', '-b', b, '-i', inventory], OFFLINE);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('/exceptions/0/rule');
  });

  it('a JSON inventory with a duplicate key is refused at its line', async () => {
    const dir = workDir();
    const inv = path.join(dir, 'inv.json');
    writeFileSync(inv, readFileSync(inventory, 'utf8').replace('"accountId": "123456789012",', '"accountId": "123456789012",\n  "accountId": "999999999999",'));
    writeFileSync(path.join(dir, 'b.yaml'), example);
    const a = await runCli(['audit', '-b', path.join(dir, 'b.yaml'), '-i', inv], OFFLINE);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain(`${inv}:4:3 at /accountId: duplicate key 'accountId' (first at line 3)`);
  });

  it('--now "March 7" is bad input, not 2001-03-07', async () => {
    const r = await runCli(['audit', '-b', 'baselines/example.yaml', '-i', inventory, '--now', 'March 7'], OFFLINE);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--now: must be an ISO-8601 date or date-time (got 'March 7'");
  });

  it('-o naming a directory: audit, collect and plan refuse before collecting, and write nothing', async () => {
    const dir = workDir();
    for (const args of [
      ['audit', '-b', 'baselines/example.yaml', '-o', dir],
      ['collect', '-o', dir],
      ['plan', '-b', 'baselines/example.yaml', '-o', dir],
      ['audit', '-b', 'baselines/example.yaml', '-i', inventory, '-o', dir],
    ]) {
      const r = await runCli(args, OFFLINE);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`--out: '${dir}' is a directory`);
      noStack(r.stderr);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
