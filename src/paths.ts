/**
 * Where rollcall's own files are: the package root holds package.json,
 * schemas/, rules/ and templates/. The root is found by walking up from this
 * module, so the same code works from src/ (tests), from dist/ (the compiled
 * tree) and from dist/bin/ (the bundled CLI).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'rollcall') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`rollcall's package.json was not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** A file or folder of the package, by its path from the root. */
export const packagePath = (...parts: string[]): string => join(packageRoot(), ...parts);
