// A transport is how collectors reach a host: read files and run commands given as argument arrays.
// Local today; SSH later implements the same interface so every collector works over it unchanged.

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface Transport {
  readonly name: string;
  /** Read a text file. Rejects with an Error whose `code` is ENOENT, EACCES, ... */
  readFile(path: string): Promise<string>;
  /** List a directory's entry names. */
  readDir(path: string): Promise<string[]>;
  /** Resolve a symlink (e.g. /proc/PID/fd/N -> socket:[inode]). */
  readLink(path: string): Promise<string>;
  /**
   * Run a program with an argument array (never a shell string).
   * Resolves with the exit code even when it is non-zero; rejects with code ENOENT when the
   * program does not exist, and with code ETIMEDOUT when it overran the timeout.
   */
  exec(file: string, args: string[], opts?: { timeoutMs?: number }): Promise<ExecResult>;
}

export class TransportError extends Error {
  constructor(
    message: string,
    public readonly code: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}
