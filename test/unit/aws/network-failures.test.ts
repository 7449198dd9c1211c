/**
 * Real SDK clients (as AwsClients builds them) against a local HTTP server on
 * 127.0.0.1 that resets, stalls or throttles: which calls are sent again, how
 * many times, and what the failure is called. The server stops after each
 * test, and any socket it holds is destroyed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CreateAccessKeyCommand, GetUserCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsClients, DEFAULT_CLIENT_OPTIONS, type ClientOptions } from '../../../src/aws/clients.js';
import { failureKind } from '../../../src/aws/failure.js';
import { errorCode } from '../../../src/answers/error-info.js';

type Answer = 'reset' | 'stall' | 'throttle' | 'ok';

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const GET_USER_OK = `<GetUserResponse xmlns="${IAM_NS}"><GetUserResult><User><Path>/</Path><UserName>alice</UserName><UserId>AIDAALICE</UserId><Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></User></GetUserResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetUserResponse>`;
const THROTTLING = `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r2</RequestId></ErrorResponse>`;

interface FaultyServer {
  /** Attempts received, by query Action. */
  attempts: Record<string, number>;
  options: Partial<ClientOptions>;
  close(): Promise<void>;
}

let running: FaultyServer | undefined;
let clients: AwsClients | undefined;

/** A server answering the n-th attempt of each action as `script(action, n)` says. */
async function faultyServer(script: (action: string, n: number) => Answer): Promise<FaultyServer> {
  const sockets = new Set<Socket>();
  const attempts: Record<string, number> = {};
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const action = new URLSearchParams(body).get('Action') ?? '?';
      const n = (attempts[action] = (attempts[action] ?? 0) + 1);
      const answer = script(action, n);
      if (answer === 'reset') return req.socket.destroy();
      if (answer === 'stall') return;
      res.setHeader('content-type', 'text/xml');
      res.statusCode = answer === 'throttle' ? 400 : 200;
      res.end(answer === 'throttle' ? THROTTLING : GET_USER_OK);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // However a test ends, the server does not outlive it by much.
  const stop = setTimeout(() => void close(), 60_000).unref();
  const close = () =>
    new Promise<void>((resolve) => {
      clearTimeout(stop);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  running = { attempts, options: { endpoints: { 'iam@us-east-1': url, 'sts@us-east-1': url } }, close };
  return running;
}

function clientsFor(server: FaultyServer, limits: Partial<ClientOptions> = {}): AwsClients {
  clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1', maxAttempts: 4, transientMaxAttempts: 2, ...server.options, ...limits });
  return clients;
}

/** The call's error (it must fail). */
async function failure(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (err) {
    return err;
  }
  throw new Error('the call succeeded');
}

afterEach(async () => {
  clients?.destroy();
  clients = undefined;
  await running?.close();
  running = undefined;
});

describe('reads over a hostile network', () => {
  it('a read reset before any answer is sent again until it is answered', async () => {
    const server = await faultyServer((_, n) => (n <= 2 ? 'reset' : 'ok'));
    const out = await clientsFor(server).iam().send(new GetUserCommand({ UserName: 'alice' }));
    expect(out.User?.UserName).toBe('alice');
    expect(server.attempts).toEqual({ GetUser: 3 });
  });

  it('a read reset every time is tried maxAttempts times and fails as a connection reset, not a TimeoutError', async () => {
    const server = await faultyServer(() => 'reset');
    const err = await failure(clientsFor(server).sts().send(new GetCallerIdentityCommand({})));
    expect(server.attempts).toEqual({ GetCallerIdentity: 4 });
    expect(failureKind(err)).toBe('connection reset');
    expect(errorCode(err)).toBe('connection reset');
  });

  it('resets and throttling together are retried up to maxAttempts', async () => {
    const server = await faultyServer((_, n) => (['reset', 'throttle', 'reset'] as const)[n - 1] ?? 'ok');
    await clientsFor(server).iam().send(new GetUserCommand({ UserName: 'alice' }));
    expect(server.attempts).toEqual({ GetUser: 4 });
  });

  it('a silent endpoint costs transientMaxAttempts attempts of a read, and the failure is a response timeout', async () => {
    const server = await faultyServer(() => 'stall');
    const err = await failure(clientsFor(server, { globalRequestTimeoutMs: 300 }).iam().send(new GetUserCommand({ UserName: 'alice' })));
    expect(server.attempts).toEqual({ GetUser: 2 });
    expect(errorCode(err)).toBe('response timeout');
  });

  it('a refused connection costs transientMaxAttempts attempts and is called so', async () => {
    const server = await faultyServer(() => 'ok');
    const options = server.options;
    await server.close();
    running = undefined;
    const err = await failure(clientsFor({ ...server, options }).iam().send(new GetUserCommand({ UserName: 'alice' })));
    expect(errorCode(err)).toBe('connection refused');
    expect((err as { $metadata?: { attempts?: number } }).$metadata?.attempts).toBe(2);
  });
});

describe('writes over a hostile network', () => {
  it('a write that is not idempotent is not sent again after a reset', async () => {
    const server = await faultyServer(() => 'reset');
    const err = await failure(clientsFor(server).iam().send(new CreateAccessKeyCommand({ UserName: 'alice' })));
    expect(server.attempts).toEqual({ CreateAccessKey: 1 });
    expect(errorCode(err)).toBe('connection reset');
  });

  it('nor after a response timeout', async () => {
    const server = await faultyServer(() => 'stall');
    const err = await failure(clientsFor(server, { globalRequestTimeoutMs: 300 }).iam().send(new CreateAccessKeyCommand({ UserName: 'alice' })));
    expect(server.attempts).toEqual({ CreateAccessKey: 1 });
    expect(errorCode(err)).toBe('response timeout');
  });

  it('but is sent again when throttled, which AWS answers before doing anything', async () => {
    const server = await faultyServer((_, n) => (n <= 2 ? 'throttle' : 'reset'));
    await failure(clientsFor(server).iam().send(new CreateAccessKeyCommand({ UserName: 'alice' })));
    expect(server.attempts).toEqual({ CreateAccessKey: 3 });
  });

  it('an idempotent write keeps the standard rules: a reset is retried a bounded number of times', async () => {
    const server = await faultyServer(() => 'reset');
    await failure(clientsFor(server).iam().send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: 'AKIAX', Status: 'Inactive' })));
    expect(server.attempts).toEqual({ UpdateAccessKey: 2 });
  });
});
