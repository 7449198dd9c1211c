import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    runTempDir: string;
  }
}

/**
 * One temporary folder per project and run. The project's test workers (see
 * temp-setup.ts) and the CLIs they spawn make their temporary files in it, so
 * nothing a run makes lands loose in the system's temporary directory. Every
 * test removes what it makes (test/helpers/temp.ts): whatever is still here
 * when the project's tests are done was left by a test, and fails the run,
 * by name, after the folder is removed all the same.
 *
 * List it first in a project's globalSetup: teardowns run in reverse order,
 * so the project's other set-ups (the emulators) are gone by then.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), `rollcall-test-${project.name || 'run'}-`));
  project.provide('runTempDir', dir);
  return () => {
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) {
      process.exitCode = 1; // vitest only reports an error thrown here
      throw new Error(
        `tests left ${left.length} entries in the temporary directory (removed now; each test must remove what it makes, see test/helpers/temp.ts): ${left.sort().join(', ')}`,
      );
    }
  };
}
