/**
 * A proxy on loopback between the CLI and the emulator that sees every call
 * the CLI makes, names its operation, and can stop a run at any instant that
 * matters: at the Nth change to the account, it lets the emulator carry the
 * change out, holds the answer, kills the CLI with SIGKILL and drops the
 * connection. The run dies between the call and its journal line, the worst
 * moment for a journal. It can also hold a change until told to go on, so a
 * second run can be started while the first is inside a call.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { callKind } from '../../src/aws/call-kind.js';

export interface Call {
  operation: string;
  /** The request's parameters (query protocol) or body, to tell two calls of one operation apart. */
  params: string;
  write: boolean;
}

export interface KillProxy {
  endpoint: string;
  /** Every call forwarded, in order. */
  calls: Call[];
  /** From now on, the Nth write (1-based) kills `victim` once the emulator has answered it. */
  killAt(n: number, victim: () => void): void;
  /** The next write waits until the promise this returns a release for is resolved. */
  holdNextWrite(): { reached: Promise<void>; release: () => void };
  close(): Promise<void>;
}

function operationOf(req: http.IncomingMessage, body: string): { operation: string; params: string } {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return { operation: target.split('.').pop() ?? target, params: body };
  const form = new URLSearchParams(body);
  const action = form.get('Action');
  if (action) {
    form.delete('Version');
    return { operation: action, params: form.toString() };
  }
  // REST (Lambda): a read is a GET.
  return { operation: req.method === 'GET' ? `Get ${req.url}` : `${req.method} ${req.url}`, params: body };
}

export async function startKillProxy(targetEndpoint: string): Promise<KillProxy> {
  const target = new URL(targetEndpoint);
  const calls: Call[] = [];
  let writes = 0;
  let kill: { n: number; victim: () => void } | undefined;
  let hold: { reached: () => void; gate: Promise<void> } | undefined;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const { operation, params } = operationOf(req, body.toString('utf8'));
        const internal = (req.url ?? '').startsWith('/moto-api');
        const write = !internal && !operation.startsWith('Get ') && callKind(operation) !== 'read';
        if (!internal) calls.push({ operation, params, write });
        const n = write ? ++writes : 0;
        if (write && hold) {
          const h = hold;
          hold = undefined;
          h.reached();
          await h.gate;
        }
        const answer = await forward(target, req, body);
        if (write && kill && n === kill.n) {
          kill.victim();
          res.socket?.destroy();
          return;
        }
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      })().catch(() => res.socket?.destroy());
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    killAt(n, victim) {
      writes = 0;
      kill = { n, victim };
    },
    holdNextWrite() {
      let release!: () => void;
      let reached!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const reachedP = new Promise<void>((r) => (reached = r));
      hold = { reached, gate };
      return { reached: reachedP, release };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(target: URL, req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const { 'transfer-encoding': _chunked, ...rest } = req.headers;
    const headers = { ...rest, host: target.host, 'content-length': String(body.length) };
    const out = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (c: Buffer) => parts.push(c));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(parts) }));
      answer.on('error', reject);
    });
    out.on('error', reject);
    out.end(body);
  });
}
