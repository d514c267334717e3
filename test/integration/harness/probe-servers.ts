// The Python servers the live-probe tests run inside a test host: `python3 servers.py MODE ADDR PORT [ARGS]`
// with MODE http (ARGS: seconds /slow sleeps), https (ARGS: cert key), reset, garbage or swallow (UDP).
// Each prints READY once it listens and exits when its stdin closes (the test that started it is gone).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { run } from './netns.js';

/**
 * What every Python script a test starts begins with (after its imports of os, sys, threading): exit when the
 * test that started it is gone (its stdin closes).
 */
export const PY_EXIT_WITH_PARENT = String.raw`
def watch_parent():
    try:
        sys.stdin.buffer.read()
    finally:
        os._exit(0)

threading.Thread(target=watch_parent, daemon=True).start()
`;

/** The test servers' start: PY_EXIT_WITH_PARENT, then read MODE ADDR PORT. */
export const PY_SERVER_PRELUDE = `${PY_EXIT_WITH_PARENT}mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
`;

export const PROBE_SERVERS_PY = String.raw`
import os, socket, socketserver, ssl, struct, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Server(ThreadingHTTPServer):
    # HTTPServer.server_bind looks its own address up in DNS, which the namespace cannot reach.
    def server_bind(self):
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

${PY_SERVER_PRELUDE}
class H(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_GET(self):
        path = self.path.split('?')[0]
        status, headers, body = 200, [], b'hello plumbline'
        if path == '/redirect':
            status, headers, body = 301, [('Location', '/target?from=redirect')], b'moved'
        elif path == '/hsts':
            headers = [('Strict-Transport-Security', 'max-age=63072000; includeSubDomains')]
        elif path == '/hsts-twice':
            headers = [('Strict-Transport-Security', 'max-age=31536000; includeSubDomains'), ('Strict-Transport-Security', 'max-age=0')]
        elif path == '/hsts-no-max-age':
            headers = [('Strict-Transport-Security', 'includeSubDomains; preload')]
        elif path == '/slow':
            time.sleep(float(sys.argv[4]))
        elif path == '/big':
            body = b'x' * 200000
        self.send_response(status)
        for k, v in headers + [('Content-Length', str(len(body))), ('X-Probe', 'One'), ('X-Probe', 'Two')]:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass

def listen():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)
    return s

if mode in ('http', 'https'):
    srv = Server((addr, port), H)
    if mode == 'https':
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[4], sys.argv[5])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print('READY', flush=True)
    srv.serve_forever()
elif mode == 'reset':
    s = listen()
    print('READY', flush=True)
    while True:
        c, _ = s.accept()
        c.settimeout(2)
        try:
            c.recv(4096)
        except OSError:
            pass
        # Linger zero: close() sends RST instead of FIN.
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        c.close()
elif mode == 'garbage':
    s = listen()
    print('READY', flush=True)
    held = []
    while True:
        c, _ = s.accept()
        c.sendall(b'SSH-2.0-OpenSSH_9.6\r\n')
        held.append(c)
elif mode == 'swallow':
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    print('READY', flush=True)
    while True:
        s.recvfrom(65535)
`;

/**
 * Starts a line-speaking program (one of the scripts above) inside network namespace `ns` and, unless `ready` is
 * null, waits (at most 10 s) for its first line matching `ready`; `onLine` sees every line. The child goes into
 * `children`, which the test stops when it ends.
 */
export async function startInNs(
  ns: string,
  argv: string[],
  ready: RegExp | null,
  children: ChildProcess[],
  onLine?: (l: string) => void,
): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['pipe', 'pipe', 'ignore'] });
  children.push(child);
  child.stdin?.on('error', () => {});
  if (!ready) return child;
  const line = await new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 10_000);
    createInterface({ input: child.stdout! }).on('line', (l) => {
      onLine?.(l);
      if (ready.test(l)) {
        clearTimeout(timer);
        resolve(l);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
  if (line === null) throw new Error(`${argv.join(' ')} did not start`);
  return child;
}

/** A self-signed EC certificate and key for the test servers, written into `dir`: the CN and the subjectAltName given. */
export async function selfSigned(dir: string, cn: string, san: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert];
  const gen = await run('openssl', [...args, '-days', '2', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=${san}`]);
  if (gen.exitCode !== 0) throw new Error(`openssl req: ${gen.stderr}`);
  return { cert, key };
}

/**
 * dnsmasq in the foreground answering only what it is told (no upstream, no hosts file, no configuration file),
 * on `address` port 53: `records` are its options that make the zone (`--address=/app.test/198.18.0.2` ...).
 */
export function dnsmasqArgv(dir: string, address: string, records: readonly string[]): string[] {
  return [
    'dnsmasq',
    '--no-daemon',
    '--no-resolv',
    '--no-hosts',
    '--conf-file=/dev/null',
    `--pid-file=${join(dir, 'dnsmasq.pid')}`,
    `--listen-address=${address}`,
    '--bind-interfaces',
    '--port=53',
    ...records,
  ];
}
