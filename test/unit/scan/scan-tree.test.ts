import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanFiles } from '../../../src/scan/files.js';
import { Findings } from '../../../src/scan/findings.js';
import { repositoryAt, scanHistory } from '../../../src/scan/history.js';
import { fakeKeyId, fakeSecret } from '../../helpers/fake-keys.js';
import { commitFiles, git, initRepo } from '../../helpers/git-repo.js';
import { tempDir } from '../../helpers/temp.js';

describe('scanning a repository: its files and its whole history', () => {
  it('finds a key removed since in the commit that added it, with file, line and secret redacted', async () => {
    const root = tempDir();
    // A hostile-looking folder name: it reaches git as one argument, never a shell.
    const repo = initRepo(path.join(root, '-repo $(touch pwned) ; x'));
    const removed = fakeKeyId();
    const secret = fakeSecret();
    const added = commitFiles(repo, { 'app/config.ini': `[default]\nregion = us-east-1\naws_access_key_id = ${removed}\naws_secret_access_key = ${secret}\n` }, 'add config');
    commitFiles(repo, { 'app/config.ini': '[default]\nregion = us-east-1\n' }, 'remove the key');
    // Another key on a branch that is never merged, in a file whose name would be a command in a shell.
    git(repo, 'checkout', '-q', '-b', 'side');
    const onBranch = fakeKeyId();
    const branchCommit = commitFiles(repo, { '$(touch pwned2).txt': `x\n${onBranch}\n` }, 'side');
    git(repo, 'checkout', '-q', 'main');
    // Not committed at all.
    const untracked = fakeKeyId('ASIA');
    writeFileSync(path.join(repo, '.env'), `AWS_SESSION=${untracked}\n`);

    const found = await repositoryAt(repo);
    expect(found).toEqual({ root: expect.any(String), bare: false });
    const findings = new Findings();
    const files = await scanFiles(repo, findings);
    const history = await scanHistory(found!, findings);
    expect(history.commits).toBe(3);
    expect(files.files).toBeGreaterThanOrEqual(2);

    const keys = new Map(findings.keys().map((k) => [k.keyId, k]));
    expect(keys.get(removed)).toEqual({
      keyId: removed,
      kind: 'long-term',
      locations: [{ file: 'app/config.ini', line: 3, commit: added, committedAt: expect.any(String) }],
      secretNearby: { redacted: `${secret.slice(0, 4)}…`, at: { file: 'app/config.ini', line: 4, commit: added, committedAt: expect.any(String) } },
    });
    expect(keys.get(onBranch)?.locations).toEqual([{ file: '$(touch pwned2).txt', line: 2, commit: branchCommit, committedAt: expect.any(String) }]);
    expect(keys.get(untracked)).toMatchObject({ kind: 'temporary', locations: [{ file: '.env', line: 1 }] });
    expect(JSON.stringify(findings.keys())).not.toContain(secret);
    expect(existsSync(path.join(repo, 'pwned'))).toBe(false);
    expect(existsSync(path.join(root, 'pwned'))).toBe(false);
  });

  it("runs nothing a hostile repository's configuration names (textconv, external diff, pager, fsmonitor)", async () => {
    const dir = tempDir();
    const repo = initRepo(path.join(dir, 'repo'));
    const marker = path.join(dir, 'ran');
    const script = path.join(dir, 'evil.sh');
    writeFileSync(script, `#!/bin/sh\ntouch '${marker}'\ncat "$1" 2>/dev/null\n`, { mode: 0o755 });
    const key = fakeKeyId();
    commitFiles(repo, { '.gitattributes': '* diff=evil\n', 'k.txt': `${key}\n` }, 'one');
    // Set after the commit (git commit itself would run the fsmonitor).
    for (const [k, v] of [['diff.evil.textconv', script], ['diff.external', script], ['core.pager', script], ['core.fsmonitor', script]] as const) git(repo, 'config', k, v);
    // The configuration is live: git's own log runs the textconv.
    git(repo, 'log', '-p', '--no-ext-diff');
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
    const findings = new Findings();
    await scanHistory((await repositoryAt(repo))!, findings);
    expect(findings.keys().map((k) => k.keyId)).toContain(key);
    expect(existsSync(marker)).toBe(false);
  });

  it('finds a key that only a merge added (a conflict resolution)', async () => {
    const repo = initRepo(path.join(tempDir(), 'repo'));
    commitFiles(repo, { 'f.txt': 'base\n' }, 'base');
    git(repo, 'checkout', '-q', '-b', 'other');
    commitFiles(repo, { 'f.txt': 'other\n' }, 'other');
    git(repo, 'checkout', '-q', 'main');
    commitFiles(repo, { 'f.txt': 'main\n' }, 'main');
    const key = fakeKeyId();
    try {
      git(repo, 'merge', '-q', 'other');
    } catch {
      // the expected conflict
    }
    writeFileSync(path.join(repo, 'f.txt'), `resolved ${key}\n`);
    git(repo, 'add', 'f.txt');
    git(repo, 'commit', '-q', '--no-edit');
    rmSync(path.join(repo, 'f.txt'));
    git(repo, 'commit', '-q', '-am', 'gone');
    const merge = git(repo, 'rev-parse', 'HEAD~1').trim();

    const findings = new Findings();
    await scanHistory((await repositoryAt(repo))!, findings);
    expect(findings.keys().find((k) => k.keyId === key)?.locations).toEqual([{ file: 'f.txt', line: 1, commit: merge, committedAt: expect.any(String) }]);
  });

  it('a folder inside a repository, a plain folder and an empty repository', async () => {
    const repo = initRepo(path.join(tempDir(), 'repo'));
    expect(await scanHistory((await repositoryAt(repo))!, new Findings())).toEqual({ commits: 0, notes: [] });
    mkdirSync(path.join(repo, 'sub'));
    expect(await repositoryAt(path.join(repo, 'sub'))).toBeNull();
    expect(await repositoryAt(tempDir())).toBeNull();
  });

  it('skips binary files and does not follow symbolic links', async () => {
    const dir = tempDir();
    const outside = tempDir();
    writeFileSync(path.join(outside, 'secret.txt'), `${fakeKeyId()}\n`);
    const { symlinkSync } = await import('node:fs');
    symlinkSync(outside, path.join(dir, 'link'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'file-link'));
    writeFileSync(path.join(dir, 'blob.bin'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(fakeKeyId())]));
    const key = fakeKeyId();
    writeFileSync(path.join(dir, 'real.txt'), `${key}\n`);
    const findings = new Findings();
    expect(await scanFiles(dir, findings)).toEqual({ files: 1, skippedBinary: 1, unreadable: 0 });
    expect(findings.keys().map((k) => k.keyId)).toEqual([key]);
  });
});
