import { InputError, type InputProblem } from '../../src/errors.js';

/** The problems of the InputError a promise rejects with; fails if it resolves or rejects with anything else. */
export async function problemsOf(p: Promise<unknown>): Promise<InputProblem[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputError) return e.problems;
    throw e;
  }
  throw new Error('expected an InputError, none was thrown');
}
