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
