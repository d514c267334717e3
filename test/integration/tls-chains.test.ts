// Issue 13, "Probe verdicts you can trust on every chain and every server", end to end: the built CLI audits
// openssl s_server in a network-namespace test host serving chains in every order (in order, top-down, two
// intermediates reversed, shuffled, an extra unrelated certificate, cross-signed, an intermediate missing, a
// self-signed leaf), leaves of every naming (CN only, wildcards, a partial wildcard, an IP address SAN and an IP
// written as a DNS name), handshakes a default client does not finish (TLS 1.3 CCM-only, ChaCha-only, FFDHE
// or P-384 only, mTLS at 1.2 and 1.3), an RSA leaf with only ECDSA suites, a tarpit, and trust shapes (an
// intermediate without basicConstraints, a root with neither basicConstraints nor keyUsage, a nonRepudiation-only
// leaf, name constraints a leaf is outside of and one it is inside, an unknown critical extension, a P-192 CA, a
// self-issued CA under pathlen:0, a leaf issued by the root itself, 17 certificates sent, a CA without keyCertSign).
//
// Every verdict is held to an oracle run on the same server, and every oracle to what its shape means (so a
// broken server set-up fails here, not in plumbline): `openssl s_client -showcerts` for the chain as sent,
// `s_client -verify_return_error -CAfile` for trust, X509_check_host with RFC 9525's flags over the leaf s_client
// saw for names (s_client -verify_hostname, OpenSSL's defaults, is run too: it still reads the CN and partial
// wildcards), sslscan and testssl.sh for versions. The certificates are made at test time (harness/chains.ts):
// several shapes are relative to now. Traffic goes only to one /24 of 198.19.190-199 (and loopback).
import { spawnSync } from 'node:child_process';
import type { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, connectFromPeer, netnsSkipReason, run } from './harness/netns.js';
import type { ExecResult } from './harness/netns.js';
import { byId, report, runCleanups, stopServersAndHost } from './harness/audit.js';
import { TLS_VERSIONS, parseSslscan, parseTestssl, sServerArgv, withPrivateResolver, sslscanProtocols } from './harness/tls-servers.js';
import type { OracleVerdict, TlsVersionName } from './harness/tls-servers.js';
import { DAY_MS, JUNK, bundle, chainsPki, parseShowcerts, rfc9525Names, sentReaches, verifyCodes, verifyErrors } from './harness/chains.js';
import type { ChainCert, Issued } from './harness/chains.js';
import type { Report } from '../../src/report/model.js';
import type { ReportResult as Result } from '../../src/report/model.js';
import { TLS_WORKER_FROM } from '../../src/facts/probes.js';
import type { TlsFact } from '../../src/facts/model.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');

const TOOLS = ['openssl', 'sslscan', 'testssl', 'unshare'];
const missingTool = TOOLS.find((t) => spawnSync('which', [t], { stdio: 'ignore' }).status !== 0);
const why = netnsSkipReason() ?? (missingTool && process.env.CI !== 'true' ? `${missingTool} is not installed` : null);
if (why) console.log(`skipping tls chain integration tests: ${why}`);

/**
 * A /24 of 198.19.190-199.0/24 (other test files hold 198.19.10-189 and 200 up) that no interface of this machine
 * uses yet, from a random start (another run may hold one).
 */
function freeSubnets(): number[] {
  const start = Math.floor(Math.random() * 10);
  const free: number[] = [];
  for (let i = 0; i < 10; i++) {
    const octet = 190 + ((start + i) % 10);
    const r = spawnSync('ip', ['-4', '-o', 'addr', 'show', 'to', `198.19.${octet}.0/24`], { timeout: 5_000 });
    if (r.status === 0 && r.stdout.toString().trim() === '') free.push(octet);
  }
  return free;
}

/** The checks of working servers: generous for a loaded 2-core machine, far from the tarpit's 2 s. */
const CHECK_TIMEOUT = '5s';
const TARPIT_TIMEOUT_MS = 2_000;
const TARPIT_PORT = 7099;
/** The tarpit audit's bound: its 2 s, half a second to end, a second for Node to start on a loaded machine. */
const TARPIT_BOUND_MS = 3_500;

interface Shape {
  /** Which address of the test host: 'ns' (most shapes, each its own port) or its own. */
  at: 'ns' | 'ccm' | 'chacha' | 'rsaecdsa' | 'rsaecdsa12' | 'ipsan' | 'dnsip';
  port: number;
  cert: ChainCert;
  /** What the server sends after the leaf, in this order. */
  chain: ChainCert[];
  /** Further s_server options. */
  args?: string[];
  /** What s_client needs to finish a handshake with it: its one TLS 1.3 suite, its one group. */
  clientArgs?: string[];
  /** The server asks for a client certificate issued by this CA, and refuses the handshake without one. */
  clientCa?: ChainCert;
  /** No client finishes a handshake with it: it has no chain to read. */
  noHandshake?: true;
}

const SHAPES = {
  inorder: { at: 'ns', port: 7001, cert: 'leaf', chain: ['int1'] },
  topdown: { at: 'ns', port: 7002, cert: 'leaf', chain: ['root', 'int1'] },
  reverse3: { at: 'ns', port: 7003, cert: 'leaf3', chain: ['int1', 'int2'] },
  inorder3: { at: 'ns', port: 7004, cert: 'leaf3', chain: ['int2', 'int1'] },
  shuffled3: { at: 'ns', port: 7005, cert: 'leaf3', chain: ['int1', 'root', 'int2'] },
  extra: { at: 'ns', port: 7006, cert: 'leaf', chain: ['int1', 'extra'] },
  cross: { at: 'ns', port: 7007, cert: 'leafx', chain: ['intx', 'cross'] },
  missing: { at: 'ns', port: 7008, cert: 'leaf', chain: [] },
  self: { at: 'ns', port: 7009, cert: 'self', chain: [] },
  cnonly: { at: 'ns', port: 7010, cert: 'cnonly', chain: ['int1'] },
  wild: { at: 'ns', port: 7011, cert: 'wild', chain: ['int1'] },
  partial: { at: 'ns', port: 7012, cert: 'partial', chain: ['int1'] },
  ipsan: { at: 'ipsan', port: 443, cert: 'ipsan', chain: ['int1'] },
  dnsip: { at: 'dnsip', port: 443, cert: 'dnsip', chain: ['int1'] },
  ccm: {
    at: 'ccm',
    port: 443,
    cert: 'leaf',
    chain: ['int1'],
    args: ['-tls1_3', '-ciphersuites', 'TLS_AES_128_CCM_SHA256'],
    clientArgs: ['-ciphersuites', 'TLS_AES_128_CCM_SHA256'],
  },
  chacha: {
    at: 'chacha',
    port: 443,
    cert: 'leaf',
    chain: ['int1'],
    args: ['-tls1_3', '-ciphersuites', 'TLS_CHACHA20_POLY1305_SHA256'],
    clientArgs: ['-ciphersuites', 'TLS_CHACHA20_POLY1305_SHA256'],
  },
  ffdhe: { at: 'ns', port: 7013, cert: 'leaf', chain: ['int1'], args: ['-tls1_3', '-groups', 'ffdhe2048'], clientArgs: ['-groups', 'ffdhe2048'] },
  p384: { at: 'ns', port: 7014, cert: 'leaf', chain: ['int1'], args: ['-groups', 'P-384'], clientArgs: ['-groups', 'P-384'] },
  mtls12: { at: 'ns', port: 7015, cert: 'leaf', chain: ['int1'], args: ['-tls1_2'], clientCa: 'unrelated' },
  mtls13: { at: 'ns', port: 7016, cert: 'leaf', chain: ['int1'], args: ['-tls1_3'], clientCa: 'unrelated' },
  // An RSA leaf and only ECDSA suites at TLS 1.2: no 1.2 handshake can complete; 1.3 can, or (12) nothing can.
  rsaecdsa: { at: 'rsaecdsa', port: 443, cert: 'rsaleaf', chain: ['int1'], args: ['-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256'] },
  rsaecdsa12: {
    at: 'rsaecdsa12',
    port: 443,
    cert: 'rsaleaf',
    chain: ['int1'],
    args: ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
    noHandshake: true,
  },
  // Trust shapes: every certificate a path needs is sent (the root aside), so each is complete.
  nobc: { at: 'ns', port: 7017, cert: 'nobcleaf', chain: ['nobcint'] },
  bareroot: { at: 'ns', port: 7018, cert: 'bareleaf', chain: ['bareint'] },
  nonrep: { at: 'ns', port: 7019, cert: 'nrleaf', chain: ['int1'] },
  ncout: { at: 'ns', port: 7020, cert: 'ncout', chain: ['ncint'] },
  ncin: { at: 'ns', port: 7021, cert: 'ncin', chain: ['ncint'] },
  crit: { at: 'ns', port: 7022, cert: 'critleaf', chain: ['critint'] },
  // OpenSSL's own security level refuses to send a P-192 CA; level 0 lets the server send it.
  weak: { at: 'ns', port: 7023, cert: 'weakleaf', chain: ['weakint'], args: ['-cipher', 'DEFAULT:@SECLEVEL=0'] },
  selfissued: { at: 'ns', port: 7024, cert: 'pl0leaf', chain: ['pl0b', 'pl0'] },
  rootleaf: { at: 'ns', port: 7025, cert: 'rootleaf', chain: [] },
  bundle17: { at: 'ns', port: 7026, cert: 'leaf', chain: ['int1', ...JUNK] },
  nocs: { at: 'ns', port: 7027, cert: 'nocsleaf', chain: ['nocsint'] },
} satisfies Record<string, Shape>;
type ShapeName = keyof typeof SHAPES;
const shape = (n: ShapeName): Shape => SHAPES[n];

interface CheckDef {
  id: string;
  shape: ShapeName;
  /** SNI and the name the leaf is checked against; null: none (the host is an IP address). Default chain.test. */
  servername?: string | null;
  /** The ca file: this certificate alone. Default the root of the good chains. */
  ca?: ChainCert;
  expect: Record<string, unknown>;
}

const DAYS14 = { daysLeft: { gte: 14 } };
const LEAF14 = { leaf: { daysLeft: { gte: 14 } } };
const GOOD = { ...LEAF14, chain: 'trusted', hostname: true };
/** Shapes 11 to 16: handshakes a default client may not finish, that must still yield the chain. */
const HANDSHAKE_SHAPES = ['ccm', 'chacha', 'ffdhe', 'p384', 'mtls12', 'mtls13'] as const;
/** Shapes 17 and 18: the version verdicts held to sslscan and testssl.sh. */
const VERSION_SHAPES = ['ccm', 'chacha', 'rsaecdsa', 'rsaecdsa12'] as const;

interface TrustShape {
  /** What `s_client -verify_return_error` says of the shape: its verify code (0: verified) and, for an error, the depth it names. */
  verify: number;
  depth?: number;
  /** plumbline's trust.code in the facts; null where openssl verifies the chain. */
  code: string | null;
  servername?: string;
  ca?: ChainCert;
}
/** The trust shapes: each has a check of `chain: trusted` (`<shape>.trusted`) and of `chain: complete` (`<shape>.complete`). */
const TRUST_SHAPES = {
  // 79: invalid CA certificate, at the intermediate (depth 1) or the root (2).
  nobc: { verify: 79, depth: 1, code: 'not-ca' },
  bareroot: { verify: 79, depth: 2, code: 'not-ca', ca: 'bareroot' },
  // 26: unsuitable certificate purpose, at the leaf.
  nonrep: { verify: 26, depth: 0, code: 'purpose' },
  // 47: permitted subtree violation, at the leaf.
  ncout: { verify: 47, depth: 0, code: 'name-constraints' },
  ncin: { verify: 0, code: null, servername: 'www.example.test' },
  // 34: unhandled critical extension.
  crit: { verify: 34, depth: 1, code: 'critical-extension' },
  // 67: CA certificate key too weak.
  weak: { verify: 67, depth: 1, code: 'weak-key' },
  selfissued: { verify: 0, code: null },
  rootleaf: { verify: 0, code: null },
  bundle17: { verify: 0, code: null },
  nocs: { verify: 79, depth: 1, code: 'no-cert-sign' },
} satisfies Partial<Record<ShapeName, TrustShape>>;
type TrustShapeName = keyof typeof TRUST_SHAPES;
const TRUST_SHAPE_NAMES = Object.keys(TRUST_SHAPES) as TrustShapeName[];
const trustShape = (n: TrustShapeName): TrustShape => TRUST_SHAPES[n];

const CHECKS: CheckDef[] = [
  { id: 'inorder.days', shape: 'inorder', expect: { certificate: DAYS14 } },
  { id: 'inorder.cert', shape: 'inorder', expect: { certificate: { ...GOOD, selfSigned: false } } },
  { id: 'inorder.complete', shape: 'inorder', expect: { certificate: { chain: 'complete' } } },
  { id: 'topdown.days', shape: 'topdown', expect: { certificate: DAYS14 } },
  { id: 'topdown.trusted', shape: 'topdown', expect: { certificate: { chain: 'trusted' } } },
  { id: 'reverse3.days', shape: 'reverse3', expect: { certificate: DAYS14 } },
  { id: 'reverse3.leaf', shape: 'reverse3', expect: { certificate: LEAF14 } },
  { id: 'reverse3.trusted', shape: 'reverse3', expect: { certificate: { chain: 'trusted' } } },
  { id: 'inorder3.days', shape: 'inorder3', expect: { certificate: DAYS14 } },
  { id: 'inorder3.leaf', shape: 'inorder3', expect: { certificate: LEAF14 } },
  { id: 'inorder3.trusted', shape: 'inorder3', expect: { certificate: { chain: 'trusted' } } },
  { id: 'shuffled3.days', shape: 'shuffled3', expect: { certificate: DAYS14 } },
  { id: 'shuffled3.leaf', shape: 'shuffled3', expect: { certificate: LEAF14 } },
  { id: 'shuffled3.trusted', shape: 'shuffled3', expect: { certificate: { chain: 'trusted' } } },
  { id: 'extra.days', shape: 'extra', expect: { certificate: DAYS14 } },
  { id: 'extra.leaf', shape: 'extra', expect: { certificate: LEAF14 } },
  { id: 'extra.trusted', shape: 'extra', expect: { certificate: { chain: 'trusted' } } },
  { id: 'cross.old-root', shape: 'cross', ca: 'oldroot', expect: { certificate: { chain: 'trusted' } } },
  { id: 'cross.new-root', shape: 'cross', ca: 'newroot', expect: { certificate: { chain: 'trusted' } } },
  { id: 'cross.unrelated-root', shape: 'cross', ca: 'unrelated', expect: { certificate: { chain: 'trusted' } } },
  { id: 'missing.complete', shape: 'missing', expect: { certificate: { chain: 'complete' } } },
  { id: 'missing.trusted', shape: 'missing', expect: { certificate: { chain: 'trusted' } } },
  { id: 'self.root', shape: 'self', servername: 'self.test', expect: { certificate: { chain: 'trusted' } } },
  { id: 'self.itself', shape: 'self', servername: 'self.test', ca: 'self', expect: { certificate: { chain: 'trusted', selfSigned: true } } },
  { id: 'cnonly.hostname', shape: 'cnonly', expect: { certificate: { hostname: true } } },
  { id: 'cnonly.trusted', shape: 'cnonly', expect: { certificate: { chain: 'trusted' } } },
  { id: 'wild.one-label', shape: 'wild', servername: 'a.chain.test', expect: { certificate: { hostname: true, chain: 'trusted' } } },
  { id: 'wild.two-labels', shape: 'wild', servername: 'a.b.chain.test', expect: { certificate: { hostname: true } } },
  { id: 'wild.apex', shape: 'wild', servername: 'chain.test', expect: { certificate: { hostname: true } } },
  { id: 'partial.www', shape: 'partial', servername: 'www.chain.test', expect: { certificate: { hostname: true } } },
  { id: 'ipsan.hostname', shape: 'ipsan', servername: null, expect: { certificate: { hostname: true, chain: 'trusted' } } },
  { id: 'dnsip.hostname', shape: 'dnsip', servername: null, expect: { certificate: { hostname: true } } },
  ...HANDSHAKE_SHAPES.flatMap((s): CheckDef[] => [
    { id: `${s}.days`, shape: s, expect: { certificate: DAYS14 } },
    { id: `${s}.cert`, shape: s, expect: { certificate: GOOD } },
  ]),
  { id: 'ccm.versions', shape: 'ccm', expect: { versions: { accept: ['TLSv1.3'], refuse: ['TLSv1.2'] } } },
  { id: 'chacha.versions', shape: 'chacha', expect: { versions: { accept: ['TLSv1.3'], refuse: ['TLSv1.2'] } } },
  { id: 'rsaecdsa.days', shape: 'rsaecdsa', expect: { certificate: DAYS14 } },
  { id: 'rsaecdsa.versions', shape: 'rsaecdsa', expect: { versions: { accept: ['TLSv1.3'], refuse: ['TLSv1.2'] } } },
  { id: 'rsaecdsa12.versions', shape: 'rsaecdsa12', expect: { versions: { refuse: ['TLSv1.2'] } } },
  ...TRUST_SHAPE_NAMES.flatMap((n): CheckDef[] => {
    const t = trustShape(n);
    const at = { shape: n, ...(t.servername ? { servername: t.servername } : {}), ...(t.ca ? { ca: t.ca } : {}) };
    return [
      { id: `${n}.trusted`, ...at, expect: { certificate: { chain: 'trusted' } } },
      { id: `${n}.complete`, ...at, expect: { certificate: { chain: 'complete' } } },
    ];
  }),
  { id: 'bundle17.days', shape: 'bundle17', expect: { certificate: DAYS14 } },
];

const sniOf = (c: Pick<CheckDef, 'servername'>): string | null => (c.servername === undefined ? 'chain.test' : c.servername);
/** One probe of plumbline, one set of oracle runs: the shape, the SNI, the ca file. */
const endpointKey = (c: Pick<CheckDef, 'shape' | 'servername' | 'ca'>): string => `${c.shape} sni=${sniOf(c) ?? '-'} ca=${c.ca ?? 'root'}`;

function policyText(name: string, checks: readonly object[]): string {
  // JSON is YAML: each check is one flow mapping.
  return `apiVersion: plumbline/v1\nkind: Policy\nmetadata:\n  name: ${name}\nchecks:\n${checks.map((x) => `  - ${JSON.stringify(x)}`).join('\n')}\n`;
}

/** Runs `jobs` at most `limit` at a time, results in order. */
async function bounded<T>(limit: number, jobs: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

/** What s_client said, stdout and stderr together (the verify callback's depth lines go to stderr). */
interface SClient {
  exitCode: number;
  text: string;
}

/** One endpoint's oracle runs. */
interface Oracle {
  /** -showcerts: the certificates in the order they were sent. */
  sent: X509Certificate[];
  show: SClient;
  /** -verify_return_error -CAfile <the check's ca file>. */
  verify: SClient;
  /** The same with -verify_hostname NAME or -verify_ip ADDR: OpenSSL's default name matching. */
  name: SClient;
}

describe.skipIf(why !== null)('chains as sent, trust, names, handshakes and timeouts, each verdict held to an oracle on the same server', () => {
  let host: TestHost;
  let dir: string;
  let net: string;
  let pki: Record<ChainCert, Issued>;
  let live: Report;
  let liveMs: number;
  let startMs: number;
  let results: Record<string, Result>;
  const oracles = new Map<string, Oracle>();
  const sslscan = new Map<ShapeName, Partial<Record<TlsVersionName, OracleVerdict>>>();
  let tarpitOracle: ExecResult;
  let loopbackHosts: string;
  let loopbackResolv: string;
  const pids: number[] = [];
  const cleanup: Array<() => unknown> = [];

  const addressOf = (s: Shape): string => {
    const last = { ns: 2, ccm: 11, chacha: 12, rsaecdsa: 13, rsaecdsa12: 14, ipsan: 21, dnsip: 22 }[s.at];
    return `${net}.${last}`;
  };
  const ns = (): string => `${net}.2`;
  const caFile = (c: Pick<CheckDef, 'ca'>): string => pki[c.ca ?? 'root'].crt;

  function tlsOf(c: Pick<CheckDef, 'shape' | 'servername' | 'ca'>): Record<string, unknown> {
    const s = shape(c.shape);
    const sni = sniOf(c);
    return { host: addressOf(s), port: s.port, ...(sni !== null ? { servername: sni } : {}), ca: caFile(c) };
  }
  const checkOf = (c: CheckDef) => ({ id: c.id, title: c.id, severity: 'high', timeout: CHECK_TIMEOUT, tls: tlsOf(c), expect: c.expect });

  /** Starts a server in the test host and waits until ADDRESS:PORT takes connections (the port alone may be another address's). */
  async function start(argv: string[], address: string, port: number): Promise<void> {
    const pid = await host.startServer(argv, port, 20_000);
    pids.push(pid);
    const until = performance.now() + 20_000;
    for (let i = 0; (await connectFromPeer(address, port, 1_000)) !== 'open'; i++) {
      if (i > 200 || performance.now() > until) throw new Error(`${argv.join(' ')} does not take connections on ${address}:${port}`);
      // Listening on the namespace's port is not yet this address's: wait for this server's own socket.
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function sClient(args: string[]): Promise<SClient> {
    const r = await run('openssl', ['s_client', ...args], { timeoutMs: 20_000 });
    if (r.timedOut) throw new Error(`openssl s_client ${args.join(' ')} timed out`);
    return { exitCode: r.exitCode, text: `${r.stdout}\n${r.stderr}` };
  }

  async function runOracles(c: CheckDef): Promise<Oracle> {
    const s = shape(c.shape);
    const address = addressOf(s);
    const sni = sniOf(c);
    const base = ['-connect', `${address}:${s.port}`, ...(sni !== null ? ['-servername', sni] : ['-noservername']), ...(s.clientArgs ?? [])];
    const show = await sClient([...base, '-showcerts', '-no-CAfile', '-no-CApath', '-no-CAstore']);
    const trust = ['-verify_return_error', '-CAfile', caFile(c), '-no-CApath', '-no-CAstore'];
    const verify = await sClient([...base, ...trust]);
    const name = await sClient([...base, ...trust, ...(sni !== null ? ['-verify_hostname', sni] : ['-verify_ip', address])]);
    return { sent: parseShowcerts(show.text), show, verify, name };
  }

  const scanner = (argv: string[], timeoutMs: number) => run(...withPrivateResolver(loopbackHosts, loopbackResolv, argv), { timeoutMs });

  beforeAll(async () => {
    cleanup.push(() => dir && rmSync(dir, { recursive: true, force: true }));
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
    if (build.status !== 0) throw new Error(`npm run build failed (${build.status ?? build.error?.message})`);
    dir = mkdtempSync(join(tmpdir(), 'pl-tls-chains-'));
    // testssl and sslscan run where /etc/resolv.conf names loopback: no DNS query leaves this machine.
    loopbackHosts = join(dir, 'hosts');
    loopbackResolv = join(dir, 'resolv.conf');
    writeFileSync(loopbackHosts, '127.0.0.1 localhost\n');
    writeFileSync(loopbackResolv, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');

    // Another run may take the same /24 between the look and the veth: try the next free one, a few times.
    const candidates = freeSubnets();
    if (candidates.length === 0) throw new Error('every /24 of 198.19.190-199 is in use on this machine');
    let lastError: unknown;
    for (const octet of candidates.slice(0, 3)) {
      net = `198.19.${octet}`;
      try {
        host = await TestHost.create({
          name: 'tls-chains',
          veth: { hostAddr: `${net}.1/24`, nsAddr: `${net}.2/24` },
          // The tarpit: accepts, holds every connection, never sends a byte, and exits when its stdin closes.
          listeners: [{ address: `${net}.2`, port: TARPIT_PORT, name: 'pl-tarpit' }],
        });
        break;
      } catch (e) {
        lastError = e;
      }
    }
    if (!host) throw lastError;
    cleanup.push(() => stopServersAndHost(host, pids));
    const own = [...new Set(Object.values(SHAPES).map((s) => addressOf(s)))].filter((a) => a !== ns());
    for (const a of own) {
      const add = await host.exec('ip', ['addr', 'add', `${a}/24`, 'dev', host.vethNs!]);
      if (add.exitCode !== 0) throw new Error(`ip addr add ${a}: ${add.stderr}`);
    }

    const t0 = performance.now();
    pki = await chainsPki(dir, new Date(), { ipSan: addressOf(SHAPES.ipsan), dnsIp: addressOf(SHAPES.dnsip) });
    const certMs = performance.now() - t0;
    await Promise.all(
      (Object.entries(SHAPES) as Array<[ShapeName, Shape]>).map(async ([n, s]) => {
        const chain = s.chain.length
          ? bundle(
              dir,
              `sent-${n}.pem`,
              s.chain.map((c) => pki[c]),
            ).slice(dir.length + 1)
          : undefined;
        const args = [...(s.args ?? []), ...(s.clientCa ? ['-Verify', '1', '-CAfile', pki[s.clientCa].crt] : [])];
        await start(sServerArgv(dir, addressOf(s), s.port, { cert: s.cert, ...(chain ? { chain } : {}), args }), addressOf(s), s.port);
      }),
    );
    console.log(`certificates made in ${Math.round(certMs)} ms; ${Object.keys(SHAPES).length} servers up at ${Math.round(performance.now() - t0)} ms`);

    const version = await run(process.execPath, [CLI, '--version']);
    if (version.exitCode !== 0) throw new Error(`plumbline --version: ${version.stderr}`);
    const v0 = performance.now();
    await run(process.execPath, [CLI, '--version']);
    startMs = performance.now() - v0;

    const policyFile = join(dir, 'chains.yaml');
    writeFileSync(policyFile, policyText('chains', CHECKS.map(checkOf)));
    const a0 = performance.now();
    const r = await run(process.execPath, [CLI, 'audit', '-p', policyFile, '--format', 'json', '--deadline', '60s'], { timeoutMs: 90_000 });
    liveMs = performance.now() - a0;
    live = report(r);
    if (r.stderr !== '') console.log(`plumbline audit wrote to stderr: ${r.stderr}`);
    results = byId(live);

    // The oracles after plumbline (s_server answers one connection at a time): one set per endpoint.
    const o0 = performance.now();
    const endpoints = [...new Map(CHECKS.filter((c) => !shape(c.shape).noHandshake).map((c) => [endpointKey(c), c])).values()];
    // s_client on the tarpit, beside them: connected, and no answer at all within the checks' timeout and a half.
    const tarpit = run('openssl', ['s_client', '-connect', `${ns()}:${TARPIT_PORT}`, '-servername', 'chain.test'], { timeoutMs: TARPIT_TIMEOUT_MS * 1.5 });
    const got = await bounded(
      4,
      endpoints.map((c) => () => runOracles(c)),
    );
    endpoints.forEach((c, i) => oracles.set(endpointKey(c), got[i]!));
    tarpitOracle = await tarpit;
    const scans = await bounded(
      4,
      VERSION_SHAPES.map((n) => () => {
        const s = shape(n);
        return scanner(['sslscan', ...sslscanProtocols(`${addressOf(s)}:${s.port}`)], 60_000);
      }),
    );
    VERSION_SHAPES.forEach((n, i) => {
      sslscan.set(n, parseSslscan(scans[i]!.stdout));
      if (Object.keys(sslscan.get(n)!).length < 5) console.log(`sslscan on ${n} printed:\n${scans[i]!.stdout}${scans[i]!.stderr}`);
    });
    console.log(
      `plumbline audit of ${CHECKS.length} checks: ${Math.round(liveMs)} ms (node start ${Math.round(startMs)} ms); oracles: ${Math.round(performance.now() - o0)} ms`,
    );
  }, 150_000);

  afterAll(async () => {
    await runCleanups(cleanup);
  });

  // -------------------------------------------------------------------------------------------------------
  // Reading what plumbline and the oracles said

  const result = (id: string): Result => {
    const x = results[id];
    if (!x) throw new Error(`no result ${id}; the report has ${Object.keys(results).join(', ')}`);
    return x;
  };
  const def = (id: string): CheckDef => CHECKS.find((c) => c.id === id)!;
  const oracle = (id: string): Oracle => oracles.get(endpointKey(def(id)))!;

  /** The probe of a check's endpoint in the report's facts: by host, port and SNI, and by its ca file where those are shared. */
  function factOf(id: string): TlsFact {
    const c = def(id);
    const s = shape(c.shape);
    const sni = sniOf(c);
    const probes = Object.entries(live.facts?.probes ?? {}).filter(([, v]) => {
      const f = v as Partial<TlsFact>;
      return Array.isArray(f.addresses) && f.host === addressOf(s) && f.port === s.port && (f.servername ?? null) === sni;
    });
    const same = probes.length > 1 ? probes.filter(([k]) => k.includes(caFile(c))) : probes;
    if (same.length !== 1)
      throw new Error(`${id}: ${same.length} probes of ${addressOf(s)}:${s.port} sni=${sni} in the facts: ${probes.map(([k]) => k).join('; ')}`);
    return same[0]![1] as TlsFact;
  }
  const chainOf = (id: string) => factOf(id).addresses[0]?.full?.chain;

  /** Which certificate of the hierarchy this is. */
  const named = (fingerprint: string): string => Object.values(pki).find((c) => c.fingerprint256 === fingerprint)?.name ?? 'unknown';
  const cnOf = (x: X509Certificate): string => /(?:^|\n)CN=([^\n]*)/.exec(x.subject)?.[1] ?? x.subject;
  const daysAt = (x: X509Certificate, at: string): number => Math.floor((Date.parse(x.validTo) - Date.parse(at)) / DAY_MS);
  /**
   * OpenSSL verified the chain: verify code 0 each time s_client printed one. Its exit status says the same but on
   * the mTLS servers, which end every handshake without a client certificate (after the server's chain was read).
   */
  const opensslOk = (x: SClient): boolean => {
    const codes = verifyCodes(x.text);
    return codes.length > 0 && codes.every(([n]) => n === 0);
  };
  const opensslTrusts = (id: string): boolean => opensslOk(oracle(id).verify);
  /** The s_client runs that ran, each with its exit and verify codes, for a message. */
  const said = (x: SClient): string =>
    `exit ${x.exitCode}, ${
      verifyCodes(x.text)
        .map(([n, t]) => `${n} (${t})`)
        .join(', ') || 'no verify code'
    }`;

  /** Status and message of a result, each a soft expectation so that one run lists every disagreement. */
  function verdict(id: string, status: Result['status'], ...parts: (string | RegExp)[]): void {
    const r = result(id);
    expect.soft({ id, status: r.status }, `${id}: ${r.message}`).toEqual({ id, status });
    for (const p of parts) {
      if (typeof p === 'string') expect.soft(r.message, id).toContain(p);
      else expect.soft(r.message, id).toMatch(p);
    }
  }

  /** What `daysLeft: { gte: 14 }` must say, from the certificates s_client saw sent: the first to expire, by position. */
  function daysVerdict(id: string): { status: 'pass' | 'fail'; position: number; cn: string; days: number } {
    const at = live.host.collectedAt;
    const sent = oracle(id).sent;
    expect(sent.length, `${id}: s_client -showcerts printed no certificate`).toBeGreaterThan(0);
    const days = sent.map((x) => daysAt(x, at));
    const position = days.indexOf(Math.min(...days));
    return { status: days[position]! >= 14 ? 'pass' : 'fail', position, cn: cnOf(sent[position]!), days: days[position]! };
  }
  function judgedDays(id: string): void {
    const want = daysVerdict(id);
    if (want.status === 'pass') verdict(id, 'pass');
    else verdict(id, 'fail', `${want.cn} (certificate ${want.position})`);
  }

  // -------------------------------------------------------------------------------------------------------

  it('enough TLS probes that the audit shares them with a worker thread: every verdict below holds either way', () => {
    const tls = Object.keys(live.facts?.probes ?? {}).filter((k) => k.startsWith('tls '));
    expect(tls.length).toBeGreaterThanOrEqual(TLS_WORKER_FROM);
  });

  it('the oracles work here: every server answers s_client, the chain each sends is the one its shape means, the scanners parse', () => {
    for (const [key, o] of oracles) {
      const s = shape(CHECKS.find((x) => endpointKey(x) === key)!.shape);
      expect([key, o.sent.map((x) => named(x.fingerprint256))], `${key}: ${o.show.text.slice(0, 2000)}`).toEqual([key, [s.cert, ...s.chain]]);
    }
    // Every endpoint of a check that has a chain has its oracle.
    expect(oracles.size).toBe(new Set(CHECKS.filter((c) => !shape(c.shape).noHandshake).map(endpointKey)).size);
    for (const n of VERSION_SHAPES) expect([n, Object.keys(sslscan.get(n)!).sort()]).toEqual([n, [...TLS_VERSIONS].sort()]);
    // The tarpit took the connection and said nothing: s_client was still waiting when it was stopped.
    expect(tarpitOracle.timedOut, `s_client on the tarpit: ${tarpitOracle.stdout}${tarpitOracle.stderr}`).toBe(true);
    expect(tarpitOracle.stdout).not.toContain('BEGIN CERTIFICATE');
    // Every check of the policy has its result.
    for (const c of CHECKS) expect(results[c.id]?.id, c.id).toBe(c.id);
  });

  it.each(
    CHECKS.filter((c, i) => !shape(c.shape).noHandshake && CHECKS.findIndex((x) => endpointKey(x) === endpointKey(c)) === i).map(
      (c) => [endpointKey(c), c.id] as const,
    ),
  )('%s: the chain plumbline lists is exactly what s_client -showcerts saw sent, in order, each day count at the report clock', (_key, id) => {
    const sent = oracle(id).sent;
    const chain = chainOf(id);
    const why = factOf(id).addresses[0]?.full?.error?.reason ?? factOf(id).error?.reason ?? '';
    // Position, the certificate's name in this test's hierarchy, and its fingerprint.
    expect(
      (chain?.certificates ?? []).map((c) => `${c.position} ${named(c.fingerprint256)} ${c.fingerprint256}`),
      `${id}: plumbline's chain (${why || 'no error'}) against s_client's`,
    ).toEqual(sent.map((x, i) => `${i} ${named(x.fingerprint256)} ${x.fingerprint256}`));
    const at = live.host.collectedAt;
    for (const [i, c] of (chain?.certificates ?? []).entries()) {
      const x = sent[i];
      if (!x) continue;
      expect.soft([id, i, Date.parse(c.notAfter), c.daysLeft]).toEqual([id, i, Date.parse(x.validTo), daysAt(x, at)]);
      expect.soft(c.subject, `${id} certificate ${i}`).toContain(cnOf(x));
    }
  });

  it('in order (leaf, intermediate): days, leaf days, trusted, complete, the name, not self-signed', () => {
    expect(opensslTrusts('inorder.cert'), said(oracle('inorder.cert').verify)).toBe(true);
    expect(oracle('inorder.cert').verify.exitCode).toBe(0);
    expect(daysVerdict('inorder.days').status).toBe('pass');
    judgedDays('inorder.days');
    verdict('inorder.cert', 'pass');
    verdict('inorder.complete', 'pass');
    expect.soft(chainOf('inorder.cert')?.trust).toMatchObject({ trusted: true, complete: true });
  });

  it('top-down (leaf, root, intermediate): every certificate sent judged, the root among them; trusted as openssl says', () => {
    expect(opensslTrusts('topdown.trusted'), said(oracle('topdown.trusted').verify)).toBe(true);
    judgedDays('topdown.days');
    verdict('topdown.trusted', 'pass');
    expect.soft(chainOf('topdown.trusted')?.trust.trusted).toBe(true);
  });

  it.each([
    ['reverse3', 2],
    ['inorder3', 1],
    ['shuffled3', 3],
  ] as const)('%s: the second intermediate, 5 days left, fails daysLeft as certificate %i of what was sent; the leaf passes; trusted', (n, position) => {
    const o = oracle(`${n}.days`);
    // The oracle says what the shape means: intermediate 2 at that position, five days left, the first to expire.
    const want = daysVerdict(`${n}.days`);
    expect([n, want]).toEqual([n, { status: 'fail', position, cn: pki.int2.cn, days: 5 }]);
    expect(o.sent[position]!.fingerprint256).toBe(pki.int2.fingerprint256);
    expect(opensslTrusts(`${n}.trusted`), said(oracle(`${n}.trusted`).verify)).toBe(true);
    verdict(`${n}.days`, 'fail', `intermediate ${pki.int2.cn} (certificate ${position})`);
    verdict(`${n}.leaf`, 'pass');
    verdict(`${n}.trusted`, 'pass');
    expect.soft(chainOf(`${n}.days`)?.certificates[position]?.daysLeft, `${n}: days left of certificate ${position}`).toBe(5);
  });

  it('an extra unrelated certificate (3 days left) is sent, so daysLeft judges it; path building ignores it, as openssl does', () => {
    const want = daysVerdict('extra.days');
    expect(want).toEqual({ status: 'fail', position: 2, cn: pki.extra.cn, days: 3 });
    expect(opensslTrusts('extra.trusted'), said(oracle('extra.trusted').verify)).toBe(true);
    // OpenSSL's path (its verify callback's depth lines) does not pass through the extra certificate.
    const depths = [...oracle('extra.trusted').verify.text.matchAll(/^depth=(\d+) (.*)$/gm)].map((m) => m[2]!);
    expect(depths.length).toBeGreaterThan(0);
    expect(depths.join('\n')).not.toContain(pki.extra.cn);
    verdict('extra.days', 'fail', `${pki.extra.cn} (certificate 2)`);
    verdict('extra.leaf', 'pass');
    verdict('extra.trusted', 'pass');
    expect.soft(chainOf('extra.trusted')?.trust.path ?? [], 'the path plumbline built').not.toContain(2);
  });

  it('cross-signed (leaf, intermediate, new root signed by the old): trusted through either root, not through an unrelated one, as openssl says', () => {
    const meant = { 'cross.old-root': true, 'cross.new-root': true, 'cross.unrelated-root': false } as const;
    for (const [id, trusted] of Object.entries(meant)) {
      expect([id, opensslTrusts(id)], said(oracle(id).verify)).toEqual([id, trusted]);
      verdict(id, trusted ? 'pass' : 'fail');
      expect.soft([id, chainOf(id)?.trust.trusted]).toEqual([id, trusted]);
    }
  });

  it('missing intermediate (the leaf alone): neither complete nor trusted, as openssl says', () => {
    const o = oracle('missing.trusted');
    expect(o.sent.map((x) => x.fingerprint256)).toEqual([pki.leaf.fingerprint256]);
    expect(opensslTrusts('missing.trusted'), said(o.verify)).toBe(false);
    // 20: unable to get local issuer certificate.
    expect(verifyCodes(o.verify.text)[0]?.[0]).toBe(20);
    verdict('missing.complete', 'fail');
    verdict('missing.trusted', 'fail');
    expect.soft(chainOf('missing.trusted')?.trust).toMatchObject({ trusted: false, complete: false });
  });

  it('self-signed leaf: not trusted by another root; trusted when the ca file is that certificate, as openssl says', () => {
    const sent = oracle('self.root').sent;
    expect(sent).toHaveLength(1);
    // Its own issuer, signed by its own key (checkIssued would also ask for keyCertSign, which a leaf lacks).
    expect([sent[0]!.issuer === sent[0]!.subject, sent[0]!.verify(sent[0]!.publicKey)]).toEqual([true, true]);
    expect(opensslTrusts('self.root'), said(oracle('self.root').verify)).toBe(false);
    const itself = opensslTrusts('self.itself');
    console.log(`s_client -verify_return_error -CAfile <the self-signed leaf itself>: ${said(oracle('self.itself').verify)}`);
    verdict('self.root', 'fail');
    verdict('self.itself', itself ? 'pass' : 'fail');
    expect.soft(chainOf('self.itself')?.trust.trusted).toBe(itself);
  });

  it.each(TRUST_SHAPE_NAMES.map((n) => [n] as const))(
    '%s: trusted exactly when s_client -verify_return_error verifies it, for the reason openssl names; complete, nothing missing',
    (n) => {
      const t = trustShape(n);
      const id = `${n}.trusted`;
      const o = oracle(id);
      // The oracle says what the shape means: its verify code, and the certificate (depth) it names.
      const first = verifyErrors(o.verify.text)[0];
      expect([n, verifyCodes(o.verify.text)[0]?.[0], first?.depth], `${n}: ${said(o.verify)}; ${JSON.stringify(verifyErrors(o.verify.text))}`).toEqual([
        n,
        t.verify,
        t.depth,
      ]);
      const trusted = opensslTrusts(id);
      expect(trusted).toBe(t.verify === 0);
      // plumbline agrees with openssl, and names why.
      const trust = chainOf(id)?.trust;
      console.log(
        `${n}: s_client ${said(o.verify)}${first ? ` at depth ${first.depth}` : ''}; plumbline ${JSON.stringify(trust)}; ${result(id).status}: ${result(id).message}`,
      );
      verdict(id, trusted ? 'pass' : 'fail');
      expect.soft([n, 'trusted', trust?.trusted], JSON.stringify(trust)).toEqual([n, 'trusted', trusted]);
      expect.soft([n, 'code', trust?.code ?? null], JSON.stringify(trust)).toEqual([n, 'code', t.code]);
      // Complete: the certificates sent reach one the ca file issued, as plumbline says.
      expect([n, sentReaches(o.sent, pki[t.ca ?? 'root'].x509)]).toEqual([n, true]);
      verdict(`${n}.complete`, 'pass');
      expect.soft([n, 'complete', trust?.complete], JSON.stringify(trust)).toEqual([n, 'complete', true]);
    },
  );

  it('a CA without keyCertSign is named as such, never read as an issuer not sent', () => {
    // The shape (Node's x509.ca is X509_check_ca, which already refuses a keyUsage without keyCertSign).
    const ext = spawnSync('openssl', ['x509', '-in', pki.nocsint.crt, '-noout', '-ext', 'basicConstraints,keyUsage'], {
      encoding: 'utf8',
      timeout: 10_000,
    }).stdout;
    expect(ext).toMatch(/CA:TRUE/);
    expect(ext).toMatch(/Digital Signature, CRL Sign/);
    expect(ext).not.toMatch(/Certificate Sign/);
    const trust = chainOf('nocs.trusted')?.trust;
    verdict('nocs.trusted', 'fail', /keyCertSign/);
    expect.soft(result('nocs.trusted').message).not.toMatch(/was not sent/);
    expect.soft(trust?.reason ?? '').not.toMatch(/was not sent/);
  });

  it('a self-issued CA under pathlen:0 (root, PL0 pathlen:0, PL0 again with its own key, leaf) is not counted against pathLen', () => {
    const sent = oracle('selfissued.trusted').sent;
    // The shape: the two CAs share one name, the second signed by the first, each with a key of its own.
    expect(sent[1]!.subject).toBe(sent[2]!.subject);
    expect(sent[1]!.issuer).toBe(sent[1]!.subject);
    expect(sent[1]!.verify(sent[2]!.publicKey)).toBe(true);
    expect(sent[1]!.verify(sent[1]!.publicKey)).toBe(false);
    expect(opensslTrusts('selfissued.trusted'), said(oracle('selfissued.trusted').verify)).toBe(true);
    verdict('selfissued.trusted', 'pass');
    expect.soft(chainOf('selfissued.trusted')?.trust.path.slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('a leaf the root issued, sent alone: trusted and complete, as openssl says', () => {
    const o = oracle('rootleaf.trusted');
    expect(o.sent.map((x) => x.fingerprint256)).toEqual([pki.rootleaf.fingerprint256]);
    expect(opensslTrusts('rootleaf.trusted'), said(o.verify)).toBe(true);
    verdict('rootleaf.trusted', 'pass');
    verdict('rootleaf.complete', 'pass');
    expect.soft(chainOf('rootleaf.trusted')?.trust).toMatchObject({ trusted: true, complete: true });
  });

  it('17 certificates sent (leaf, intermediate, 15 unrelated self-signed): trusted as openssl says; daysLeft judges all 17, the last first to expire', () => {
    const o = oracle('bundle17.days');
    expect(o.sent).toHaveLength(17);
    const want = daysVerdict('bundle17.days');
    expect(want).toEqual({ status: 'fail', position: 16, cn: pki.junk15.cn, days: 2 });
    expect(opensslTrusts('bundle17.trusted'), said(oracle('bundle17.trusted').verify)).toBe(true);
    expect.soft(chainOf('bundle17.days')?.certificates ?? []).toHaveLength(17);
    verdict('bundle17.days', 'fail', `${pki.junk15.cn} (certificate 16)`);
    verdict('bundle17.trusted', 'pass');
  });

  it('names as RFC 9525 has them: subjectAltName only, never the CN; a wildcard is one whole left-most label; an IP only in an iPAddress SAN', () => {
    // What each shape means, by X509_check_host with RFC 9525's flags over the leaf s_client saw sent.
    const meant: Record<string, boolean> = {
      'inorder.cert': true,
      'cnonly.hostname': false,
      'wild.one-label': true,
      'wild.two-labels': false,
      'wild.apex': false,
      'partial.www': false,
      'ipsan.hostname': true,
      'dnsip.hostname': false,
    };
    // OpenSSL's defaults (s_client -verify_hostname) still read the CN of a leaf without a DNS SAN, and partial
    // wildcards: the two places where a client built on them is not RFC 9525.
    const opensslDefault: Record<string, boolean> = { ...meant, 'cnonly.hostname': true, 'partial.www': true };
    const cn = oracle('cnonly.hostname').sent[0]!;
    expect(cn.subjectAltName).toBeUndefined();
    expect(cnOf(cn)).toBe('chain.test');
    for (const [id, matches] of Object.entries(meant)) {
      const c = def(id);
      const name = sniOf(c) ?? addressOf(shape(c.shape));
      const leaf = oracle(id).sent[0]!;
      expect([id, name, rfc9525Names(leaf, name)]).toEqual([id, name, matches]);
      expect(opensslTrusts(id), said(oracle(id).verify)).toBe(true);
      expect([id, name, 'openssl default', opensslOk(oracle(id).name)], said(oracle(id).name)).toEqual([id, name, 'openssl default', opensslDefault[id]]);
      expect.soft([id, chainOf(id)?.hostname?.matches]).toEqual([id, matches]);
      verdict(id, matches ? 'pass' : 'fail');
    }
    // The CN was there and was not read: the message says so.
    verdict('cnonly.hostname', 'fail', /CN/);
    verdict('cnonly.trusted', 'pass');
  });

  it.each(HANDSHAKE_SHAPES.map((n) => [n] as const))('%s: the handshake still yields the chain; days and the good chain pass, not error', (n) => {
    expect(oracle(`${n}.cert`).sent.length, oracle(`${n}.cert`).show.text.slice(0, 2000)).toBe(2);
    expect(opensslTrusts(`${n}.cert`), said(oracle(`${n}.cert`).verify)).toBe(true);
    expect(rfc9525Names(oracle(`${n}.cert`).sent[0]!, 'chain.test')).toBe(true);
    expect(daysVerdict(`${n}.days`).status).toBe('pass');
    verdict(`${n}.days`, 'pass');
    verdict(`${n}.cert`, 'pass');
  });

  it('RSA leaf with only ECDSA suites at TLS 1.2, and TLS 1.3-only CCM and ChaCha: every version as sslscan says, never inconclusive', () => {
    const only = (...yes: TlsVersionName[]) => Object.fromEntries(TLS_VERSIONS.map((v) => [v, yes.includes(v) ? 'accepted' : 'refused']));
    const meant: Record<(typeof VERSION_SHAPES)[number], Record<string, string>> = {
      ccm: only('TLSv1.3'),
      chacha: only('TLSv1.3'),
      rsaecdsa: only('TLSv1.3'),
      rsaecdsa12: only(),
    };
    const rows = ['server      version  plumbline     sslscan'];
    for (const n of VERSION_SHAPES) {
      const scan = sslscan.get(n)!;
      expect([n, scan]).toEqual([n, meant[n]]);
      const mine = Object.fromEntries((factOf(`${n}.versions`).addresses[0]?.versions ?? []).map((v) => [v.version, v.verdict]));
      for (const v of TLS_VERSIONS) rows.push(`${n.padEnd(11)} ${v.padEnd(8)} ${String(mine[v]).padEnd(13)} ${scan[v]}`);
      expect.soft([n, mine]).toEqual([n, scan]);
      verdict(`${n}.versions`, 'pass');
    }
    console.log(rows.join('\n'));
    // At TLS 1.3 the RSA leaf's chain is read all the same.
    judgedDays('rsaecdsa.days');
  });

  it('a tarpit: each check is an error saying no answer within 2 s, and the audit ends within its timeout', async () => {
    const tls = { host: ns(), port: TARPIT_PORT, servername: 'chain.test', ca: pki.root.crt };
    const checks = [
      { id: 'tarpit.days', title: 'tarpit.days', severity: 'high', timeout: `${TARPIT_TIMEOUT_MS / 1000}s`, tls, expect: { certificate: DAYS14 } },
      {
        id: 'tarpit.versions',
        title: 'tarpit.versions',
        severity: 'high',
        timeout: `${TARPIT_TIMEOUT_MS / 1000}s`,
        tls,
        expect: { versions: { accept: ['TLSv1.2'] } },
      },
    ];
    const file = join(dir, 'tarpit.yaml');
    writeFileSync(file, policyText('tarpit', checks));
    expect(await connectFromPeer(ns(), TARPIT_PORT, 2_000)).toBe('open');
    const t0 = performance.now();
    const r = await run(process.execPath, [CLI, 'audit', '-p', file, '--format', 'json', '--deadline', '30s'], { timeoutMs: 30_000 });
    const ms = performance.now() - t0;
    console.log(`tarpit-only audit: ${Math.round(ms)} ms (bound ${TARPIT_BOUND_MS} ms; node start here ${Math.round(startMs)} ms), exit ${r.exitCode}`);
    const got = byId(report(r));
    for (const c of checks) {
      const x = got[c.id];
      expect.soft({ id: c.id, status: x?.status }, `${c.id}: ${x?.message}`).toEqual({ id: c.id, status: 'error' });
      expect.soft(x?.message, c.id).toMatch(/no answer/i);
      expect.soft(x?.message, c.id).toMatch(/2 s|2000 ms/);
    }
    expect(ms).toBeLessThan(TARPIT_BOUND_MS);
    expect(ms).toBeGreaterThanOrEqual(TARPIT_TIMEOUT_MS);
  }, 40_000);

  it('testssl.sh agrees: TLS 1.3-only CCM and ChaCha servers, the RSA leaf with ECDSA-only 1.2 suites', async () => {
    const t0 = performance.now();
    // testssl spends most of its time starting (it forks openssl and awk hundreds of times): all four at once.
    const runs = await Promise.all(
      VERSION_SHAPES.map((n) => {
        const s = shape(n);
        return scanner(['testssl', '--protocols', '--quiet', '--color', '0', '--warnings', 'off', '--nodns', 'min', `${addressOf(s)}:${s.port}`], 150_000);
      }),
    );
    console.log(`testssl.sh on ${VERSION_SHAPES.length} servers: ${Math.round((performance.now() - t0) / 1000)} s`);
    const rows = ['server      version  plumbline     testssl'];
    VERSION_SHAPES.forEach((n, i) => {
      const t = parseTestssl(runs[i]!.stdout);
      if (Object.keys(t).length < 5) console.log(`testssl on ${n} printed (exit ${runs[i]!.exitCode}):\n${runs[i]!.stdout}${runs[i]!.stderr}`);
      // testssl says what sslscan says (the oracles agree), so the shape is what it means.
      expect([n, t]).toEqual([n, sslscan.get(n)]);
      const mine = Object.fromEntries((factOf(`${n}.versions`).addresses[0]?.versions ?? []).map((v) => [v.version, v.verdict]));
      for (const v of TLS_VERSIONS) rows.push(`${n.padEnd(11)} ${v.padEnd(8)} ${String(mine[v]).padEnd(13)} ${t[v]}`);
      expect.soft([n, mine]).toEqual([n, t]);
      expect.soft(Object.values(mine)).not.toContain('inconclusive');
    });
    console.log(rows.join('\n'));
  }, 160_000);
});
