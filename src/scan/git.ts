/**
 * Runs git on a repository that may be hostile: always an argument array
 * (execFile/spawn, never a shell), with the repository's own configuration
 * kept from running anything (no pager, external diff, textconv, signature
 * program or fsmonitor), and git's own environment overrides removed so that
 * `-C PATH` is the repository read.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

const SAFE_CONFIG = [
  '-c', 'core.fsmonitor=false',
  '-c', 'core.pager=cat',
  '-c', 'log.showSignature=false',
  '-c', 'core.quotePath=false',
  '-c', 'diff.external=',
];

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_CEILING_DIRECTORIES', 'GIT_EXTERNAL_DIFF']) delete env[name];
  return env;
}

export const gitArgs = (repo: string, args: readonly string[]): string[] => [...SAFE_CONFIG, '-C', repo, ...args];

export interface GitResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when git itself could not be started (not installed). */
  notFound?: boolean;
}

/** A short git command's whole output. */
export function gitOutput(repo: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile('git', gitArgs(repo, args), { env: gitEnv(), maxBuffer: 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      if (e && e.code === 'ENOENT') return resolve({ code: null, stdout: '', stderr: '', notFound: true });
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A long git command, streamed: the caller reads stdout and waits for `close`. */
export function gitStream(repo: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn('git', gitArgs(repo, args), { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** git's version as [major, minor], or null when it is not installed. */
export async function gitVersion(): Promise<[number, number] | null> {
  const r = await gitOutput('.', ['--version']);
  const m = /git version (\d+)\.(\d+)/.exec(r.stdout);
  return m ? [Number(m[1]), Number(m[2])] : null;
}
