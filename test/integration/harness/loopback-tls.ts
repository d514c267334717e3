// `openssl s_server` on this machine's loopback, for tests that need a real TLS endpoint and no network
// namespace (the built-in TLS policies, the HTML report of a real host), and a private CA to sign its chain.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore', timeout: 30_000 });
}

/**
 * A private CA and a leaf it signed, made in `dir` with openssl: EC P-256 keys, the CA for ten years, the leaf
 * for 90 days for TLS servers, with the subjectAltNames (`DNS:x`, `IP:y`) and any further extension lines given.
 * `chain` is the leaf then the CA, as a server's chain file holds them.
 */
export function privateChain(
  dir: string,
  o: { caSubject: string; leafSubject: string; san: string[]; extensions?: string[] },
): { ca: string; leaf: string; key: string; chain: string } {
  const at = (f: string): string => join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '3650', '-subj', o.caSubject]);
  writeFileSync(at('leaf.ext'), [`subjectAltName = ${o.san.join(', ')}`, 'extendedKeyUsage = serverAuth', ...(o.extensions ?? []), ''].join('\n'));
  openssl(['req', '-new', ...ec, '-keyout', at('leaf.key'), '-out', at('leaf.csr'), '-subj', o.leafSubject]);
  openssl([
    'x509',
    '-req',
    '-in',
    at('leaf.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('leaf.pem'),
    '-days',
    '90',
    '-extfile',
    at('leaf.ext'),
  ]);
  execFileSync('sh', ['-c', 'cat "$1" "$2" > "$3"', 'sh', at('leaf.pem'), at('ca.pem'), at('fullchain.pem')]);
  return { ca: at('ca.pem'), leaf: at('leaf.pem'), key: at('leaf.key'), chain: at('fullchain.pem') };
}

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
