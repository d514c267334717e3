// What the TLS audit tests run inside a test host, and how they read the scanners they compare against:
// - `openssl s_server` argument lists over the fixture certificates;
// - an nginx configuration in Mozilla's intermediate shape, every path in a temp dir;
// - Python fault servers that read the ClientHello and then reset the connection (SO_LINGER 0) or answer it
//   with bytes that are no TLS;
// - a wrapper that runs a program in a private mount namespace with its own /etc/hosts and /etc/resolv.conf,
//   so a name can resolve to two test addresses without touching this machine's files;
// - minimal readers of `sslscan --no-colour` and `testssl --color 0` protocol lines.
import { join } from 'node:path';
import { withBindMounts } from './netns.js';
import { PY_SERVER_PRELUDE } from './probe-servers.js';

export type TlsVersionName = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export const TLS_VERSIONS: readonly TlsVersionName[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/**
 * `python3 tls-faults.py MODE ADDR PORT`, MODE reset (read one TLS record, then close with RST) or garbage (read
 * one TLS record, then send bytes that are no TLS and no HTTP, and hold the connection until the peer closes).
 * Prints READY once it listens; exits when its stdin closes (the test that started it is gone).
 */
export const TLS_FAULTS_PY = String.raw`
import os, socket, struct, sys, threading
${PY_SERVER_PRELUDE}GARBAGE = b'\x00\xff\x13\x37 garbage after the ClientHello \xde\xad\xbe\xef\r\n' * 8

def read_record(c):
    buf = b''
    while len(buf) < 5:
        d = c.recv(4096)
        if not d:
            return False
        buf += d
    n = struct.unpack('>H', buf[3:5])[0]
    while len(buf) < 5 + n:
        d = c.recv(4096)
        if not d:
            return False
        buf += d
    return True

def serve(c):
    try:
        c.settimeout(10)
        got = read_record(c)
        if mode == 'reset':
            # Linger zero: close() sends RST instead of FIN.
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            c.close()
            return
        if got:
            c.sendall(GARBAGE)
        while c.recv(4096):
            pass
    except OSError:
        pass
    finally:
        try:
            c.close()
        except OSError:
            pass

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(64)
print('READY', flush=True)
while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
`;

export interface SServerSpec {
  /** Fixture base name: `<cert>.crt` and `<cert>.key` in the certificate dir. */
  cert: string;
  /** A file of the certificate dir sent after the leaf (`intermediate-ca.crt`). */
  chain?: string;
  /** Further s_server options (`-tls1_3`, `-cipher ...`, `-alpn h2,http/1.1`). */
  args?: string[];
}

/**
 * `openssl s_server -www` on ADDR:PORT. No default CA store: OpenSSL would otherwise complete a chain a test
 * means to leave incomplete. -naccept is left unbounded, so it answers every probe and scanner in turn.
 */
export function sServerArgv(certDir: string, address: string, port: number, s: SServerSpec): string[] {
  const argv = ['openssl', 's_server', '-accept', `${address}:${port}`, '-cert', join(certDir, `${s.cert}.crt`), '-key', join(certDir, `${s.cert}.key`)];
  if (s.chain) argv.push('-cert_chain', join(certDir, s.chain));
  argv.push('-no-CAfile', '-no-CApath', '-no-CAstore', '-www', '-quiet', ...(s.args ?? []));
  return argv;
}

/** Mozilla's server-side TLS guidelines 6.0, intermediate, for nginx: the TLS 1.2 ciphers in OpenSSL's names. */
const MOZILLA_INTERMEDIATE_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/**
 * An nginx configuration as Mozilla's generator writes the intermediate one, with every file nginx writes (pid,
 * logs, temp dirs) under `dir`. `http2` is a `listen` parameter before nginx 1.25.1 and a directive after.
 */
export function nginxConfig(o: { dir: string; address: string; port: number; cert: string; key: string; http2: 'listen' | 'directive' | 'none' }): string {
  const d = o.dir;
  return `worker_processes 1;
pid ${join(d, 'nginx.pid')};
error_log ${join(d, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log ${join(d, 'access.log')};
  client_body_temp_path ${join(d, 'client_body')};
  proxy_temp_path ${join(d, 'proxy')};
  fastcgi_temp_path ${join(d, 'fastcgi')};
  uwsgi_temp_path ${join(d, 'uwsgi')};
  scgi_temp_path ${join(d, 'scgi')};
  server {
    listen ${o.address}:${o.port} ssl${o.http2 === 'listen' ? ' http2' : ''};
${o.http2 === 'directive' ? '    http2 on;\n' : ''}    ssl_certificate ${o.cert};
    ssl_certificate_key ${o.key};
    ssl_session_timeout 1d;
    ssl_session_cache shared:plumblinetls:1m;
    ssl_session_tickets off;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ${MOZILLA_INTERMEDIATE_CIPHERS};
    ssl_prefer_server_ciphers off;
    add_header Strict-Transport-Security "max-age=63072000" always;
    location / { return 200 "plumbline\\n"; }
  }
}
`;
}

/** How nginx takes http2, from its version (`nginx -v` prints `nginx version: nginx/1.22.1` on stderr). */
export function nginxHttp2Style(versionText: string, configureArgs: string): 'listen' | 'directive' | 'none' {
  if (!configureArgs.includes('--with-http_v2_module')) return 'none';
  const m = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(versionText);
  if (!m) return 'listen';
  const [maj, min, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const atLeast = maj > 1 || (maj === 1 && (min > 25 || (min === 25 && patch >= 1)));
  return atLeast ? 'directive' : 'listen';
}

/**
 * The argument list that runs `argv` in a private mount namespace in which `hostsFile` is /etc/hosts and
 * `resolvFile` is /etc/resolv.conf. The bind mounts never propagate: this machine's files stay as they are.
 */
export function withPrivateResolver(hostsFile: string, resolvFile: string, argv: readonly string[]): [string, string[]] {
  return withBindMounts(
    [
      [hostsFile, '/etc/hosts'],
      [resolvFile, '/etc/resolv.conf'],
    ],
    argv,
  );
}

export type OracleVerdict = 'accepted' | 'refused' | `unknown: ${string}`;

/**
 * sslscan 2.0.7 --no-colour: the lines after "SSL/TLS Protocols:" read `SSLv3     disabled`, `TLSv1.0   enabled`
 * ... (as test/integration/tls-versions.test.ts reads them). Its SSLv3 line can only say "disabled" with an
 * OpenSSL built without SSLv3, so for SSLv3 it agrees with a refusal by construction.
 */
/** sslscan's arguments for the protocol verdicts alone (what parseSslscan reads), against host:port. */
export function sslscanProtocols(target: string): string[] {
  return ['--no-colour', '--no-ciphersuites', '--no-fallback', '--no-renegotiation', '--no-compression', '--no-heartbleed', '--no-groups', target];
}

export function parseSslscan(out: string): Partial<Record<TlsVersionName, OracleVerdict>> {
  const names: Record<string, TlsVersionName> = { SSLv3: 'SSLv3', 'TLSv1.0': 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3' };
  const found: Partial<Record<TlsVersionName, OracleVerdict>> = {};
  for (const m of out.matchAll(/^(SSLv3|TLSv1\.[0-3])\s+(\S+)\s*$/gm)) {
    found[names[m[1]!]!] = m[2] === 'enabled' ? 'accepted' : m[2] === 'disabled' ? 'refused' : `unknown: ${m[2]}`;
  }
  return found;
}

/**
 * testssl.sh 3.0.8 --protocols --color 0: ` SSLv3      not offered (OK)`, ` TLS 1      offered (deprecated)`,
 * ` TLS 1.3    offered (OK): final`, ` TLS 1.3    not offered and downgraded to a weaker protocol`.
 */
export function parseTestssl(out: string): Partial<Record<TlsVersionName, OracleVerdict>> {
  const names: Record<string, TlsVersionName> = { SSLv3: 'SSLv3', 'TLS 1': 'TLSv1', 'TLS 1.1': 'TLSv1.1', 'TLS 1.2': 'TLSv1.2', 'TLS 1.3': 'TLSv1.3' };
  const found: Partial<Record<TlsVersionName, OracleVerdict>> = {};
  for (const m of out.matchAll(/^ (SSLv3|TLS 1(?:\.[123])?)\s{2,}(.+)$/gm)) {
    const text = m[2]!.trim();
    found[names[m[1]!]!] = /^not offered/.test(text) ? 'refused' : /^offered/.test(text) ? 'accepted' : `unknown: ${text}`;
  }
  return found;
}

/**
 * testssl.sh on a name of several addresses tests each in turn, every section opening with
 * ` Start 2026-12-01 22:44:54        -->> 198.18.204.2:443 (oracle-a.test) <<--`: the protocol lines per address.
 */
export function parseTestsslByAddress(out: string): Map<string, Partial<Record<TlsVersionName, OracleVerdict>>> {
  const starts = [...out.matchAll(/^ Start .*-->> ([0-9.]+):\d+ /gm)];
  const found = new Map<string, Partial<Record<TlsVersionName, OracleVerdict>>>();
  starts.forEach((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.index : out.length;
    found.set(m[1]!, parseTestssl(out.slice(m.index, end)));
  });
  return found;
}
