/**
 * How apply writes a secret it creates (a replacement key's secret, a reset
 * console password): to a new file in the secrets folder, and nowhere else.
 * The file is claimed before the secret exists (created exclusively, mode
 * 0600, in a folder made 0700), so a crash leaves an empty file to explain,
 * never a secret nobody saw; the text is written and flushed to disk in one
 * go. The secret is never logged, printed, returned or journaled: callers log
 * the file's path only.
 */
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';

export interface SecretFile {
  /** Writes the whole text, flushes it to disk and closes the file. */
  write(text: string): void;
  /** Closes the file if still open and removes it (the secret it was meant for was not made, or must not stay). */
  abandon(): void;
}

/** Claims `file` (in `secretsDir`) for a secret: it must not exist yet (EEXIST otherwise). */
export function claimSecretFile(secretsDir: string, file: string): SecretFile {
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const fd = openSync(file, 'wx', 0o600);
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    closeSync(fd);
  };
  try {
    fchmodSync(fd, 0o600); // whatever the umask
  } catch (err) {
    close();
    rmSync(file, { force: true });
    throw err;
  }
  return {
    write(text) {
      writeSync(fd, text);
      fsyncSync(fd);
      close();
    },
    abandon() {
      close();
      rmSync(file, { force: true });
    },
  };
}
