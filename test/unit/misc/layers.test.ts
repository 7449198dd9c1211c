/**
 * Dependencies point down (DESIGN.md, Layout): collect and apply both read AWS
 * answers, and what they share lives in src/answers, under both. Neither
 * imports the other, and src/answers imports neither (nor anything above it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module a source text imports or re-exports (static, type-only and dynamic), resolved relative to src: `collect/ec2.js`. */
function importsOf(file: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep).join('/'));
}

/** `file imports module` for each import of a file under `from` of a module under any of `forbidden` (folders of src). */
function crossings(from: string, forbidden: string[]): string[] {
  return sourceFiles(path.join(SRC, from)).flatMap((file) =>
    importsOf(file, readFileSync(file, 'utf8'))
      .filter((target) => forbidden.some((dir) => target.startsWith(`${dir}/`)))
      .map((target) => `${path.relative(SRC, file)} imports ${target}`),
  );
}

describe('layers', () => {
  it('finds every kind of import (so the checks below can fail)', () => {
    const file = path.join(SRC, 'apply/iam/x.ts');
    const text = [
      "import { a } from '../../collect/a.js';",
      "import type { B } from '../../collect/b.js';",
      "export { c } from '../../collect/c.js';",
      "const d = await import('../../collect/d.js');",
      "import { e } from '@aws-sdk/client-iam';",
      "import { f } from '../../answers/f.js';",
    ].join('\n');
    expect(importsOf(file, text)).toEqual(['collect/a.js', 'collect/b.js', 'collect/c.js', 'collect/d.js', 'answers/f.js']);
  });

  it('apply imports nothing from collect', () => {
    expect(crossings('apply', ['collect'])).toEqual([]);
  });

  it('collect imports nothing from apply', () => {
    expect(crossings('collect', ['apply'])).toEqual([]);
  });

  it('answers, under both, imports neither, nor anything above them', () => {
    expect(crossings('answers', ['collect', 'apply', 'actions', 'commands', 'plan', 'engine', 'report', 'load', 'progress', 'demo'])).toEqual([]);
  });
});
