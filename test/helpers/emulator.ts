import { resetMoto } from '../../scripts/moto.mjs';

/** This worker's emulator endpoint (set by worker-setup). */
export function emulatorEndpoint(): string {
  const e = process.env.AWS_ENDPOINT_URL;
  if (!e) throw new Error('AWS_ENDPOINT_URL is not set: is test/helpers/worker-setup.ts loaded?');
  return e;
}

export async function resetEmulator(): Promise<void> {
  await resetMoto(emulatorEndpoint());
}
