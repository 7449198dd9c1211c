// Runs a Node script as a child of the measuring process (the CLI under
// --import ./scripts/bench-rss.mjs, for its peak memory), stdout dropped,
// stderr kept: shared by the bench and the measure-* scripts.
import { spawn } from 'node:child_process';

/** Resolves to { status, stderr } when the child exits. */
export function runNode(cwd, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

/**
 * The measured CLI's environment: the emulator's endpoint, the bench's
 * auditor credentials, its peak memory to `dir/rss`, and a long request
 * timeout (the emulator's first answers for thousands of instances are slow,
 * the warm-up, not AWS-like).
 */
export function auditorEnv(endpoint, dir) {
  return {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIABENCHAUDITOR0001',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'us-east-1',
    ROLLCALL_BENCH_RSS_FILE: `${dir}/rss`,
    ROLLCALL_REQUEST_TIMEOUT: '180',
  };
}
