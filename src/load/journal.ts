import { readFileSync } from 'node:fs';
import { InputError, type InputProblem } from '../errors.js';
import { describeErrors } from './ajv-messages.js';
import { definitionValidator, MAX_PROBLEMS } from './schemas.js';

const LINE_TYPES = ['header', 'run', 'step', 'intent'] as const;
type LineType = (typeof LINE_TYPES)[number];

/**
 * Checks a journal (JSON Lines, as apply and undo write it) line by line
 * against the journal schema: a header first and only first, then run, intent
 * and step lines. A last line without a newline was torn by a crash: apply and
 * undo ignore it, and so does this check.
 */
export function checkJournal(file: string): InputProblem[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw InputError.at({ file }, `cannot read: ${(e as Error).message}`);
  }
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = complete.split('\n').slice(0, -1);
  const problems: InputProblem[] = [];
  for (const [i, raw] of lines.entries()) {
    if (problems.length >= MAX_PROBLEMS) {
      problems.push({ file, message: '... and possibly more problems' });
      break;
    }
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      problems.push({ file, line, message: `not a JSON line: ${(e as Error).message}` });
      continue;
    }
    const type = (value as { type?: unknown } | null)?.type;
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !(LINE_TYPES as readonly unknown[]).includes(type)) {
      problems.push({ file, line, path: '/type', message: `a journal line is an object whose type is one of ${LINE_TYPES.join(', ')}` });
      continue;
    }
    if ((line === 1) !== (type === 'header')) {
      problems.push({ file, line, path: '/type', message: line === 1 ? `the first line must be the header (got a ${String(type)} line)` : 'a header line may only come first' });
      continue;
    }
    const validate = definitionValidator('journal', type as LineType);
    if (validate(value)) continue;
    for (const d of describeErrors(validate.errors ?? [])) problems.push({ file, line, path: d.pointer, message: d.message });
  }
  if (lines.length === 0) problems.push({ file, message: 'no complete line: a journal starts with its header line' });
  return problems;
}
