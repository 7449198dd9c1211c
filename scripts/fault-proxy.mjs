// A fault-injecting proxy for the AWS emulator, on loopback only: point
// AWS_ENDPOINT_URL at it and it forwards each request to the emulator,
// except that, with the probabilities given, it
//   - throttles: answers as the service itself throttles, in its protocol's
//     shape, without forwarding (IAM and STS: HTTP 400 `Throttling` in query
//     XML; EC2: HTTP 503 `RequestLimitExceeded` in EC2's XML; Lambda: HTTP 429
//     `TooManyRequestsException` in REST-JSON; the Tagging API: HTTP 400
//     `ThrottledException` in JSON 1.1), or, one time in two, HTTP 503
//     `SlowDown` in the same shape. The SDK reads every one of these codes
//     as throttling (@smithy/core/retry THROTTLING_ERROR_CODES);
//   - resets: destroys the client's connection with a TCP reset instead of
//     answering, one time in two before forwarding (the emulator never sees
//     the request), else after the emulator answered (it did the work; the
//     answer is lost), so that a client cannot tell which.
// Only signed AWS requests are faulted (the service is read from the SigV4
// credential scope); the emulator's own API (/moto-api/) passes untouched.
// The proxy stops by itself after `lifetimeMs` (default 30 minutes).
//
// As a script: node scripts/fault-proxy.mjs --target http://127.0.0.1:PORT
//   [--throttle 0.3] [--reset 0.05] [--seed N] [--for SECONDS]
// prints the proxy's endpoint, and a tally of what it did when it stops
// (after --for seconds, or on SIGINT/SIGTERM).
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const SCOPE = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A small seeded generator (mulberry32), so that a run's faults can be replayed from its seed. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUERY_NAMESPACE = { iam: 'https://iam.amazonaws.com/doc/2010-05-08/', sts: 'https://sts.amazonaws.com/doc/2011-06-15/' };

/**
 * The service's throttling answer, as AWS gives it: { status, headers, body }.
 * `slowDown` asks for HTTP 503 `SlowDown` in the same protocol's shape.
 */
export function throttlingAnswer(service, slowDown) {
  const id = randomUUID();
  const xml = { 'content-type': 'text/xml' };
  switch (service) {
    case 'iam':
    case 'sts': {
      const [status, code, message] = slowDown ? [503, 'SlowDown', 'Please reduce your request rate.'] : [400, 'Throttling', 'Rate exceeded'];
      const body = `<ErrorResponse xmlns="${QUERY_NAMESPACE[service]}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
      return { status, headers: { ...xml, 'x-amzn-requestid': id }, body };
    }
    case 'ec2': {
      const [code, message] = slowDown ? ['SlowDown', 'Please reduce your request rate.'] : ['RequestLimitExceeded', 'Request limit exceeded.'];
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`;
      return { status: 503, headers: xml, body };
    }
    case 'lambda': {
      const [status, code] = slowDown ? [503, 'SlowDown'] : [429, 'TooManyRequestsException'];
      const body = JSON.stringify({ Reason: 'CallerRateLimitExceeded', Type: 'User', message: 'Rate exceeded' });
      return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': `${code}:http://internal.amazon.com/coral/com.amazonaws.awsgirassol/`, 'x-amzn-requestid': id }, body };
    }
    default: {
      // The Resource Groups Tagging API (service `tagging`) and any other JSON 1.1 service.
      const [status, code] = slowDown ? [503, 'SlowDown'] : [400, 'ThrottledException'];
      const body = JSON.stringify({ __type: code, Message: 'Rate exceeded' });
      return { status, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': id }, body };
    }
  }
}

/**
 * Starts the proxy in front of `target` (a loopback URL). Resolves to
 * { endpoint, tally, stop }: tally counts requests forwarded, throttled and
 * reset (before or after the emulator answered), by service.
 */
export async function startFaultProxy({ target, throttle = 0.3, reset = 0.05, seed = Date.now(), lifetimeMs = 30 * 60_000 }) {
  const to = new URL(target);
  if (to.protocol !== 'http:' || !LOOPBACK.has(to.hostname)) throw new Error(`the proxy forwards to a loopback http endpoint only, not ${target}`);
  if (!(throttle >= 0 && reset >= 0 && throttle + reset <= 1)) throw new Error('throttle and reset are probabilities whose sum is at most 1');
  const next = random(seed);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const tally = { forwarded: 0, throttled: 0, resetBefore: 0, resetAfter: 0, byService: {} };
  const count = (service, what) => {
    tally[what]++;
    const s = (tally.byService[service] ??= { requests: 0, throttled: 0, reset: 0 });
    if (what === 'throttled') s.throttled++;
    else if (what.startsWith('reset')) s.reset++;
  };
  const sockets = new Set();

  const forward = (req, body) =>
    new Promise((resolve, reject) => {
      const out = http.request(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers, agent },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const scope = SCOPE.exec(req.headers.authorization ?? '');
      const service = scope?.[2];
      if (service) (tally.byService[service] ??= { requests: 0, throttled: 0, reset: 0 }).requests++;
      const roll = service ? next() : 1;
      if (roll < throttle) {
        count(service, 'throttled');
        const answer = throttlingAnswer(service, next() < 0.5);
        res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
        return res.end(answer.body);
      }
      const resetting = roll < throttle + reset;
      const beforeForwarding = resetting && next() < 0.5;
      if (beforeForwarding) {
        count(service, 'resetBefore');
        return req.socket.resetAndDestroy();
      }
      let answer;
      try {
        answer = await forward(req, body);
      } catch (err) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        return res.end(`fault-proxy: the emulator did not answer: ${err.message}`);
      }
      if (resetting) {
        count(service, 'resetAfter');
        return req.socket.resetAndDestroy();
      }
      tally.forwarded++;
      const headers = { ...answer.headers };
      delete headers['transfer-encoding'];
      delete headers.connection;
      headers['content-length'] = String(answer.body.length);
      res.writeHead(answer.status, headers);
      res.end(answer.body);
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  let stopped;
  const stop = () =>
    (stopped ??= new Promise((resolve) => {
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      agent.destroy();
      server.close(() => resolve());
    }));
  const timer = setTimeout(stop, lifetimeMs);
  timer.unref();
  return { endpoint: `http://127.0.0.1:${port}`, tally, stop };
}

function parseArgs(argv) {
  const o = { throttle: 0.3, reset: 0.05, seed: Date.now(), seconds: 1800, target: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} takes a value`);
      return v;
    };
    if (a === '--target') o.target = value();
    else if (a === '--throttle') o.throttle = Number(value());
    else if (a === '--reset') o.reset = Number(value());
    else if (a === '--seed') o.seed = Number(value());
    else if (a === '--for') o.seconds = Number(value());
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.target) throw new Error('--target URL (the emulator) is required');
  if (!(o.seconds > 0)) throw new Error('--for takes a number of seconds');
  return o;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`fault-proxy: ${err.message}\n`);
    process.exit(2);
  }
  const proxy = await startFaultProxy({ target: o.target, throttle: o.throttle, reset: o.reset, seed: o.seed, lifetimeMs: o.seconds * 1000 });
  process.stdout.write(`${proxy.endpoint}\n`);
  process.stderr.write(`fault-proxy: ${o.throttle * 100}% throttled, ${o.reset * 100}% reset, seed ${o.seed}, for ${o.seconds} s\n`);
  const end = async () => {
    await proxy.stop();
    process.stderr.write(`fault-proxy: ${JSON.stringify(proxy.tally)}\n`);
    process.exit(0);
  };
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
  setTimeout(end, o.seconds * 1000);
}
