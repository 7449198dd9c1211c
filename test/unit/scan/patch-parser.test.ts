import { describe, expect, it } from 'vitest';
import { PatchParser, unquoteGitPath, type AddedLine } from '../../../src/scan/patch-parser.js';

const SHA1 = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);

function added(lines: string[]): AddedLine[] {
  const p = new PatchParser();
  return lines.flatMap((l) => {
    const e = p.push(l);
    return e?.kind === 'added' ? [{ commit: e.commit, committedAt: e.committedAt, file: e.file, line: e.line, text: e.text }] : [];
  });
}

describe('PatchParser', () => {
  it('gives each added line its commit, file and line in the new file; removed lines are not added ones', () => {
    const out = added([
      `\0${SHA1} 2026-01-02T03:04:05+00:00`,
      '',
      'diff --git config.py config.py',
      'index 1111111..2222222 100644',
      '--- config.py',
      '+++ config.py',
      '@@ -3,2 +3,3 @@ def f():',
      '-old',
      '-old2',
      '+new line 3',
      '++++ looks like a header',
      '+\0 looks like a commit',
      '@@ -10 +11 @@',
      '-x',
      '+line eleven',
      `\0${SHA2} 2026-01-01T00:00:00Z`,
      '',
      'diff --git gone.txt gone.txt',
      'deleted file mode 100644',
      '--- gone.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-removed',
    ]);
    expect(out).toEqual([
      { commit: SHA1, committedAt: '2026-01-02T03:04:05+00:00', file: 'config.py', line: 3, text: 'new line 3' },
      { commit: SHA1, committedAt: '2026-01-02T03:04:05+00:00', file: 'config.py', line: 4, text: '+++ looks like a header' },
      { commit: SHA1, committedAt: '2026-01-02T03:04:05+00:00', file: 'config.py', line: 5, text: '\0 looks like a commit' },
      { commit: SHA1, committedAt: '2026-01-02T03:04:05+00:00', file: 'config.py', line: 11, text: 'line eleven' },
    ]);
  });

  it('counts context lines and skips "no newline" markers', () => {
    const out = added([`\0${SHA1} 2026-01-02T03:04:05Z`, '+++ f', '@@ -1,3 +1,3 @@', ' a', '-b', '\\ No newline at end of file', '+c', ' d']);
    expect(out.map((l) => [l.line, l.text])).toEqual([[2, 'c']]);
  });

  it('reads quoted paths and the tab git adds after a name with a space', () => {
    const out = added([`\0${SHA1} 2026-01-02T03:04:05Z`, '+++ "dir/na\\303\\257ve \\"q\\"\\ttab.txt"', '@@ -0,0 +1 @@', '+x', '+++ with space.txt\t', '@@ -0,0 +1 @@', '+y']);
    expect(out.map((l) => l.file)).toEqual(['dir/naïve "q"\ttab.txt', 'with space.txt']);
  });

  it('unquoteGitPath leaves an unquoted path as it is', () => {
    expect(unquoteGitPath('plain/path')).toBe('plain/path');
    expect(unquoteGitPath('"a\\\\b\\nc"')).toBe('a\\b\nc');
  });
});
