import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/** Folders made outside any test (at load, in beforeAll): removed when their file's tests are done. */
const fileLevel = new Set<string>();

const remove = (dir: string) => rmSync(dir, { recursive: true, force: true });

/**
 * A fresh folder in the run's temporary directory, removed with everything in
 * it (plans, journals, replacement keys' secret files) when the test that made
 * it finishes, pass or fail; made outside a test, when its file is done.
 */
export function tempDir(prefix = 'rollcall-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    onTestFinished(() => {
      remove(dir);
    });
  } catch {
    // not inside a test (vitest: "can only be called inside a test")
    fileLevel.add(dir);
  }
  return dir;
}

/** Removes the folders made outside tests; temp-setup.ts calls it after each file. */
export function removeFileLevelTempDirs(): void {
  for (const dir of fileLevel) remove(dir);
  fileLevel.clear();
}
