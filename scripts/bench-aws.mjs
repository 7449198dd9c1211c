// The benchmark's stand-in for AWS's shape. On AWS every region is a separate
// endpoint whose servers answer in parallel, reached over a network whose
// round trip grows with distance. One moto process is none of that: it
// serialises every request of every region, and spends ~8 ms of CPU on even an
// empty list, on the same two cores as the client being measured. So the
// router in front of it:
//   - reads each request's region and service from its SigV4 credential scope
//     and holds the request for that region's round trip (RTT_MS);
//   - records every answer while `record` is on (the warm-up audit), and once
//     `replay` is on, serves the same request's recorded answers, in order, from
//     memory: the emulator does no work during the timed runs, and what is timed
//     is the client (its concurrency, its parsing) and the network's shape.
//   - pages ListFunctions as AWS does (MaxItems, at most 50 a page, with a
//     Marker), which moto ignores: a region's 667 functions are 14 round
//     trips on AWS, not one. (DescribeInstances pages by reservation in moto;
//     bench.mjs seeds one instance per reservation so that its pages match.)
// A request never seen in the warm-up goes to the emulator and counts as a miss.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { startMoto } from './moto.mjs';

/**
 * Round trips in ms from a runner in us-east-1 to each region's endpoints,
 * rounded from public inter-region latency tables; IAM and STS answer from
 * us-east-1. Regions not listed get DEFAULT_RTT_MS.
 */
export const RTT_MS = {
  'us-east-1': 5, 'us-east-2': 15, 'us-west-1': 65, 'us-west-2': 70, 'ca-central-1': 20,
  'sa-east-1': 115, 'eu-west-1': 70, 'eu-west-2': 75, 'eu-west-3': 80, 'eu-central-1': 90,
  'eu-north-1': 105, 'ap-south-1': 190, 'ap-northeast-1': 150, 'ap-northeast-2': 180,
  'ap-northeast-3': 160, 'ap-southeast-1': 220, 'ap-southeast-2': 200,
};
const DEFAULT_RTT_MS = 150;
const GLOBAL = new Set(['iam', 'sts']);
const SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

/**
 * Where a request goes, and with which access key, read from its
 * Authorization header: { keyId, region, service }, or null (moto-api calls).
 * The key tells accounts apart (the org scenario: each member's calls are
 * signed with the credentials of its role, which replay gives back the same).
 */
function scopeOf(authorization) {
  const m = SCOPE.exec(authorization ?? '');
  return m ? { keyId: m[1], region: m[2], service: m[3] } : null;
}

/** The round trip to a scope's endpoint. */
export const rttOf = (scope) => (!scope ? 0 : GLOBAL.has(scope.service) ? RTT_MS['us-east-1'] : (RTT_MS[scope.region] ?? DEFAULT_RTT_MS));

/** AWS's largest ListFunctions page. */
const LAMBDA_MAX_ITEMS = 50;

/**
 * moto answers ListFunctions with every function; AWS with at most MaxItems
 * (50 at most) and a NextMarker. Returns the answer as AWS would give it for
 * this request's MaxItems and Marker (the router's markers are offsets).
 */
function pageLikeAws(scope, req, answer) {
  const url = new URL(req.url, 'http://router');
  if (scope?.service !== 'lambda' || req.method !== 'GET' || url.pathname.replace(/\/$/, '') !== '/2015-03-31/functions' || answer.status !== 200) return answer;
  const all = JSON.parse(answer.body.toString('utf8'));
  const size = Math.min(Number(url.searchParams.get('MaxItems')) || LAMBDA_MAX_ITEMS, LAMBDA_MAX_ITEMS);
  const start = Number(url.searchParams.get('Marker') ?? 0);
  const page = { Functions: all.Functions.slice(start, start + size) };
  if (start + size < all.Functions.length) page.NextMarker = String(start + size);
  return { ...answer, body: Buffer.from(JSON.stringify(page)) };
}

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz on Linux)
  } catch {
    return 0;
  }
}

const readAll = (stream) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

/**
 * Starts the emulator and the router. Resolves to { endpoint, emulator,
 * mode({ latency, record, replay }), misses(), cpuSeconds(), stop() }.
 */
export async function startBenchAws() {
  const moto = await startMoto({ timeoutMs: 120_000 });
  const to = new URL(moto.endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let mode = { latency: false, record: false, replay: false };
  /** request key -> recorded answers in order; and how many of each were served in this run. */
  const recorded = new Map();
  const served = new Map();
  let misses = 0;

  const forward = (req, body) =>
    new Promise((resolve, reject) => {
      const up = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers, agent }, async (answer) => {
        try {
          resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: await readAll(answer) });
        } catch (e) {
          reject(e);
        }
      });
      up.on('error', reject);
      up.end(body);
    });

  const server = http.createServer(async (req, res) => {
    try {
      const body = await readAll(req);
      const scope = scopeOf(req.headers.authorization);
      const key = scope ? `${scope.keyId} ${scope.service} ${scope.region} ${req.method} ${req.url} ${body.toString('utf8')}` : null;
      const started = Date.now();
      let answer;
      const replays = key && mode.replay ? recorded.get(key) : undefined;
      if (replays) {
        const n = served.get(key) ?? 0;
        served.set(key, n + 1);
        answer = replays[Math.min(n, replays.length - 1)];
      } else {
        if (key && mode.replay) misses++;
        answer = pageLikeAws(scope, req, await forward(req, body));
        if (key && mode.record) recorded.set(key, [...(recorded.get(key) ?? []), answer]);
      }
      // The round trip, less what the emulator already took.
      const wait = mode.latency ? rttOf(scope) - (Date.now() - started) : 0;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const { date, connection, 'keep-alive': _k, 'transfer-encoding': _t, ...headers } = answer.headers;
      res.writeHead(answer.status, { ...headers, 'content-length': answer.body.length });
      res.end(answer.body);
    } catch (e) {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`bench router: ${e.message}`);
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    emulator: moto.endpoint,
    /** Sets latency, recording and replay; each run's replay starts from the first recorded answer again. */
    mode: (m) => {
      mode = { ...mode, ...m };
      served.clear();
    },
    misses: () => misses,
    cpuSeconds: () => cpuSeconds(moto.pid),
    stop: async () => {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
      await moto.stop();
    },
  };
}
