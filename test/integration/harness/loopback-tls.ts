// `openssl s_server` on this machine's loopback, for tests that need a real TLS endpoint and no network
// namespace (the built-in TLS policies, the HTML report of a real host).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free loopback port: bind 0, read it, let it go. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

/**
 * Starts `openssl s_server -accept 127.0.0.1:PORT ...args` on a free loopback port and waits (bounded) until it
 * holds it. A port found free can be taken before s_server binds it (the ephemeral range is shared with every
 * connection on the machine): then s_server exits, and another free port is tried, a bounded number of times.
 */
export async function sServer(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, ...args], { stdio: 'ignore' });
    let exited = false;
    child.once('exit', () => (exited = true));
    const deadline = Date.now() + 15_000;
    for (;;) {
      const taken = await new Promise<boolean>((done) => {
        const probe = createServer();
        probe.once('error', () => done(true)); // the port is taken: s_server holds it, unless it has exited
        probe.listen(port, '127.0.0.1', () => probe.close(() => done(false)));
      });
      if (taken && !exited && child.exitCode === null) return { child, port };
      if (exited || child.exitCode !== null) break;
      if (Date.now() > deadline) {
        child.kill();
        throw new Error(`s_server on ${port} did not start within 15 s`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('s_server exited on each of 5 free ports');
}
