/**
 * Where each value of a file the user wrote is: its line, by JSON pointer
 * (`/iam/users/2` is the line of the third user's entry, `/iam/users` the
 * line of the `users:` key). Made when the file is loaded, so that what
 * reports it in a later layer (SARIF) needs no I/O of its own.
 */
export interface SourceLines {
  /** The file as it was named (`baselines/prod.yaml`). */
  file: string;
  lines: ReadonlyMap<string, number>;
}

/**
 * The line of the value at `pointer`, or of its nearest ancestor that the
 * file has (a missing `iam.roles` falls back to `iam`); line 1 when the file
 * has none of them.
 */
export function lineAt(source: SourceLines, pointer: string): number {
  for (let p = pointer; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
    const line = source.lines.get(p);
    if (line !== undefined) return line;
  }
  return 1;
}

/** ['iam', 'users', 0] -> `/iam/users/0` (RFC 6901: `~` and `/` in a segment escaped). */
export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
