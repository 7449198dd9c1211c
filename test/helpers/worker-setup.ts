import { inject } from 'vitest';

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
