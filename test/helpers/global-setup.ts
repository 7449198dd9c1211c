import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '../../scripts/moto.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoints: string[];
  }
}

/**
 * One emulator per test worker, so that test files running in parallel never
 * see each other's resources. Each worker picks its own by VITEST_POOL_ID.
 */
export default async function setup(project: TestProject) {
  const workers = Number(project.config.maxWorkers) || 1;
  const servers: MotoServer[] = await Promise.all(Array.from({ length: workers }, () => startMoto()));
  project.provide(
    'motoEndpoints',
    servers.map((s) => s.endpoint),
  );
  return async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
}
