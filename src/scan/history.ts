/**
 * Scans a repository's whole history: every commit reachable from any ref or
 * reflog entry, as one streamed `git log -p` with no context lines, so the
 * work is linear in the size of the history's diffs and memory holds one
 * line at a time. Every line ever committed was added by some commit, so a
 * key removed since is still found in the commit that added it. Merges show
 * what their author wrote beyond git's own merge (--diff-merges=remerge,
 * git 2.36 and later), so a key added while resolving a conflict is found too.
 */
import { realpathSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError } from '../errors.js';
import { redact } from '../redact.js';
import { terminalText } from '../report/escape.js';
import { KeyFinder } from './key-matcher.js';
import type { Findings } from './findings.js';
import { gitOutput, gitStream, gitVersion } from './git.js';
import { PatchParser } from './patch-parser.js';

export interface Repository {
  /** The working tree's root, or the repository itself when bare. */
  root: string;
  bare: boolean;
}

/** git's message, for an error: its first line, any secret-shaped string masked. */
const firstLine = (text: string) => terminalText(redact(text.trim().split('\n')[0] ?? ''));

/**
 * The repository PATH is, or null when PATH is not one (a plain folder, or a
 * folder inside a repository: only a repository's root has its history scanned).
 */
export async function repositoryAt(path: string): Promise<Repository | null> {
  const bare = await gitOutput(path, ['rev-parse', '--is-bare-repository']);
  if (bare.notFound) return null;
  if (bare.code !== 0) {
    // Not a repository is the common case; anything else (git refusing a repository owned by someone else) is said.
    if (/not a git repository/i.test(bare.stderr)) return null;
    throw InputError.at({ file: path }, `git cannot read this repository: ${firstLine(bare.stderr)}`);
  }
  const real = realpathSync(path);
  if (bare.stdout.trim() === 'true') {
    const dir = await gitOutput(path, ['rev-parse', '--absolute-git-dir']);
    return dir.code === 0 && realpathSync(dir.stdout.trim()) === real ? { root: real, bare: true } : null;
  }
  const top = await gitOutput(path, ['rev-parse', '--show-toplevel']);
  return top.code === 0 && realpathSync(top.stdout.trim()) === real ? { root: real, bare: false } : null;
}

export interface HistoryScan {
  commits: number;
  /** Notes for the report (merges not read on an old git). */
  notes: string[];
}

/** Adds every key id the history ever added to `findings`. */
export async function scanHistory(repo: Repository, findings: Findings): Promise<HistoryScan> {
  const version = await gitVersion();
  const remerge = version !== null && (version[0] > 2 || (version[0] === 2 && version[1] >= 36));
  const notes = remerge ? [] : ['git older than 2.36: what a merge commit itself added (a conflict resolution) was not read; upgrade git to scan it'];
  const args = [
    'log', '-p', '--all', '--reflog', '--unified=0',
    '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--no-prefix', '--no-show-signature', '--no-abbrev-commit',
    ...(remerge ? ['--diff-merges=remerge'] : []),
    '--format=%x00%H %cI',
  ];
  const git = gitStream(repo.root, args);
  git.stdin.end();
  let stderr = '';
  git.stderr.setEncoding('utf8');
  git.stderr.on('data', (chunk: string) => {
    if (stderr.length < 4096) stderr += chunk;
  });
  const closed = new Promise<number | null>((resolve, reject) => {
    git.on('error', reject);
    git.on('close', (code) => resolve(code));
  });

  const parser = new PatchParser();
  let commits = 0;
  let finder = new KeyFinder();
  let where: { file: string; commit: string; committedAt: string } | null = null;
  const flush = () => {
    if (where) for (const f of finder.end()) findings.add(f, where);
  };
  for await (const line of createInterface({ input: git.stdout, crlfDelay: Infinity })) {
    const event = parser.push(line);
    if (!event) continue;
    if (event.kind === 'commit') {
      commits++;
      flush();
      where = null;
    } else if (event.kind === 'file') {
      flush();
      finder = new KeyFinder();
      where = null;
    } else {
      where ??= { file: event.file, commit: event.commit, committedAt: event.committedAt };
      for (const f of finder.push(event.text, event.line)) findings.add(f, where);
    }
  }
  flush();
  const code = await closed;
  // A repository with no commit yet has no history: git says so, and there is nothing to scan.
  if (code !== 0 && !(commits === 0 && /does not have any commits|bad default revision/i.test(stderr))) {
    throw InputError.at({ file: repo.root }, `git could not read the history: ${firstLine(stderr) || `exit ${code}`}`);
  }
  return { commits, notes };
}
