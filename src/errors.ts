/** Where a problem in a user's file is. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** JSON pointer to the offending value, e.g. `/iam/users/2/name`. */
  path?: string;
}

export interface InputProblem extends SourceLocation {
  message: string;
}

/**
 * Bad input from the user: a file, an option, a baseline for another account.
 * The CLI prints it as one screen (no stack trace) and exits with code 2.
 */
export class InputError extends Error {
  constructor(readonly problems: InputProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'InputError';
  }

  static at(location: SourceLocation, message: string): InputError {
    return new InputError([{ ...location, message }]);
  }
}

export function formatProblem(p: InputProblem): string {
  let where = p.file;
  if (p.line !== undefined) where += `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}`;
  const at = p.path !== undefined && p.path !== '' ? ` at ${p.path}` : '';
  return `${where}${at}: ${p.message}`;
}

/** AWS could not be reached or refused the whole audit (no credentials, STS failed). Exit code 3. */
export class AwsFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AwsFailure';
  }
}

/** Apply will not run at all: the plan or journal does not fit the account, the caller or the options. Exit code 2. */
export class ApplyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApplyRefused';
  }
}
