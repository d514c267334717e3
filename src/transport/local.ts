import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { execFile } from 'node:child_process';
import type { ExecResult, Transport } from './types.js';
import { TransportError } from './types.js';

function settle<T>(read: () => T): Promise<T> {
  try {
    return Promise.resolve(read());
  } catch (err) {
    return Promise.reject(err);
  }
}

// node:child_process.execFile is enough here: argument arrays, a timeout and a kill signal are all we
// need, and keeping execa out of the hot start path saves module loading on every run.
export class LocalTransport implements Transport {
  readonly name = 'local';

  // Synchronous reads on purpose: /proc and /sys files are generated in memory and answer in microseconds,
  // while each fs.promises call costs a file handle, several thread-pool hops and a promise chain. Measured
  // here, the promise versions made fact collection several times slower than the reads themselves.
  readFile(path: string): Promise<string> {
    return settle(() => readFileSync(path, 'utf8'));
  }

  readDir(path: string): Promise<string[]> {
    return settle(() => readdirSync(path));
  }

  readLink(path: string): Promise<string> {
    return settle(() => readlinkSync(path));
  }

  exec(file: string, args: string[], opts: { timeoutMs?: number } = {}): Promise<ExecResult> {
    return run(file, args, opts);
  }
}

function run(file: string, args: string[], opts: { timeoutMs?: number }): Promise<ExecResult> {
  const timeout = opts.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout, stderr, exitCode: 0 });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
        if (e.code === 'ENOENT') return reject(new TransportError(`${file}: command not found`, 'ENOENT'));
        if (e.code === 'EACCES') return reject(new TransportError(`${file}: permission denied`, 'EACCES'));
        if (e.killed) return reject(new TransportError(`${[file, ...args].join(' ')}: timed out after ${timeout} ms`, 'ETIMEDOUT'));
        if (typeof e.code === 'number') return resolve({ stdout, stderr, exitCode: e.code });
        reject(new TransportError(`${file}: ${e.message}`, String(e.code ?? 'EIO')));
      },
    );
  });
}
