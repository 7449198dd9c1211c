import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetEmulator } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { seedDemo } from '../helpers/demo.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';
import { tempDir } from '../helpers/temp.js';

interface Result {
  ruleId: string;
  ruleIndex: number;
  message: { text: string };
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } }; logicalLocations: { fullyQualifiedName: string }[] }[];
}

/** The 1-based line of the example baseline's first line matching `pattern`. */
function exampleLine(pattern: RegExp): number {
  return readFileSync('baselines/example.yaml', 'utf8').split('\n').findIndex((l) => pattern.test(l)) + 1;
}

describe('rollcall audit --format sarif against the emulator', () => {
  beforeEach(async () => {
    await resetEmulator();
  });

  it('writes a SARIF log the official schema accepts, each result located in the baseline', async () => {
    const seeded = (await seedDemo('compromise'))!;
    const out = path.join(tempDir('rollcall-e2e-sarif-'), 'x.sarif');
    const r = await runCli(['audit', '-q', '--baseline', 'baselines/example.yaml', '--format', 'sarif', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const text = readFileSync(out, 'utf8');
    for (const s of seeded.secrets) expect(text).not.toContain(s);
    const log = JSON.parse(text) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: Result[] }[] };
    expect(sarifSchemaErrors(log)).toEqual([]);
    const run = log.runs[0]!;
    expect(run.results.length).toBeGreaterThan(5);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
      expect(Object.values(result.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(result.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'baselines/example.yaml', uriBaseId: '%SRCROOT%' });
    }
    const at = (ruleId: string, subject: string) =>
      run.results.find((x) => x.ruleId === ruleId && x.locations[0]!.logicalLocations[0]!.fullyQualifiedName === subject)?.locations[0]!.physicalLocation.region.startLine;
    expect(at('iam-user-undeclared', 'user/backup-admin')).toBe(exampleLine(/^  users:/));
    expect(at('root-mfa-disabled', 'root/root')).toBe(exampleLine(/^root:/));
  });
});
