import { createLogUpdate } from 'log-update';
import { terminalText } from '../report/escape.js';
import { isAccountScope, scopeLabel, servicesOf, type Progress, type ProgressEvent } from './events.js';

type Finished = Required<Pick<ProgressEvent, 'service' | 'state'>> & Pick<ProgressEvent, 'resources' | 'error'>;

/** What each scope's services reported last, in the order scopes first appeared. */
class Board {
  readonly scopes = new Map<string, Map<string, ProgressEvent>>();

  record(e: ProgressEvent): Map<string, ProgressEvent> {
    let row = this.scopes.get(e.scope);
    if (!row) this.scopes.set(e.scope, (row = new Map()));
    row.set(e.service, e);
    return row;
  }

  static finished(row: Map<string, ProgressEvent>, scope: string): Finished[] | null {
    const all = servicesOf(scope).map((s) => row.get(s));
    return all.every((e) => e && e.state !== 'start') ? (all as Finished[]) : null;
  }
}

const resourceCount = (n = 0) => `${n} resource${n === 1 ? '' : 's'}`;
const label = scopeLabel;
// Region names and error text come from AWS: every line is written through terminalText, so none can steer the terminal.
const failure = (e: ProgressEvent) => `${isAccountScope(e.scope) ? label(e.scope) : `${e.scope} ${e.service}`} incomplete: ${e.error ?? 'unknown error'}`;
const outcome = (e: Finished) => {
  const found = isAccountScope(e.service) ? resourceCount(e.resources) : `${e.service} ${e.resources ?? 0}`;
  return e.state === 'failed' ? `${found} (incomplete)` : found;
};

/** Piped or in CI: a line per finished scope, and a line per failure as it happens. */
export function plainProgress(write: (line: string) => void): Progress {
  const board = new Board();
  return {
    event(e) {
      const row = board.record(e);
      if (e.state === 'failed') write(failure(e));
      const finished = e.state === 'start' ? null : Board.finished(row, e.scope);
      if (finished) write(`${label(e.scope)}: ${finished.map(outcome).join(', ')}`);
    },
    log: write,
    done() {},
  };
}

const cell = (e: ProgressEvent | undefined, service: string) => {
  const name = isAccountScope(service) ? '' : `${service} `;
  const count = isAccountScope(service) ? resourceCount(e?.resources) : `${name}${e?.resources ?? 0}`;
  return (!e ? `${name}·` : e.state === 'start' ? `${name}…` : e.state === 'failed' ? `${name}✗` : count).padEnd(12);
};

/**
 * On a terminal: a line for IAM and for each region still running or incomplete,
 * redrawn in place, and a count of the regions finished cleanly, so that a scan
 * of every region stays a few lines high.
 */
export function liveProgress(stream: NodeJS.WriteStream): Progress {
  const board = new Board();
  const update = createLogUpdate(stream);
  const render = () => {
    const rows = [...board.scopes.entries()].map(([scope, row]) => ({ scope, row, finished: Board.finished(row, scope) }));
    const clean = rows.filter((r) => !isAccountScope(r.scope) && r.finished?.every((e) => e.state === 'done'));
    const shown = rows.filter((r) => !clean.includes(r));
    const width = Math.max(3, ...shown.map((r) => label(r.scope).length));
    const lines = shown.map(({ scope, row }) => `${label(scope).padEnd(width)}  ${servicesOf(scope).map((s) => cell(row.get(s), s)).join('')}`.trimEnd());
    if (clean.length > 0) lines.push(`${clean.length} region${clean.length === 1 ? '' : 's'} done`);
    update(lines.map(terminalText).join('\n'));
  };
  return {
    event(e) {
      board.record(e);
      render();
    },
    log(message) {
      update.clear();
      stream.write(`rollcall: ${terminalText(message)}\n`);
      render();
    },
    done() {
      const failures = [...board.scopes.values()].flatMap((row) => [...row.values()].filter((e) => e.state === 'failed'));
      render();
      update.done();
      for (const f of failures) stream.write(`rollcall: ${terminalText(failure(f))}\n`);
    },
  };
}

const quietProgress: Progress = { event() {}, log() {}, done() {} };

const inCi = (env: NodeJS.ProcessEnv) => env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';

/** Live on a terminal, plain lines when piped or in CI, nothing with --quiet. */
export function createProgress(quiet: boolean, stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): Progress {
  if (quiet) return quietProgress;
  if (stream.isTTY && !inCi(env)) return liveProgress(stream);
  return plainProgress((line) => stream.write(`rollcall: ${terminalText(line)}\n`));
}
