// rollcall's main job, on an emulated account: seed a realistic compromise into
// the AWS emulator, audit it against baselines/example.yaml, print the report.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { seedMotoRandom, startMoto } from './moto.mjs';
import { demoClients } from '../dist/demo/clients.js';
import { DEMO_RANDOM_SEED, seedDemoAccount } from '../dist/demo/seed-compromise.js';

// The pinned SDK supports Node 20; its notice about future releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
const say = (m) => process.stderr.write(`demo: ${m}\n`);

say('starting the AWS emulator (moto server) ...');
const moto = await startMoto();
let code = 0;
try {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIADEMOAUDITOR00001',
    AWS_SECRET_ACCESS_KEY: 'demo-only-not-a-secret',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  await seedMotoRandom(moto.endpoint, DEMO_RANDOM_SEED);
  const clients = demoClients({ endpoint: moto.endpoint, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } });
  await seedDemoAccount(clients, '123456789012');
  clients.destroy();
  say(`seeded account 123456789012 at ${moto.endpoint}: the legitimate setup of baselines/example.yaml, plus an intruder's leftovers in IAM and in far regions`);
  say('running: rollcall audit --baseline baselines/example.yaml');
  say('');
  const audit = spawnSync(process.execPath, ['dist/cli.js', 'audit', '--baseline', 'baselines/example.yaml'], { cwd: root, env, stdio: 'inherit' });
  say('');
  say(`rollcall exited with ${audit.status} (1: violations at or above --fail-on, as expected for a compromised account)`);
  code = audit.status === 1 ? 0 : 1;
} finally {
  await moto.stop();
}
process.exit(code);
