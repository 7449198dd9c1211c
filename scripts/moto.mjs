// Starts and stops the AWS emulator (moto in server mode) from the project's .venv.
// Shared by the test harness, the demo and the benchmark.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A free loopback port, picked by the kernel. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/**
 * Starts `python -m moto.server` on a free loopback port, with AWS managed
 * policies loaded, and waits until it answers. Resolves to { endpoint, pid, stop }.
 */
export async function startMoto({ timeoutMs = 30_000 } = {}) {
  const python = path.join(root, '.venv', 'bin', 'python');
  if (!existsSync(python)) {
    throw new Error('The AWS emulator is not installed: run `npm run emulator:install` (npm test does it for you).');
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // The server logs every request. Into a pipe, that log would stall the whole
  // emulator whenever the parent's event loop is busy (a full pipe blocks the
  // logging thread while it holds moto's lock), so it goes to a file instead.
  const logDir = mkdtempSync(path.join(tmpdir(), 'rollcall-moto-'));
  const logFile = path.join(logDir, 'moto.log');
  const logFd = openSync(logFile, 'w');
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    stdio: ['ignore', 'ignore', logFd],
  });
  closeSync(logFd);
  const logTail = () => {
    try {
      return readFileSync(logFile, 'utf8').slice(-4000);
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto.server exited with ${child.exitCode}: ${logTail()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto.server did not answer on ${endpoint} within ${timeoutMs / 1000} s: ${logTail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        const done = () => {
          rmSync(logDir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** Forgets every resource the emulator holds. */
export async function resetMoto(endpoint) {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
}

/** Makes the emulator's generated ids (access keys, user ids) repeatable from here on. */
export async function seedMotoRandom(endpoint, seed) {
  const res = await fetch(`${endpoint}/moto-api/seed?a=${seed}`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto seed failed: HTTP ${res.status}`);
}
