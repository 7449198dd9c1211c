import { seedMotoRandom } from '../../scripts/moto.mjs';
import { demoClients } from '../../src/demo/clients.js';
import { DEMO_RANDOM_SEED, seedCleanAccount, seedDemoAccount, type SeededAccount } from '../../src/demo/seed-compromise.js';
import { emulatorEndpoint, resetEmulator } from './emulator.js';

/** Resets this worker's emulator and seeds the demo account: compromised (returning its keys and secrets), or clean. */
export async function seedDemo(kind: 'compromise'): Promise<SeededAccount>;
export async function seedDemo(kind: 'clean'): Promise<undefined>;
export async function seedDemo(kind: 'compromise' | 'clean'): Promise<SeededAccount | undefined> {
  await resetEmulator();
  await seedMotoRandom(emulatorEndpoint(), DEMO_RANDOM_SEED);
  const clients = demoClients();
  try {
    if (kind === 'compromise') return await seedDemoAccount(clients, '123456789012');
    await seedCleanAccount(clients, '123456789012');
    return undefined;
  } finally {
    clients.destroy();
  }
}
