import { afterAll, inject } from 'vitest';
import { removeFileLevelTempDirs } from './temp.js';

// Temporary files go to this run's folder (run-temp.ts), in this worker and in the CLIs it spawns.
process.env.TMPDIR = inject('runTempDir');

afterAll(() => {
  removeFileLevelTempDirs();
});
