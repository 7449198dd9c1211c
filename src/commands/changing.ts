import { createInterface } from 'node:readline/promises';
import type { AwsClients } from '../aws/clients.js';
import { InputError } from '../errors.js';
import type { ExitCode } from '../exit-codes.js';
import { terminalText } from '../report/escape.js';
import { makeClients, makeLog, type GlobalOptions } from './options.js';

/**
 * How a command that changes the account gets its go-ahead: --yes, or a
 * person answering `yes` on a terminal. Without a terminal and without --yes
 * it refuses before doing anything (exit 2): CI must say --yes explicitly.
 */
export function confirmation(o: { yes?: boolean }, what: string): ((summary: string) => Promise<boolean>) | undefined {
  if (o.yes) return undefined;
  if (!process.stdin.isTTY) {
    throw InputError.at({ file: '--yes' }, `refusing to ${what} without confirmation: no terminal to ask on; pass --yes to ${what} non-interactively (or --dry-run to see what would be done)`);
  }
  return async () => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question(`Proceed to ${what}? Only 'yes' is accepted: `);
      return answer.trim() === 'yes';
    } finally {
      rl.close();
    }
  };
}

/**
 * What apply and undo hand their engine: clients, result lines to stdout, executor logs to stderr, and the confirmation if one is needed.
 * `out` and `log` take one line each, and show any control character in it as visible text (`terminalText`): lines quote names and errors from AWS.
 */
export interface ChangeIo {
  clients: AwsClients;
  out: (line: string) => void;
  log: (line: string) => void;
  confirm?: (summary: string) => Promise<boolean>;
}

/** Runs `work` with the clients and output of a command that changes the account; its exit code is the command's. */
export async function runChange(o: GlobalOptions & { yes?: boolean }, what: string | undefined, work: (io: ChangeIo) => Promise<{ exitCode: ExitCode }>): Promise<ExitCode> {
  const confirm = what === undefined ? undefined : confirmation(o, what);
  const clients = await makeClients(o);
  try {
    const io: ChangeIo = { clients, out: (line) => process.stdout.write(`${terminalText(line)}\n`), log: makeLog(o), ...(confirm ? { confirm } : {}) };
    return (await work(io)).exitCode;
  } finally {
    clients.destroy();
  }
}
