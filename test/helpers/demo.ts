import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateUserCommand, DeleteUserCommand } from '@aws-sdk/client-iam';
import { seedMotoRandom } from '../../scripts/moto.mjs';
import { demoClients } from '../../src/demo/clients.js';
import { DEMO_RANDOM_SEED, seedCleanAccount, seedDemoAccount, type SeededAccount } from '../../src/demo/seed-compromise.js';
import { ROOT } from './cli.js';
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

/** Creates or deletes an IAM user in the demo account, as an intruder (or a responder) would between two runs. */
export async function demoUser(action: 'create' | 'delete', name: string): Promise<void> {
  const clients = demoClients();
  try {
    await clients.iam.send(action === 'create' ? new CreateUserCommand({ UserName: name }) : new DeleteUserCommand({ UserName: name }));
  } finally {
    clients.destroy();
  }
}

/** The example baseline with the incident closed and root MFA not demanded, which the seeded clean account passes; written to `file`. */
export function writeCleanBaseline(file: string): string {
  const example = readFileSync(path.join(ROOT, 'baselines/example.yaml'), 'utf8');
  writeFileSync(file, example.replace(/\nincident:[\s\S]*$/, '\n').replace('mfa: required', 'mfa: optional'));
  return file;
}
