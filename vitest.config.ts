import { defineConfig } from 'vitest/config';

/**
 * Two projects, run together by `npm test` (`vitest run`):
 * - unit: test/unit, no emulator (AWS clients are mocked or aimed at a local server the test starts);
 * - emulator: test/integration and test/e2e, against one moto server per worker, started by the global setup.
 * Each project's workers make their temporary files in a folder of their own, removed at the end (run-temp.ts).
 * The timeouts only bound a hang: on a loaded machine the emulator and the spawned CLI are slow, never wrong.
 */
export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          pool: 'forks',
          include: ['test/unit/**/*.test.ts'],
          globalSetup: ['test/helpers/run-temp.ts'],
          setupFiles: ['test/helpers/temp-setup.ts', 'test/helpers/unit-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'emulator',
          pool: 'forks',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          // run-temp first: teardowns run in reverse, so the emulators are stopped before the leftover check.
          globalSetup: ['test/helpers/run-temp.ts', 'test/helpers/global-setup.ts'],
          setupFiles: ['test/helpers/temp-setup.ts', 'test/helpers/worker-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
