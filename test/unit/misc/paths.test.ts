import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packagePath, packageRoot } from '../../../src/paths.js';

describe('packageRoot', () => {
  it('finds the folder whose package.json is rollcall’s, holding the schemas, rules and templates', () => {
    const manifest = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { name: string };
    expect(manifest.name).toBe('rollcall');
    for (const part of ['schemas', 'rules', 'templates/audit.md.hbs', 'templates/plan.md.hbs']) expect(existsSync(packagePath(part)), part).toBe(true);
    expect(packageRoot()).toBe(packageRoot());
  });
});
