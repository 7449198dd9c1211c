import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '../../scripts/moto.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoints: string[];
  }
}

/**
 * One emulator per test worker, so that test files running in parallel never
 * see each other's resources. Each worker picks its own by VITEST_POOL_ID, and
 * resets it before each file (worker-setup.ts). Every emulator started is
 * stopped: at teardown, when another fails to start, and if the run exits
 * before its teardown.
 */
export default async function setup(project: TestProject) {
  const workers = Number(project.globalConfig.maxWorkers) || 1;
  // A loaded machine starts Python slowly: the timeout only bounds a hang.
  const started = await Promise.allSettled(Array.from({ length: workers }, () => startMoto({ timeoutMs: 180_000 })));
  const servers: MotoServer[] = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stopAll = () => Promise.all(servers.map((s) => s.stop()));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  const killLeft = () => {
    for (const s of servers) {
      try {
        if (s.pid !== undefined) process.kill(s.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  process.once('exit', killLeft);
  project.provide(
    'motoEndpoints',
    servers.map((s) => s.endpoint),
  );
  return async () => {
    await stopAll();
    process.off('exit', killLeft);
  };
}
