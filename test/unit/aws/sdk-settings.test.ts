/**
 * The SDK's settings from the environment (sdk-settings.ts): looked up once
 * for every client that shares them, and still the values each client would
 * have found itself. Where a request would go is read at the SDK's build step,
 * after its endpoint is resolved, and the request stops there: nothing is sent.
 */
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../../../src/aws/clients.js';
import { SdkSettings } from '../../../src/aws/sdk-settings.js';

class Stopped extends Error {
  constructor(readonly url: string) {
    super(url);
  }
}

interface Sendable {
  middlewareStack: { add(mw: unknown, options: unknown): void };
  send(command: unknown): Promise<unknown>;
}

/** Where the client would send the command. */
async function destination(client: Sendable, command: unknown): Promise<string> {
  client.middlewareStack.add(
    () => async (args: { request: { protocol: string; hostname: string; port?: number; path: string } }) => {
      const r = args.request;
      throw new Stopped(`${r.protocol}//${r.hostname}${r.port ? `:${r.port}` : ''}${r.path}`);
    },
    { step: 'build', name: 'stopBeforeSending', priority: 'high' },
  );
  try {
    await client.send(command);
  } catch (err) {
    if (err instanceof Stopped) return err.url;
    throw err;
  }
  throw new Error('the request was not stopped');
}

/** Counts how often the SDK reads the named variables (present or not) while `act` runs. */
async function readsOf(names: string[], act: () => Promise<void>): Promise<number> {
  const real = process.env;
  let reads = 0;
  const count = (key: string | symbol) => {
    if (typeof key === 'string' && names.includes(key)) reads++;
  };
  process.env = new Proxy(real, {
    get: (target, key) => (count(key), Reflect.get(target, key)),
    has: (target, key) => (count(key), Reflect.has(target, key)),
  });
  try {
    await act();
  } finally {
    process.env = real;
  }
  return reads;
}

const options = { ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' };
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

describe('SDK settings shared by clients', () => {
  const made: AwsClients[] = [];
  const clients = (sdk?: SdkSettings) => {
    const c = new AwsClients(options, async () => ({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' }), sdk);
    made.push(c);
    return c;
  };
  afterEach(() => {
    for (const c of made.splice(0)) c.destroy();
    vi.unstubAllEnvs();
  });

  it('are the values each client would find: FIPS endpoints', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', '');
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'true');
    const run = new SdkSettings();
    for (const c of [clients(run), clients(run)]) {
      for (const region of REGIONS) {
        expect(await destination(c.ec2(region), new DescribeInstancesCommand({}))).toBe(`https://ec2-fips.${region}.amazonaws.com/`);
        expect(await destination(c.lambda(region), new ListFunctionsCommand({}))).toBe(`https://lambda-fips.${region}.amazonaws.com/2015-03-31/functions`);
      }
    }
  });

  it("are the values each client would find: a service's own endpoint for that service only, in every region", async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', '');
    vi.stubEnv('AWS_ENDPOINT_URL_LAMBDA', 'http://127.0.0.1:4599');
    const run = new SdkSettings();
    for (const c of [clients(run), clients(run)]) {
      for (const region of REGIONS) {
        expect(await destination(c.ec2(region), new DescribeInstancesCommand({}))).toBe(`https://ec2.${region}.amazonaws.com/`);
        expect(await destination(c.lambda(region), new ListFunctionsCommand({}))).toBe('http://127.0.0.1:4599/2015-03-31/functions');
      }
    }
  });

  it('are looked up once for every client that shares them, across instances (an org run\'s accounts), not once per client', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', '');
    const looked = ['AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT', 'AWS_SDK_UA_APP_ID', 'AWS_AUTH_SCHEME_PREFERENCE', 'AWS_ENDPOINT_URL_LAMBDA', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'];
    const one = await readsOf(looked, async () => {
      await destination(clients().lambda('us-east-1'), new ListFunctionsCommand({}));
    });
    expect(one).toBeGreaterThan(0);
    const run = new SdkSettings();
    const many = await readsOf(looked, async () => {
      for (const c of [clients(run), clients(run)]) for (const region of REGIONS) await destination(c.lambda(region), new ListFunctionsCommand({}));
    });
    expect(many).toBe(one);
  });
});
