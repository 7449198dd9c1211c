/**
 * Reads the output of `git log -p --no-prefix --format=%x00%H %cI` one line at a
 * time and says, for each line a commit added, which commit, file and line
 * (in the file as that commit left it) it is. Pure and streaming: it keeps
 * only the current commit, file and hunk.
 *
 * Hunk bodies are counted from their headers (`@@ -a,b +c,d @@`), so a line of
 * content that looks like a header (`+++ x`, a NUL) is never taken for one.
 */
export interface AddedLine {
  commit: string;
  /** The commit's committer date, ISO 8601 (as git prints %cI). */
  committedAt: string;
  file: string;
  line: number;
  text: string;
}

export type PatchEvent = { kind: 'commit'; commit: string; committedAt: string } | { kind: 'file'; file: string } | ({ kind: 'added' } & AddedLine);

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const COMMIT = /^\0([0-9a-f]{40,64}) (\S+)$/;

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** A path as git quotes it (`"dir/na\303\257ve \"x\".txt"`): C escapes and octal bytes, decoded as UTF-8. */
export function unquoteGitPath(quoted: string): string {
  if (!quoted.startsWith('"') || !quoted.endsWith('"') || quoted.length < 2) return quoted;
  const body = quoted.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      bytes.push(parseInt(octal, 8));
      i += octal.length;
    } else {
      bytes.push(C_ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The new side's path from a `+++ ` line, or null for a deletion (`/dev/null`). */
function newPath(rest: string): string | null {
  if (rest === '/dev/null') return null;
  if (rest.startsWith('"')) return unquoteGitPath(rest);
  // git ends the name with a tab when it holds a space (for patch(1)).
  return rest.endsWith('\t') ? rest.slice(0, -1) : rest;
}

export class PatchParser {
  private commit = '';
  private committedAt = '';
  private file: string | null = null;
  private oldLeft = 0;
  private newLeft = 0;
  private nextLine = 0;

  /** One line of the log, without its newline. */
  push(line: string): PatchEvent | null {
    if (this.oldLeft > 0 || this.newLeft > 0) return this.body(line);
    const commit = COMMIT.exec(line);
    if (commit) {
      this.commit = commit[1]!;
      this.committedAt = commit[2]!;
      this.file = null;
      return { kind: 'commit', commit: this.commit, committedAt: this.committedAt };
    }
    if (line.startsWith('diff ')) {
      this.file = null;
      return null;
    }
    if (line.startsWith('+++ ')) {
      this.file = newPath(line.slice(4));
      return this.file === null ? null : { kind: 'file', file: this.file };
    }
    const hunk = HUNK.exec(line);
    if (hunk && this.commit) {
      this.oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      this.nextLine = Number(hunk[2]);
      this.newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
    }
    return null;
  }

  private body(line: string): PatchEvent | null {
    const mark = line[0];
    if (mark === '+') {
      this.newLeft--;
      const at = this.nextLine++;
      if (this.file === null) return null;
      return { kind: 'added', commit: this.commit, committedAt: this.committedAt, file: this.file, line: at, text: line.slice(1) };
    }
    if (mark === '-') this.oldLeft--;
    else if (mark === ' ' || line === '') {
      // A context line ('' when a tool stripped its trailing blank).
      this.oldLeft--;
      this.newLeft--;
      this.nextLine++;
    }
    // '\ No newline at end of file' counts for neither side.
    return null;
  }
}
