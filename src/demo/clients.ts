// The demo's seeding, for scripts/demo.mjs and the tests: not part of the package (tsconfig.build.json leaves src/demo out; npm run build:demo compiles it into build/demo).
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { RegionalClients } from './seed-regional.js';

/** Clients for seeding the demo account: one per service and region, built from `config` (endpoint, credentials) and the environment. */
export function demoClients(config: Record<string, unknown> = {}): RegionalClients & { destroy(): void } {
  const made: { destroy(): void }[] = [];
  const cache = new Map<string, unknown>();
  const get = <T extends { destroy(): void }>(key: string, make: () => T): T => {
    let c = cache.get(key) as T | undefined;
    if (!c) {
      c = make();
      cache.set(key, c);
      made.push(c);
    }
    return c;
  };
  return {
    iam: get('iam', () => new IAMClient({ region: 'us-east-1', ...config })),
    ec2: (region) => get(`ec2@${region}`, () => new EC2Client({ ...config, region })),
    lambda: (region) => get(`lambda@${region}`, () => new LambdaClient({ ...config, region })),
    destroy: () => made.forEach((c) => c.destroy()),
  };
}
