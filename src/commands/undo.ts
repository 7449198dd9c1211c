import { undoJournal } from '../apply/undo.js';
import type { ExitCode } from '../exit-codes.js';
import { runChange } from './changing.js';
import type { GlobalOptions } from './options.js';

export interface UndoCommandOptions extends GlobalOptions {
  yes?: boolean;
}

export function runUndo(journalFile: string, o: UndoCommandOptions): Promise<ExitCode> {
  return runChange(o, 'undo', (io) => undoJournal({ ...io, journalFile }));
}
