import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RawAnswer, RawMaterial, RawRequest, RunAnswer, Transport } from './types.js';
import { gatherWith } from './calls.js';

// node:child_process.execFile is enough here: argument arrays, a timeout and a kill signal are all we
// need, and keeping execa out of the hot start path saves module loading on every run.
export class LocalTransport implements Transport {
  readonly name = 'local';

  // Synchronous reads on purpose: /proc and /sys files are generated in memory and answer in microseconds,
  // while each fs.promises call costs a file handle, several thread-pool hops and a promise chain.
  gather(batch: readonly RawRequest[], onAnswer?: (key: string, answer: RawAnswer) => void): Promise<RawMaterial> {
    return gatherWith({ readFile: (p) => readFileSync(p, 'utf8'), readDir: (p) => readdirSync(p), readLink: (p) => readlinkSync(p), run }, batch, onAnswer);
  }

  connect(host: string, port: number, timeoutMs: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host, port, autoSelectFamily: false });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(Object.assign(new Error(`connect ${host}:${port}: no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }
}

function run(argv: readonly string[], timeout: number): Promise<RunAnswer> {
  const [file, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout, stderr, exitCode: 0 });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
        const fail = (code: string, message: string) => reject(Object.assign(new Error(message), { code }));
        if (e.code === 'ENOENT') return fail('ENOENT', `${file}: command not found`);
        if (e.code === 'EACCES') return fail('EACCES', `${file}: permission denied`);
        if (e.killed) return fail('ETIMEDOUT', `${argv.join(' ')}: timed out after ${timeout} ms`);
        if (typeof e.code === 'number') return resolve({ stdout, stderr, exitCode: e.code });
        fail(String(e.code ?? 'EIO'), `${file}: ${e.message}`);
      },
    );
  });
}
