/**
 * What `npm pack` ships: the bundled CLI, the rules, schemas and templates it
 * reads, the example baseline, README and package.json; never the compiled
 * tree, source maps, the demo or the tests. Packing builds first (prepack).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli.js';

interface Manifest {
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const SHIPPED = /^(dist\/bin\/[\w-]+\.js|rules\/[a-z]+\/[a-z0-9-]+\.yaml|schemas\/[a-z]+(?:-[a-z]+)*\.schema\.json|templates\/[a-z.]+\.hbs|baselines\/example\.yaml|README\.md|LICENSE|package\.json)$/;

describe('the npm package', () => {
  it('lists only what runs, and the bin is among it', () => {
    expect(manifest.files.sort()).toEqual(['baselines/example.yaml', 'dist/bin', 'rules', 'schemas', 'templates']);
    for (const bin of Object.values(manifest.bin)) expect(path.posix.normalize(bin).startsWith('dist/bin/')).toBe(true);
  });

  it('packing builds first', () => {
    expect(manifest.scripts.prepack).toBe('npm run build');
    expect(manifest.scripts.build).toContain('scripts/bundle.mjs');
  });

  it('npm pack --dry-run ships nothing else: no compiled tree, map, demo or test', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
    const files = pack!.files.map((f) => f.path);
    expect(files.filter((f) => !SHIPPED.test(f))).toEqual([]);
    for (const needed of ['package.json', 'README.md', 'schemas/baseline.schema.json', 'templates/audit.md.hbs', 'rules/compromise/iam-user-undeclared.yaml']) expect(files).toContain(needed);
  });
});
