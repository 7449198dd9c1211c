import { beforeAll, inject } from 'vitest';
import { resetMoto } from '../../scripts/moto.mjs';

// Point the AWS SDK at this worker's emulator through its standard variable, with dummy credentials.
const endpoints = inject('motoEndpoints');
const poolId = Number(process.env.VITEST_POOL_ID ?? '1');
const endpoint = endpoints[(poolId - 1) % endpoints.length];
if (!endpoint) throw new Error('no emulator endpoint was provided to this worker');
process.env.AWS_ENDPOINT_URL = endpoint;
process.env.AWS_ACCESS_KEY_ID = 'AKIAROLLCALLTEST0001';
process.env.AWS_SECRET_ACCESS_KEY = 'rollcall-test-dummy-secret';
process.env.AWS_REGION = 'us-east-1';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// Each file starts from an empty emulator, whatever the file before it in this worker left;
// tests that need a clean account within a file reset it themselves.
beforeAll(async () => {
  await resetMoto(endpoint);
});
